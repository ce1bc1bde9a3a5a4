// What the classifier says about one torrent: its content type and the
// attributes parsed from its name and file list. Strings are valid UTF-8 (the
// name's invalid bytes become U+FFFD); an empty string means "not found".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/classify/content_type.hpp"

namespace magnetar::indexer::classify {

// An inclusive range: S01E01-E03 has episodes {1, 3}; S02E05 has {5, 5}.
struct Range {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  friend bool operator==(const Range&, const Range&) = default;
};

struct Date {
  std::uint16_t year = 0;
  std::uint8_t month = 0;
  std::uint8_t day = 0;
  friend bool operator==(const Date&, const Date&) = default;
};

struct Classification {
  ContentType type = ContentType::kUnknown;
  std::string title;  // cleaned: separators to spaces, release tags removed
  std::optional<std::uint16_t> year;
  std::optional<Range> seasons;
  std::optional<Range> episodes;
  std::optional<Date> air_date;        // daily shows: Show.2023.05.01
  bool complete = false;               // "Complete Series", "Complete Season"
  std::string resolution;              // "1080p", "2160p", ...
  std::string source;                  // "BluRay", "WEB-DL", ...
  std::string video_codec;             // "x264", "x265", "AV1", ...
  std::vector<std::string> audio;      // "DTS-HD MA", "Atmos", "FLAC", "AAC", ...
  std::vector<std::string> languages;  // "multi", "fr", "de", ...
  std::vector<std::string> flags;      // "3d", "hdr", "dv", "remux", "proper", "extended", ...
  std::string release_group;
  std::string bitrate;  // music and audiobooks only: "320kbps", "V0", "24-96"
  std::string artist;   // music: "Artist - Album (Year)"
  std::string album;
  std::string platform;  // software and games only: "Windows", "macOS", "PS4", ...
  std::string version;   // software and games only: "25.0.1"

  bool has_flag(std::string_view flag) const {
    for (const auto& f : flags) {
      if (f == flag) return true;
    }
    return false;
  }
};

}  // namespace magnetar::indexer::classify
