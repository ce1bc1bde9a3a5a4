// The on-disk size of every table of the schema (heap, indexes, TOAST), and
// the bytes-per-torrent figure bench/ingest and bench/search both report.
#pragma once

#include <cstdint>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

namespace magnetar::bench {

// Raw info dicts are kept by raw_info_policy, not for search: the disk budget
// of schema/migrations/0002_torrent_store.sql counts every relation and index
// but this one (indexer/store/README.md).
inline constexpr std::string_view kUncountedRelation = "torrent_info_dicts";

struct RelationSize {
  std::string name;
  std::int64_t heap = 0, indexes = 0, toast = 0, total = 0;
};

// Every table of the public schema, largest total first (then by name). Run
// VACUUM ANALYZE first for sizes without dead tuples.
std::vector<RelationSize> relation_sizes(pqxx::connection_base& c);

// The total of every relation but kUncountedRelation, over `torrents`.
double bytes_per_torrent(const std::vector<RelationSize>& sizes, std::int64_t torrents);

// The table both benchmarks print: a blank line, a header, then a row per
// relation with its bytes per torrent, kUncountedRelation marked.
std::string format_relation_sizes(const std::vector<RelationSize>& sizes, std::int64_t torrents);

}  // namespace magnetar::bench
