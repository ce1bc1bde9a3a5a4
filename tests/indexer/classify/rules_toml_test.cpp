// The plumbing both rules loaders share: TOML syntax errors carry toml++'s line
// and column, files are read byte for byte within a size bound, and a rule set
// is the defaults followed by each user file, stopping at the first error.
#include "indexer/classify/rules_toml.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace magnetar::indexer::classify {
namespace {

TEST(RulesToml, SyntaxErrorCarriesTheSourceLineAndColumnOfTheFault) {
  auto parsed = parse_rules_toml("version = 1\n[[x]\n", "user.toml");
  ASSERT_FALSE(parsed.ok());
  const LoadError& e = parsed.error();
  EXPECT_EQ(e.code, make_error_code(Errc::kSyntax));
  EXPECT_EQ(e.source, "user.toml");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 5u);  // the newline where ']' was expected
  EXPECT_FALSE(e.detail.empty());
  EXPECT_EQ(e.message().rfind("user.toml:2:5: ", 0), 0u) << e.message();
}

TEST(RulesToml, ValidDocumentIsReturnedWithSourcePositions) {
  auto parsed = parse_rules_toml("version = 1\n[a]\nb = \"c\"\n", "user.toml");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ((*parsed)["a"]["b"].value<std::string>(), "c");
  EXPECT_EQ((*parsed)["a"]["b"].node()->source().begin.line, 3u);
}

TEST(RulesToml, FileIsReadByteForByte) {
  testing::TempDir dir;
  const std::string bytes("a = 1\r\n\0\xff", 9);
  auto text = read_rules_file(dir.write("rules.toml", bytes));
  ASSERT_TRUE(text.ok()) << text.error().message();
  EXPECT_EQ(*text, bytes);
}

TEST(RulesToml, MissingFileIsAnIoErrorNamingThePath) {
  testing::TempDir dir;
  const auto path = dir.path() / "absent.toml";
  auto text = read_rules_file(path);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, make_error_code(Errc::kIo));
  EXPECT_EQ(text.error().source, path.string());
  EXPECT_EQ(text.error().line, 0u);
  EXPECT_EQ(text.error().detail.rfind("cannot read: ", 0), 0u) << text.error().detail;
}

TEST(RulesToml, FileAtTheSizeBoundIsReadAndOneByteMoreIsRefused) {
  testing::TempDir dir;
  const auto path = dir.write("big.toml", "");
  std::filesystem::resize_file(path, kMaxRulesFileBytes);  // sparse: cheap to make
  auto text = read_rules_file(path);
  ASSERT_TRUE(text.ok()) << text.error().message();
  EXPECT_EQ(text->size(), kMaxRulesFileBytes);
  std::filesystem::resize_file(path, kMaxRulesFileBytes + 1);
  text = read_rules_file(path);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, make_error_code(Errc::kIo));
  EXPECT_EQ(text.error().detail, "file larger than 16 MiB");
}

// Records what it was given; a file or document named "bad..." fails.
struct RecordingRuleSet {
  std::vector<std::string> added;

  LoadStatus add_toml(std::string_view text, std::string_view source) {
    if (source.starts_with("bad"))
      return LoadError{make_error_code(Errc::kSyntax), std::string(source), 0, 0, "bad"};
    added.push_back(std::string(source) + "=" + std::string(text));
    return Ok{};
  }
  LoadStatus add_file(const std::filesystem::path& path) {
    if (path.filename().string().starts_with("bad"))
      return LoadError{make_error_code(Errc::kIo), path.string(), 0, 0, "bad"};
    added.push_back(path.string());
    return Ok{};
  }
};

TEST(RulesToml, RuleSetIsTheDefaultsThenEachUserFileInOrder) {
  const std::vector<std::filesystem::path> files = {"b.toml", "a.toml"};
  auto set = load_rule_set<RecordingRuleSet>("x = 1", "default.toml", files);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->added, (std::vector<std::string>{"default.toml=x = 1", "b.toml", "a.toml"}));
}

TEST(RulesToml, RuleSetLoadingStopsAtTheFirstError) {
  const std::vector<std::filesystem::path> files = {"a.toml", "bad1.toml", "bad2.toml"};
  auto set = load_rule_set<RecordingRuleSet>("", "default.toml", files);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().source, "bad1.toml");
  EXPECT_EQ(set.error().code, make_error_code(Errc::kIo));

  auto bad_defaults = load_rule_set<RecordingRuleSet>("", "bad-default.toml", files);
  ASSERT_FALSE(bad_defaults.ok());
  EXPECT_EQ(bad_defaults.error().source, "bad-default.toml");
}

}  // namespace
}  // namespace magnetar::indexer::classify
