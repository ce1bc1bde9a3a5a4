// The content type of a torrent, as decided by the classifier.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace magnetar::indexer::classify {

enum class ContentType : unsigned char {
  kUnknown = 0,
  kVideoMovie,
  kVideoEpisode,
  kAudioMusic,
  kAudiobook,
  kEbook,
  kComic,
  kSoftware,
  kGame,
  kImage,
  kArchive,
  kXxx,
};

inline constexpr std::size_t kContentTypeCount = 12;

// "video_movie", "audiobook", ...: the names used in rules files and the store.
std::string_view to_string(ContentType type);
std::optional<ContentType> content_type_from_string(std::string_view name);

}  // namespace magnetar::indexer::classify
