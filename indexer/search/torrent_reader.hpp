// Reads of one torrent and of the index as a whole, for GetTorrent,
// GetTorrentFile and Stats. PostgreSQL failures throw pqxx exceptions.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/infohash.hpp"
#include "indexer/search/search_spec.hpp"

namespace pqxx {
class connection_base;
}

namespace magnetar::search {

struct FileEntry {
  std::string path;  // components sanitized to valid UTF-8, joined by '/'
  std::int64_t size = 0;
};

struct TorrentDetails {
  Hit summary;
  std::string title;
  std::vector<FileEntry> files;  // a single-file torrent: its name
  bool files_truncated = false;  // the store cut the list (summary.file_count is true)
  std::int64_t piece_length = 0;
  bool is_private = false;
  bool info_dict_stored = false;
  // Known for pinned torrents: the pin's trackers and web seeds.
  std::vector<std::string> trackers;
  std::vector<std::string> web_seeds;
};

// By 20-byte id (v1, or the truncated v2 of a v2-only torrent); nothing when
// not indexed.
std::optional<TorrentDetails> read_torrent(pqxx::connection_base& conn, const InfoHashV1& id,
                                           std::chrono::milliseconds timeout);

// The stored bencoded info dict, or nothing (not indexed, or not kept by the
// raw-info policy).
std::optional<std::string> read_info_dict(pqxx::connection_base& conn, const InfoHashV1& id,
                                          std::chrono::milliseconds timeout);

// Whether the id is indexed.
bool torrent_exists(pqxx::connection_base& conn, const InfoHashV1& id);

struct IndexStats {
  std::int64_t torrents = 0;
  std::array<std::int64_t, 12> per_content_type{};  // exact, by ContentType value
  std::int64_t blocked = 0;
  std::int64_t database_bytes = 0;
  int live_crawler_nodes = 0;
  std::map<std::string, double> crawl_rates;  // summed over live nodes
};

// Nodes count as live while their last report is younger than live_window.
IndexStats read_stats(pqxx::connection_base& conn, std::chrono::milliseconds timeout,
                      std::chrono::seconds live_window);

}  // namespace magnetar::search
