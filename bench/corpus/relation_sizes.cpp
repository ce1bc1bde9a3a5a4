#include "bench/corpus/relation_sizes.hpp"

#include <cstdio>

namespace magnetar::bench {
namespace {

// A table row is well under this: a relation name is at most 63 bytes
// (NAMEDATALEN), then 4 x 15 + 11 + 16 characters.
constexpr std::size_t kRowChars = 256;

}  // namespace

std::vector<RelationSize> relation_sizes(pqxx::connection_base& c) {
  pqxx::read_transaction tx(c);
  std::vector<RelationSize> out;
  for (const auto& row :
       tx.exec("SELECT c.relname, pg_relation_size(c.oid), pg_indexes_size(c.oid),"
               " coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0),"
               " pg_total_relation_size(c.oid)"
               " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
               " WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 5 DESC, 1")) {
    out.push_back({row[0].as<std::string>(), row[1].as<std::int64_t>(), row[2].as<std::int64_t>(),
                   row[3].as<std::int64_t>(), row[4].as<std::int64_t>()});
  }
  return out;
}

double bytes_per_torrent(const std::vector<RelationSize>& sizes, std::int64_t torrents) {
  std::int64_t counted = 0;
  for (const auto& r : sizes) {
    if (r.name != kUncountedRelation) counted += r.total;
  }
  return static_cast<double>(counted) / static_cast<double>(torrents);
}

std::string format_relation_sizes(const std::vector<RelationSize>& sizes, std::int64_t torrents) {
  char row[kRowChars];
  std::snprintf(row, sizeof row, "\n%-22s %14s %14s %14s %14s %10s\n", "relation", "heap",
                "indexes", "toast", "total", "B/torrent");
  std::string out = row;
  for (const auto& r : sizes) {
    std::snprintf(row, sizeof row, "%-22s %14lld %14lld %14lld %14lld %10.1f%s\n", r.name.c_str(),
                  static_cast<long long>(r.heap), static_cast<long long>(r.indexes),
                  static_cast<long long>(r.toast), static_cast<long long>(r.total),
                  static_cast<double>(r.total) / static_cast<double>(torrents),
                  r.name == kUncountedRelation ? "  (not counted)" : "");
    out += row;
  }
  return out;
}

}  // namespace magnetar::bench
