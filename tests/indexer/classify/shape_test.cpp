#include "indexer/classify/shape.hpp"

#include <gtest/gtest.h>

namespace magnetar::indexer::classify {
namespace {

Shape compile(std::string_view pattern) {
  std::string why;
  auto shape = Shape::compile(pattern, &why);
  EXPECT_TRUE(shape.has_value()) << pattern << ": " << why;
  return shape ? *shape : *Shape::compile("x", nullptr);
}

// The captured numbers of a match at the start of text, or {} for no match.
std::vector<std::uint64_t> numbers(std::string_view pattern, std::string_view text) {
  auto m = compile(pattern).match(text, 0);
  if (!m) return {};
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i < m->capture_count; ++i) out.push_back(m->captures[i].number);
  return out;
}

using N = std::vector<std::uint64_t>;

TEST(Shape, MatchesEpisodeForms) {
  EXPECT_EQ(numbers("s<n1-3>~e<n1-4>", "s01e02.720p"), (N{1, 2}));
  EXPECT_EQ(numbers("s<n1-3>~e<n1-4>", "s01.e02"), (N{1, 2}));
  EXPECT_EQ(numbers("s<n1-3>~e<n1-4>~e<n1-4>", "s01e01-e03"), (N{1, 1, 3}));
  EXPECT_EQ(numbers("<n1-2>x<n2-3>", "1x02 title"), (N{1, 2}));
  EXPECT_EQ(numbers("season <n1-3>", "season.2"), (N{2}));
}

TEST(Shape, MustEndWhereARunEnds) {
  EXPECT_EQ(numbers("s<n1-3>~e<n1-4>", "s01e02x"), N{});
  EXPECT_EQ(numbers("<n4>", "19999"), N{});
  EXPECT_EQ(numbers("<n1-2>x<n2-3>", "1920x1080"), N{});
}

TEST(Shape, SeparatorsRefuseASpacedDash) {
  EXPECT_EQ(numbers("season <n1-3>", "season - 23"), N{});
  EXPECT_EQ(numbers("season~<n1-3> <n1-3>", "season 1-5"), (N{1, 5}));
  EXPECT_EQ(numbers("<n4> - <n4>", "1999 - 2007"), (N{1999, 2007}));
  EXPECT_EQ(numbers("<n4> <n2> <n2>", "2023.05.01"), (N{2023, 5, 1}));
  EXPECT_EQ(numbers("<n4> <n2> <n2>", "2023-05-01"), (N{2023, 5, 1}));
}

TEST(Shape, VersionAndHexCaptures) {
  auto m = compile("v<v>").match("v25.0.1-grp", 0);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->captures[0].end - m->captures[0].begin, 6u);
  EXPECT_EQ(m->captures[0].number, 25u);
  EXPECT_EQ(numbers("<x8>", "abcd1234]"), (N{0}));
  EXPECT_EQ(numbers("<x8>", "abcd123"), N{});
}

TEST(Shape, InvalidPatternsAreRejectedWithAReason) {
  for (std::string_view bad : {"", "<n", "<q>", "<n0>", "<n5-2>", "<n12>", " x", "x ", "~x", "-x",
                               "<x>", "a>", "<n><n><n><n><n>"}) {
    std::string why;
    EXPECT_FALSE(Shape::compile(bad, &why).has_value()) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

}  // namespace
}  // namespace magnetar::indexer::classify
