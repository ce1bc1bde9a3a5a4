// Hostile and random input never crashes the classifier, and its output is
// always valid UTF-8; a rough speed figure is printed (not asserted).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "indexer/classify/classifier.hpp"
#include "indexer/classify/text_clean.hpp"
#include "tests/indexer/classify/case_table.hpp"

namespace magnetar::indexer::classify::testing {
namespace {

void expect_clean(const Classification& r) {
  EXPECT_EQ(sanitize_utf8(r.title), r.title);
  EXPECT_EQ(sanitize_utf8(r.release_group), r.release_group);
  EXPECT_EQ(sanitize_utf8(r.artist), r.artist);
  EXPECT_EQ(sanitize_utf8(r.version), r.version);
}

TEST(ClassifierRobustness, InvalidUtf8NamesGiveValidUtf8Titles) {
  const Classifier& c = default_classifier();
  const std::vector<std::string> names = {
      std::string("The.Matrix.\xff\xfe.1999.1080p.BluRay.x264-GR\xc3"),
      std::string("\xc3\x28\xa0\xa1.S01E01.720p"),
      std::string("Film\0Name.2019.1080p", 20),
      std::string("[\xe2\x82] Anime - 01 [1080p]"),
      std::string("\xed\xa0\x80 surrogate 2020"),
      std::string("\xf4\x90\x80\x80 too high"),
      std::string("\x01\x02\x1f control \x7f chars 1999 720p"),
      std::string("Amélie.2001.1080p"),
  };
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    const Classification r = c.classify(name);
    expect_clean(r);
    EXPECT_EQ(r.title.find('\0'), std::string::npos);
  }
  EXPECT_EQ(c.classify("Am\xc3\xa9lie.2001.1080p").title, "Am\xc3\xa9lie");
  EXPECT_EQ(c.classify("Bad\xff.2001.1080p").title, "Bad\xef\xbf\xbd");
}

TEST(ClassifierRobustness, EdgeCaseNamesDoNotCrash) {
  const Classifier& c = default_classifier();
  const std::vector<std::string> names = {
      "",
      ".",
      "-",
      "[",
      "]",
      "[]",
      "[[[[",
      "((((",
      "[a]",
      "[a] ",
      "www.",
      "www.x.com",
      ".mkv",
      "a.mkv.",
      std::string(5000, 'x'),
      std::string(5000, '.'),
      std::string(5000, '1'),
      std::string(3000, '-') + "GROUP",
      "S01E01",
      "s9999e99999",
      "2023.05.01",
      "v1.2.3.4.5.6.7.8.9.10.11.12.13.14.15",
      "1x01-1x02-1x03",
      "- 01",
      "[G] - ",
      "[G] - 1",
      "<n4>",
      "~~~~",
      "ÿÿÿÿ",
      "x264-",
      "-x264",
      "a-b-c-d-e-f-g",
  };
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    expect_clean(c.classify(name));
  }
  // A huge file list: bounded work, and the type still follows the files.
  std::vector<std::string> paths;
  std::vector<FileEntry> files;
  for (int i = 0; i < 20000; ++i) paths.push_back("dir/sub/track " + std::to_string(i) + ".flac");
  for (const auto& p : paths) files.push_back({p, 10000000});
  EXPECT_EQ(c.classify("Huge", files).type, ContentType::kAudioMusic);
}

std::string random_name(std::mt19937& rng) {
  static const std::vector<std::string> words = {
      "The",  "Matrix", "1999",    "1080p",  "BluRay",    "x264",  "S01E02", "-",    ".",
      "[",    "]",      "(",       ")",      "FLAC",      "MP3",   "2023",   "05",   "01",
      "v2.1", "x64",    "FitGirl", "Season", "Complete",  "XXX",   "epub",   "cbz",  "1x02",
      "DTS",  "HD",     "MA",      "5.1",    "www.a.com", "GROUP", "\xff",   "\xc3", "é"};
  std::uniform_int_distribution<int> count(0, 20), pick(0, static_cast<int>(words.size()) - 1),
      byte(0, 255), mode(0, 3);
  std::string name;
  const int n = count(rng);
  for (int i = 0; i < n; ++i) {
    if (mode(rng) == 0) {
      name += static_cast<char>(byte(rng));
    } else {
      name += words[static_cast<std::size_t>(pick(rng))];
      if (mode(rng) != 0) name += (mode(rng) == 1 ? '.' : ' ');
    }
  }
  return name;
}

