// The table format of the classifier's name tests: one row per torrent, every
// attribute given is asserted; attributes left out are not checked (kSkip,
// nullptr), kNone asserts that the attribute is absent.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/classify/classifier.hpp"

namespace magnetar::indexer::classify::testing {

inline constexpr int kSkip = -1;
inline constexpr int kNone = -2;

struct File {
  std::string_view path;
  std::uint64_t size = 0;
};

struct Case {
  std::string_view name;
  ContentType type = ContentType::kUnknown;
  const char* title = nullptr;
  int year = kSkip;
  int season = kSkip;
  int season_end = kSkip;  // kSkip: same as season when season is given
  int episode = kSkip;
  int episode_end = kSkip;  // kSkip: same as episode when episode is given
  const char* resolution = nullptr;
  const char* source = nullptr;
  const char* codec = nullptr;
  const char* group = nullptr;
  const char* audio = nullptr;      // comma-separated, in order of appearance
  const char* languages = nullptr;  // comma-separated
  const char* flags = nullptr;      // comma-separated
  const char* artist = nullptr;
  const char* album = nullptr;
  const char* bitrate = nullptr;
  const char* platform = nullptr;
  const char* version = nullptr;
  std::vector<File> files = {};
};

inline const Classifier& default_classifier() {
  static const Classifier classifier = [] {
    auto rules = Rules::defaults();
    if (!rules) ADD_FAILURE() << rules.error().message();
    return Classifier(rules ? *rules : Rules());
  }();
  return classifier;
}

inline std::string join(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& item : list) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

inline void check_range(const char* what, const std::optional<Range>& got, int first, int last) {
  if (first == kSkip) return;
  if (first == kNone) {
    EXPECT_FALSE(got.has_value()) << what << " should be absent, got " << got->first << "-"
                                  << got->last;
    return;
  }
  const int end = last == kSkip ? first : last;
  ASSERT_TRUE(got.has_value()) << what << " missing";
  EXPECT_EQ(got->first, static_cast<std::uint32_t>(first)) << what;
  EXPECT_EQ(got->last, static_cast<std::uint32_t>(end)) << what;
}

inline void check_text(const char* what, const std::string& got, const char* expected) {
  if (expected == nullptr) return;
  EXPECT_EQ(got, expected) << what;
}

inline void check_case(const Case& c, const Classifier& classifier = default_classifier()) {
  SCOPED_TRACE(std::string("name: ") + std::string(c.name));
  std::vector<FileEntry> files;
  for (const File& f : c.files) files.push_back(FileEntry{f.path, f.size});
  const Classification r = classifier.classify(c.name, files);
  EXPECT_EQ(to_string(r.type), to_string(c.type)) << "type";
  check_text("title", r.title, c.title);
  if (c.year == kNone) {
    EXPECT_FALSE(r.year.has_value()) << "year should be absent, got " << r.year.value_or(0);
  } else if (c.year != kSkip) {
    EXPECT_EQ(r.year.value_or(0), c.year) << "year";
  }
  check_range("seasons", r.seasons, c.season, c.season_end);
  check_range("episodes", r.episodes, c.episode, c.episode_end);
  check_text("resolution", r.resolution, c.resolution);
  check_text("source", r.source, c.source);
  check_text("video codec", r.video_codec, c.codec);
  check_text("release group", r.release_group, c.group);
  check_text("audio", join(r.audio), c.audio);
  check_text("languages", join(r.languages), c.languages);
  check_text("flags", join(r.flags), c.flags);
  check_text("artist", r.artist, c.artist);
  check_text("album", r.album, c.album);
  check_text("bitrate", r.bitrate, c.bitrate);
  check_text("platform", r.platform, c.platform);
  check_text("version", r.version, c.version);
}

}  // namespace magnetar::indexer::classify::testing
