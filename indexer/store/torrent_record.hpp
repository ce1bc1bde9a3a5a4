// TorrentRecord: what the indexer pipeline hands to a TorrentStore for one
// torrent. It is filled from a parsed info dict (make_torrent_record) and then
// by the classifier; the store depends on neither.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/infohash.hpp"

namespace magnetar::metainfo {
struct InfoDict;
}

namespace magnetar::indexer::store {

// How the torrent reached us. Stored as a smallint: never renumber.
enum class Source : std::uint8_t {
  kUnknown = 0,
  kDhtSample = 1,    // BEP 51 sample_infohashes
  kDhtAnnounce = 2,  // another node's announce_peer to us
  kDhtGetPeers = 3,  // another node's get_peers to us
  kPin = 4,          // a user pinned its magnet
  kImport = 5,       // imported from a .torrent file or a dump
};

std::string_view to_string(Source source);

// One file of a multi-file torrent: raw path components (arbitrary bytes, as in
// the info dict) and its length in bytes.
struct TorrentFile {
  std::vector<std::string> path;
  std::int64_t size = 0;

  friend bool operator==(const TorrentFile&, const TorrentFile&) = default;
};

struct TorrentRecord {
  InfoHashes hashes;  // at least one of v1 / v2
  std::string name;   // raw bytes; stored by the rule of text_sanitizer.hpp
  std::int64_t total_size = 0;
  std::int64_t file_count = 0;  // the true count, also when files is cut short
  std::int64_t piece_length = 0;
  bool is_private = false;  // BEP 27
  // The files of a multi-file torrent (pad files excluded), empty for a
  // single-file torrent (whose one file is `name`, total_size bytes long).
  std::vector<TorrentFile> files;
  Source source = Source::kUnknown;
  std::chrono::system_clock::time_point seen_at;
  // Classification, filled by indexer/classify: content_type is its
  // ContentType value (0 = unknown); 0 in the small attributes means unknown.
  std::int16_t content_type = 0;
  std::int16_t year = 0;
  std::int16_t season = 0;
  std::int16_t episode = 0;
  std::int16_t resolution = 0;  // vertical lines: 480, 720, 1080, 2160...
  std::string title;            // raw bytes; empty = none
  // The exact bencoded info dict, stored subject to RawInfoPolicy.
  std::optional<std::string> raw_info;
  bool pinned = false;  // a pinned torrent keeps its raw info dict under kPinned
};

// A record from a parsed info dict: hashes, name (name.utf-8 when present),
// sizes, files (path.utf-8 when present, pad files dropped) and its raw bytes.
TorrentRecord make_torrent_record(const metainfo::InfoDict& info, Source source,
                                  std::chrono::system_clock::time_point seen_at);

}  // namespace magnetar::indexer::store