TEST(ClassifierRobustness, TenThousandRandomNamesNeverCrash) {
  const Classifier& c = default_classifier();
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> files_count(0, 5), byte(0, 255);
  for (int i = 0; i < 10000; ++i) {
    const std::string name = random_name(rng);
    std::vector<std::string> paths;
    const int n = files_count(rng);
    for (int f = 0; f < n; ++f)
      paths.push_back(random_name(rng) + "." + random_name(rng).substr(0, 4));
    std::vector<FileEntry> files;
    for (const auto& p : paths) files.push_back({p, static_cast<std::uint64_t>(byte(rng)) << 20});
    const Classification r = c.classify(name, files);
    expect_clean(r);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "first failing random name #" << i;
      return;
    }
  }
}

TEST(ClassifierRobustness, PrintsWorstCaseTime) {
  const Classifier& c = default_classifier();
  std::string name;
  while (name.size() < kMaxNameBytes) name += "s01e01.1080p.dd5.1.";
  std::vector<std::string> paths;
  for (int i = 0; i < 10000; ++i)
    paths.push_back("d/Some.Show.S01E" + std::to_string(i % 100) + ".1080p.mkv");
  std::vector<FileEntry> files;
  for (std::size_t i = 0; i < paths.size(); ++i) files.push_back({paths[i], 1000 + i});
  const auto start = std::chrono::steady_clock::now();
  constexpr int kRounds = 20;
  for (int i = 0; i < kRounds; ++i)
    EXPECT_EQ(c.classify(name, files).type, ContentType::kVideoEpisode);
  const auto us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  std::printf("classify: %.0f us for a %zu-byte name with 10000 files\n", us / kRounds,
              name.size());
}

TEST(ClassifierRobustness, BatchClassifiesEachInputInOrder) {
  const Classifier& c = default_classifier();
  const std::vector<FileEntry> album = {{"01.flac", 30000000}, {"02.flac", 30000000}};
  const std::vector<TorrentInput> inputs = {
      {"The.Matrix.1999.1080p.BluRay.x264-GROUP", {}},
      {"Show.S01E02.720p.HDTV.x264-GRP", {}},
      {"Artist - Album (2001)", album},
  };
  const auto out = c.classify_batch(inputs);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].type, ContentType::kVideoMovie);
  EXPECT_EQ(out[1].type, ContentType::kVideoEpisode);
  EXPECT_EQ(out[2].type, ContentType::kAudioMusic);
}

TEST(ClassifierRobustness, PrintsRoughSpeed) {
  const Classifier& c = default_classifier();
  const std::vector<std::string> names = {
      "The.Matrix.1999.1080p.BluRay.x264-GROUP",
      "The Matrix (1999) [1080p] [YTS.MX]",
      "[SubsPlease] Frieren - 12 (1080p) [ABCD1234].mkv",
      "Artist - Album (2019) [FLAC 24-96]",
      "Adobe Photoshop 2024 v25.0 x64 Multilingual",
      "Dune.Part.Two.2024.2160p.WEB-DL.DDP5.1.Atmos.DV.HDR.H.265-FLUX",
      "The.Office.US.S05E14.Stress.Relief.720p.WEB-DL.DD5.1.H.264-NTb",
      "Elden Ring [FitGirl Repack]",
  };
  const std::vector<FileEntry> files = {{"a/01.mkv", 900000000},
                                        {"a/02.mkv", 900000000},
                                        {"a/sample.mkv", 1000},
                                        {"a/info.nfo", 100}};
  constexpr int kRounds = 5000;
  std::size_t sink = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    for (const auto& name : names) sink += c.classify(name).title.size();
  }
  const auto mid = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    for (const auto& name : names) sink += c.classify(name, files).title.size();
  }
  const auto end = std::chrono::steady_clock::now();
  const double n = static_cast<double>(kRounds) * static_cast<double>(names.size());
  const double name_ns = std::chrono::duration<double, std::nano>(mid - start).count() / n;
  const double files_ns = std::chrono::duration<double, std::nano>(end - mid).count() / n;
  std::printf(
      "classify: %.0f ns/name (name only), %.0f ns/name (with 4 files), %.0f names/s/core\n",
      name_ns, files_ns, 1e9 / name_ns);
  EXPECT_GT(sink, 0u);
}

}  // namespace
}  // namespace magnetar::indexer::classify::testing
