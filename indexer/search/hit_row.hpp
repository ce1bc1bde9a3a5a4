// The summary columns of a torrent (torrents AS t) and their reading into a
// Hit: one list for the search's page and for GetTorrent, so the two can
// never disagree on a column.
#pragma once

#include <chrono>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "indexer/search/search_spec.hpp"

namespace magnetar::search {

inline constexpr const char* kHitColumns =
    "encode(t.id, 'hex'), encode(t.v2, 'hex'), t.name, t.total_size, t.file_count,"
    " t.content_type, (extract(epoch FROM t.first_seen) * 1000000)::bigint,"
    " (extract(epoch FROM t.last_seen) * 1000000)::bigint, t.year, t.resolution, t.season,"
    " t.episode";
// How many columns kHitColumns is: the row's next column is the caller's.
inline constexpr int kHitColumnCount = 12;

inline TimePoint from_micros(std::int64_t us) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(us)));
}

inline std::optional<int> optional_int(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<int>();
}

// The Hit of a row that starts with kHitColumns (score left at 0).
inline Hit read_hit(const pqxx::row& row) {
  Hit h;
  h.id = *InfoHashV1::from_hex(row[0].as<std::string>());
  if (!row[1].is_null()) h.v2 = InfoHashV2::from_hex(row[1].as<std::string>());
  h.name = row[2].as<std::string>();
  h.size = row[3].as<std::int64_t>();
  h.file_count = row[4].as<std::int32_t>();
  h.content_type = row[5].as<int>();
  h.first_seen = from_micros(row[6].as<std::int64_t>());
  h.last_seen = from_micros(row[7].as<std::int64_t>());
  h.year = optional_int(row[8]);
  h.resolution = optional_int(row[9]);
  h.season = optional_int(row[10]);
  h.episode = optional_int(row[11]);
  return h;
}

}  // namespace magnetar::search
