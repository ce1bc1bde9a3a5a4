// Loading rules files: errors name the file, line and problem; user files add
// to and override the defaults; a bad file leaves the rules unchanged.
#include "indexer/classify/rules.hpp"

#include <gtest/gtest.h>

#include "indexer/classify/classifier.hpp"
#include "indexer/classify/embedded_rules.hpp"
#include "tests/support/temp_dir.hpp"

namespace magnetar::indexer::classify {
namespace {

Rules defaults() {
  auto rules = Rules::defaults();
  EXPECT_TRUE(rules.ok()) << rules.error().message();
  return rules ? *rules : Rules();
}

LoadError load_error(std::string_view text) {
  Rules rules;
  auto status = rules.add_toml(text, "user.toml");
  EXPECT_FALSE(status.ok()) << "expected an error for:\n" << text;
  return status ? LoadError{} : status.error();
}

TEST(Rules, ShippedDefaultsLoadAndAreEmbedded) {
  EXPECT_FALSE(embedded_default_rules().empty());
  const Rules rules = defaults();
  EXPECT_GT(rules.terms().size(), 500u);
  EXPECT_GT(rules.shapes().size(), 20u);
  EXPECT_GT(rules.extensions().size(), 100u);
}

TEST(Rules, SyntaxErrorNamesFileAndLine) {
  const LoadError e = load_error("version = 1\n\n[[terms]]\nwords = [\"a\"\n");
  EXPECT_EQ(e.code, make_error_code(Errc::kSyntax));
  EXPECT_EQ(e.source, "user.toml");
  EXPECT_GE(e.line, 4u);
  EXPECT_NE(e.message().find("user.toml:"), std::string::npos) << e.message();
}

TEST(Rules, UnknownTopLevelKeyIsReportedWithItsLine) {
  const LoadError e = load_error("version = 1\nterm = 3\n");
  EXPECT_EQ(e.code, make_error_code(Errc::kUnknownKey));
  EXPECT_EQ(e.line, 2u);
  EXPECT_NE(e.detail.find("'term'"), std::string::npos) << e.detail;
}

TEST(Rules, MisspelledTermKeyIsReported) {
  const LoadError e = load_error("[[terms]]\nwords = [\"foo\"]\nfeild = \"flag\"\n");
  EXPECT_EQ(e.code, make_error_code(Errc::kUnknownKey));
  EXPECT_EQ(e.line, 3u);
  EXPECT_NE(e.detail.find("feild"), std::string::npos);
}

TEST(Rules, UnknownFieldAndContentTypeAreBadValues) {
  EXPECT_EQ(load_error("[[terms]]\nwords = [\"foo\"]\nfield = \"colour\"\n").code,
            make_error_code(Errc::kBadValue));
  const LoadError e = load_error("[[terms]]\nwords = [\"foo\"]\nweights = { movie = 3 }\n");
  EXPECT_EQ(e.code, make_error_code(Errc::kBadValue));
  EXPECT_NE(e.detail.find("movie"), std::string::npos);
}

TEST(Rules, WrongTypesAreReported) {
  EXPECT_EQ(load_error("[[terms]]\nwords = \"foo\"\n").code, make_error_code(Errc::kWrongType));
  EXPECT_EQ(load_error("[[terms]]\nwords = [1, 2]\n").code, make_error_code(Errc::kWrongType));
  EXPECT_EQ(load_error("[[terms]]\nwords = [\"a\"]\nweights = { video = \"x\" }\n").code,
            make_error_code(Errc::kWrongType));
  EXPECT_EQ(load_error("[settings]\nmin_score = true\n").code, make_error_code(Errc::kWrongType));
  EXPECT_EQ(load_error("terms = 3\n").code, make_error_code(Errc::kWrongType));
}

TEST(Rules, MissingWordsAndPatternAreReported) {
  EXPECT_EQ(load_error("[[terms]]\nfield = \"flag\"\n").code, make_error_code(Errc::kMissingKey));
  EXPECT_EQ(load_error("[[shapes]]\ncaptures = []\n").code, make_error_code(Errc::kMissingKey));
}

TEST(Rules, BadShapePatternsAreReported) {
  for (std::string_view pattern : {"s<n", "<q>", "<n0>", "<n5-2>", " s<n>", "s<n> ", "<>", "<x>"}) {
    std::string text =
        "[[shapes]]\npattern = \"" + std::string(pattern) + "\"\ncaptures = [\"season\"]\n";
    const LoadError e = load_error(text);
    EXPECT_EQ(e.code, make_error_code(Errc::kBadPattern)) << pattern << ": " << e.message();
    EXPECT_EQ(e.line, 2u) << pattern;
  }
}

TEST(Rules, CaptureCountMustMatchThePattern) {
  const LoadError e = load_error("[[shapes]]\npattern = \"s<n>e<n>\"\ncaptures = [\"season\"]\n");
  EXPECT_EQ(e.code, make_error_code(Errc::kBadValue));
  EXPECT_NE(e.detail.find("2 captures"), std::string::npos) << e.detail;
  EXPECT_EQ(load_error("[[shapes]]\npattern = \"s<n>\"\ncaptures = [\"sesaon\"]\n").code,
            make_error_code(Errc::kBadValue));
}

TEST(Rules, UnsupportedVersionIsReported) {
  EXPECT_EQ(load_error("version = 2\n").code, make_error_code(Errc::kUnsupportedVersion));
}

TEST(Rules, BadExtensionIsReported) {
  EXPECT_EQ(load_error("[extensions.video]\nlist = [\"a/b\"]\n").code,
            make_error_code(Errc::kBadValue));
}

TEST(Rules, ExtensionInTwoGroupsOfOneFileIsReported) {
  const LoadError e =
      load_error("[extensions.a]\nlist = [\"xyz\"]\n[extensions.b]\nlist = [\"XYZ\"]\n");
  EXPECT_EQ(e.code, make_error_code(Errc::kBadValue));
  EXPECT_NE(e.detail.find("[extensions.a]"), std::string::npos) << e.detail;
}

TEST(Rules, YearBoundsAreChecked) {
  EXPECT_EQ(load_error("[settings]\nyear_min = 2000\nyear_max = 1999\n").code,
            make_error_code(Errc::kBadValue));
  EXPECT_EQ(load_error("[settings]\nyear_min = 20\n").code, make_error_code(Errc::kBadValue));
}

TEST(Rules, MissingFileIsAnIoError) {
  Rules rules;
  testing::TempDir dir;
  auto status = rules.add_file(dir.path() / "absent.toml");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, make_error_code(Errc::kIo));
  EXPECT_NE(status.error().message().find("absent.toml"), std::string::npos);
}

TEST(Rules, BadFileLeavesTheRulesUnchanged) {
  Rules rules = defaults();
  const std::size_t terms = rules.terms().size();
  auto status = rules.add_toml("[[terms]]\nwords = [\"zzqq\"]\n[[terms]]\nwords = 5\n", "bad.toml");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(rules.terms().size(), terms);
  EXPECT_EQ(rules.terms().count("zzqq"), 0u);
}

TEST(Rules, UserFileAddsTermsAndExtensions) {
  Rules rules = defaults();
  testing::TempDir dir;
  const auto path = dir.write("user.toml", R"(
version = 1
[[terms]]
field = "source"
value = "LaserRip"
words = ["LSRip", "Laser-Rip"]

[extensions.comic]
list = ["cbq"]
)");
  auto status = rules.add_file(path);
  ASSERT_TRUE(status.ok()) << status.error().message();
  const Classifier classifier(rules);
  auto r = classifier.classify("Some.Film.1985.LSRip.x264-GRP");
  EXPECT_EQ(r.source, "LaserRip");
  EXPECT_EQ(r.title, "Some Film");
  const std::vector<FileEntry> files = {{"issue1.cbq", 1000000}, {"issue2.cbq", 1000000}};
  EXPECT_EQ(classifier.classify("Unknown Series", files).type, ContentType::kComic);
}

TEST(Rules, UserTermOverridesADefault) {
  Rules rules = defaults();
  const Classifier before(rules);
  EXPECT_EQ(before.classify("Film.2019.1080p.WEB-DL.x264-GRP").source, "WEB-DL");
  auto status = rules.add_toml(R"(
[[terms]]
field = "source"
value = "Web Download"
words = ["WEB-DL"]
)",
                               "user.toml");
  ASSERT_TRUE(status.ok()) << status.error().message();
  const Classifier after(rules);
  EXPECT_EQ(after.classify("Film.2019.1080p.WEB-DL.x264-GRP").source, "Web Download");
  // Another spelling of the same phrase is the same rule.
  EXPECT_EQ(after.classify("Film.2019.1080p.WEB.DL.x264-GRP").source, "Web Download");
}

