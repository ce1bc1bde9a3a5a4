// A TorrentRecord encoded as the text fields of one COPY row of the writer's
// staging table: names sanitized (text_sanitizer.hpp), bytea as "\x" hex (the
// COPY text form; libpqxx 6.4's stream_to takes no binarystring), the file
// list encoded (file_list_codec.hpp). Done on the submitting thread, so that
// the writer thread only streams; nothing in a record can fail a batch.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/infohash.hpp"
#include "indexer/store/raw_info_policy.hpp"
#include "indexer/store/torrent_record.hpp"

namespace magnetar::indexer::store {

// Default of the max_stored_files setting: the file list is stored up to this
// many files (the true count is kept). Covers ~99.5% of real torrents whole;
// the rest are software/image dumps whose 10,000-file listings nobody reads.
inline constexpr std::size_t kDefaultMaxStoredFiles = 1000;

struct StagedRowOptions {
  std::size_t max_stored_files = kDefaultMaxStoredFiles;
  RawInfoPolicy raw_info_policy = RawInfoPolicy::kPinned;
};

// Optional fields are empty for SQL NULL (name is never NULL).
struct StagedRow {
  InfoHashV1 id;
  std::int64_t first_seen_us = 0;  // microseconds since the Unix epoch
  std::int64_t last_seen_us = 0;
  std::string id_hex;  // "\x" + 40 hex digits
  std::string v2_hex;
  std::int64_t total_size = 0;
  std::int32_t file_count = 0;
  std::int32_t piece_length = 0;
  std::int16_t source = 0;
  std::int16_t content_type = 0;
  std::string year, season, episode, resolution;
  bool is_private = false;
  std::string name;  // valid UTF-8 without NUL or control characters
  std::string name_raw_hex;
  std::string title;
  std::string extensions;  // array literal "{mkv,srt}"
  std::string files_hex;
  std::string info_hex;

  // Approximate bytes on the wire, for batching by size.
  std::size_t wire_size() const;
};

// Precondition: !record.hashes.empty().
StagedRow make_staged_row(const TorrentRecord& record, const StagedRowOptions& options);

// "\x" followed by the lower-case hex of bytes: bytea in COPY text or a literal.
std::string bytea_hex(std::string_view bytes);

}  // namespace magnetar::indexer::store
