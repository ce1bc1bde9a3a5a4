// The banned-content filter: indicator terms and combinations match on names
// and paths; benign near-misses (films, documentaries, words containing an
// indicator) do not.
#include "indexer/classify/banned_filter.hpp"

#include <gtest/gtest.h>

#include "indexer/classify/embedded_rules.hpp"
#include "tests/support/temp_dir.hpp"

namespace magnetar::indexer::classify {
namespace {

BannedFilter default_filter() {
  auto rules = BannedRules::defaults();
  EXPECT_TRUE(rules.ok()) << rules.error().message();
  return BannedFilter(rules ? *rules : BannedRules());
}

TEST(BannedFilter, ShippedDefaultsLoad) {
  EXPECT_FALSE(embedded_banned_rules().empty());
  auto rules = BannedRules::defaults();
  ASSERT_TRUE(rules.ok()) << rules.error().message();
  EXPECT_GE(rules->rules().size(), 3u);
}

TEST(BannedFilter, IndicatorTermMatchesTheNameWithItsRule) {
  const BannedFilter filter = default_filter();
  for (std::string_view name : {"(pthc) something", "PTHC.2010.collection", "some-thing_pthc",
                                "R@ygold pack", "Hussyfan something"}) {
    auto m = filter.check(name, {});
    ASSERT_TRUE(m.has_value()) << name;
    EXPECT_EQ(m->rule_id, "csam-indicator") << name;
    EXPECT_TRUE(m->in_name);
  }
}

TEST(BannedFilter, CombinationNeedsEveryGroup) {
  const BannedFilter filter = default_filter();
  auto m = filter.check("lolita preteen set", {});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->rule_id, "lolita-with-age-or-sexual-term");
  EXPECT_EQ(m->phrase, "lolita");
  auto age = filter.check("12yo nude", {});
  ASSERT_TRUE(age.has_value());
  EXPECT_EQ(age->rule_id, "minor-with-sexual-term");
  EXPECT_TRUE(filter.check("Underage Sex Tape", {}).has_value());
}

TEST(BannedFilter, PathsAreCheckedWhenTheNameIsClean) {
  const BannedFilter filter = default_filter();
  const std::vector<FileEntry> files = {{"Holiday/IMG_001.jpg", 100},
                                        {"Holiday/misc/pthc_01.avi", 100}};
  auto m = filter.check("Holiday", files);
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->in_name);
  EXPECT_EQ(m->path_index, 1u);
}

TEST(BannedFilter, BenignNearMissesPass) {
  const BannedFilter filter = default_filter();
  // Policy (see rules/banned.toml): "Lolita" alone is a novel and two films.
  for (std::string_view name : {
           "Lolita (1962) 1080p BluRay x264",
           "Lolita.1997.720p.BluRay.x264-GRP",
           "Vladimir Nabokov - Lolita (epub)",
           "Depthcharge.2020.1080p.WEB-DL",  // "pthc" inside a word
           "Sex Education S01E01 1080p",
           "Child Abuse Prevention Documentary 2019",
           "Kids.2021.1080p.WEB-DL.x264",
           "How to Talk to Kids About Sex (epub)",
           "Underage Drinking Awareness 2018",
           "Preteen Fitness Guide.pdf",
           "The.Naked.Gun.1988.1080p.BluRay",
           "Brazzers.23.05.01.Adult.Performer.XXX.1080p",
       }) {
    auto m = filter.check(name, {});
    EXPECT_FALSE(m.has_value()) << name << " matched " << (m ? m->rule_id : "");
  }
}

TEST(BannedFilter, CombinationGroupsMustBeInTheSameText) {
  const BannedFilter filter = default_filter();
  const std::vector<FileEntry> files = {{"Lolita 1997/extras/making of.mkv", 100}};
  EXPECT_FALSE(filter.check("Nude Photography Book", files).has_value());
}

TEST(BannedFilter, UserRulesAddAndRemove) {
  auto rules = BannedRules::defaults();
  ASSERT_TRUE(rules.ok());
  testing::TempDir dir;
  auto status = rules->add_file(dir.write("banned.toml", R"(
version = 1
[[rules]]
id = "local-term"
words = ["forbiddenword"]

[[rules]]
id = "csam-indicator"
remove = true
)"));
  ASSERT_TRUE(status.ok()) << status.error().message();
  const BannedFilter filter(*rules);
  auto m = filter.check("a ForbiddenWord b", {});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->rule_id, "local-term");
  EXPECT_FALSE(filter.check("pthc", {}).has_value());
}

TEST(BannedFilter, BadRulesFileIsReportedWithItsLine) {
  BannedRules rules;
  auto status =
      rules.add_toml("version = 1\n[[rules]]\nid = \"x\"\nwords = [3]\n", "banned-user.toml");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, make_error_code(Errc::kWrongType));
  EXPECT_EQ(status.error().line, 4u);
  EXPECT_EQ(rules.add_toml("[[rules]]\nwords = [\"a\"]\n", "u.toml").error().code,
            make_error_code(Errc::kMissingKey));
  EXPECT_EQ(rules.add_toml("[[rules]]\nid = \"a\"\n", "u.toml").error().code,
            make_error_code(Errc::kMissingKey));
  EXPECT_EQ(rules.add_toml("[[rules]\n", "u.toml").error().code, make_error_code(Errc::kSyntax));
  EXPECT_EQ(rules.add_toml("rule = 1\n", "u.toml").error().code,
            make_error_code(Errc::kUnknownKey));
  EXPECT_TRUE(rules.rules().empty());
}

TEST(BannedFilter, InvalidUtf8AndLongTextsDoNotCrash) {
  const BannedFilter filter = default_filter();
  std::string text(100000, 'a');
  for (std::size_t i = 0; i < text.size(); i += 7) text[i] = static_cast<char>(0x80 + i % 100);
  text += " pthc";
  auto m = filter.check(text, {});
  ASSERT_TRUE(m.has_value());  // found past any token bound
  EXPECT_FALSE(filter.check(std::string("\xff\xfe\x00lolita", 9), {}).has_value());
}

}  // namespace
}  // namespace magnetar::indexer::classify