TEST(Rules, UserFileRemovesATermAndAShape) {
  Rules rules = defaults();
  auto status = rules.add_toml(R"(
[[terms]]
words = ["HDTV"]
remove = true

[[shapes]]
pattern = "<n1-2>x<n2-3>"
remove = true
)",
                               "user.toml");
  ASSERT_TRUE(status.ok()) << status.error().message();
  const Classifier classifier(rules);
  auto r = classifier.classify("Show.3x04.720p.HDTV.x264-GRP");
  EXPECT_EQ(r.source, "");
  EXPECT_FALSE(r.episodes.has_value());
}

TEST(Rules, UserShapeReplacesTheDefaultWithTheSamePattern) {
  Rules rules = defaults();
  const std::size_t shapes = rules.shapes().size();
  auto status = rules.add_toml(R"(
[[shapes]]
pattern = "s<n1-3>~e<n1-4>"
captures = ["season", "episode"]
weights = { video_episode = 50 }
)",
                               "user.toml");
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(rules.shapes().size(), shapes);
  // 50 beats the image files' evidence.
  const std::vector<FileEntry> files = {{"a.jpg", 1000}, {"b.jpg", 1000}};
  EXPECT_EQ(Classifier(rules).classify("Show S01E02", files).type, ContentType::kVideoEpisode);
}

