#include "indexer/classify/content_type.hpp"

#include <array>

namespace magnetar::indexer::classify {
namespace {

constexpr std::array<std::string_view, kContentTypeCount> kNames = {
    "unknown", "video_movie", "video_episode", "audio_music", "audiobook", "ebook",
    "comic",   "software",    "game",          "image",       "archive",   "xxx",
};

}  // namespace

std::string_view to_string(ContentType type) {
  const auto index = static_cast<std::size_t>(type);
  return index < kNames.size() ? kNames[index] : "unknown";
}

std::optional<ContentType> content_type_from_string(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<ContentType>(i);
  }
  return std::nullopt;
}

}  // namespace magnetar::indexer::classify