TEST(Rules, UserSettingsOverrideDefaults) {
  Rules rules = defaults();
  ASSERT_TRUE(rules.add_toml("[settings]\nyear_max = 2100\n", "user.toml").ok());
  const Classifier classifier(rules);
  EXPECT_EQ(classifier.classify("Future.Film.2077.1080p.BluRay.x264-GRP").year.value_or(0), 2077);
  EXPECT_EQ(
      Classifier(defaults()).classify("Future.Film.2077.1080p.BluRay.x264-GRP").year.value_or(0),
      0);
}

TEST(Rules, LoadAppliesUserFilesInOrderAndStopsAtTheFirstBadOne) {
  testing::TempDir dir;
  const std::vector<std::filesystem::path> files = {
      dir.write("a.toml", "[[terms]]\nfield = \"source\"\nvalue = \"A\"\nwords = [\"ZZRip\"]\n"),
      dir.write("b.toml", "[[terms]]\nfield = \"source\"\nvalue = \"B\"\nwords = [\"ZZRip\"]\n"),
  };
  auto rules = Rules::load(files);
  ASSERT_TRUE(rules.ok()) << rules.error().message();
  EXPECT_EQ(Classifier(*rules).classify("Film.2001.ZZRip.x264-GRP").source, "B");
  const std::vector<std::filesystem::path> bad = {files[0],
                                                  dir.write("c.toml", "[[terms]]\nwords = 1\n")};
  auto failed = Rules::load(bad);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().source.find("c.toml"), std::string::npos);
  EXPECT_EQ(failed.error().line, 2u);
}

TEST(Rules, EmptyRulesClassifyEverythingAsUnknown) {
  const Classifier classifier{Rules()};
  EXPECT_EQ(classifier.classify("The.Matrix.1999.1080p.BluRay.x264-GROUP").type,
            ContentType::kUnknown);
}

}  // namespace
}  // namespace magnetar::indexer::classify
