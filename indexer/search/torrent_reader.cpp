#include "indexer/search/torrent_reader.hpp"

#include <pqxx/pqxx>

#include "common/codec.hpp"
#include "indexer/search/hit_row.hpp"
#include "indexer/search/search_sql.hpp"
#include "indexer/store/file_list_codec.hpp"
#include "indexer/store/line_list.hpp"
#include "indexer/store/text_sanitizer.hpp"

namespace magnetar::search {
namespace {

void set_timeout(pqxx::transaction_base& tx, std::chrono::milliseconds timeout) {
  tx.exec(local_timeout_sql(timeout));
}

std::string joined_path(const std::vector<std::string>& components) {
  std::string out;
  for (const auto& c : components) {
    if (!out.empty()) out += '/';
    out += indexer::store::sanitize_text(c).text;
  }
  return out;
}

}  // namespace

std::optional<TorrentDetails> read_torrent(pqxx::connection_base& conn, const InfoHashV1& id,
                                           std::chrono::milliseconds timeout) {
  pqxx::read_transaction tx(conn);
  set_timeout(tx, timeout);
  const auto rows = tx.exec_params(
      std::string("SELECT ") + kHitColumns +
          ", t.title, t.piece_length, t.private, encode(f.files, 'hex'),"
          " EXISTS (SELECT 1 FROM torrent_info_dicts i WHERE i.torrent_id = t.id),"
          " array_to_string(p.trackers, E'\\n'), array_to_string(p.web_seeds, E'\\n')"
          " FROM torrents t LEFT JOIN torrent_files f ON f.torrent_id = t.id"
          " LEFT JOIN pins p ON p.id = t.id"
          " WHERE t.id = decode($1, 'hex')",
      to_hex(id.view()));
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  TorrentDetails d;
  d.summary = read_hit(row);
  const auto& h = d.summary;
  constexpr int c = kHitColumnCount;  // the columns after the summary
  if (!row[c].is_null()) d.title = row[c].as<std::string>();
  d.piece_length = row[c + 1].as<std::int64_t>();
  d.is_private = row[c + 2].as<bool>();
  d.info_dict_stored = row[c + 4].as<bool>();
  d.trackers = indexer::store::split_lines(row[c + 5]);
  d.web_seeds = indexer::store::split_lines(row[c + 6]);
  if (row[c + 3].is_null()) {
    d.files.push_back({h.name, h.size});  // single-file: the name is the file
  } else if (auto bytes = from_hex(row[c + 3].as<std::string>())) {
    if (auto files = indexer::store::decode_file_list(*bytes)) {
      for (const auto& f : *files) d.files.push_back({joined_path(f.path), f.size});
    }
    d.files_truncated = static_cast<std::int64_t>(d.files.size()) < h.file_count;
  }
  return d;
}

std::optional<std::string> read_info_dict(pqxx::connection_base& conn, const InfoHashV1& id,
                                          std::chrono::milliseconds timeout) {
  pqxx::read_transaction tx(conn);
  set_timeout(tx, timeout);
  const auto rows = tx.exec_params(
      "SELECT encode(info, 'hex') FROM torrent_info_dicts WHERE torrent_id = decode($1, 'hex')",
      to_hex(id.view()));
  if (rows.empty()) return std::nullopt;
  return from_hex(rows[0][0].as<std::string>());
}

bool torrent_exists(pqxx::connection_base& conn, const InfoHashV1& id) {
  pqxx::read_transaction tx(conn);
  return !tx.exec_params("SELECT 1 FROM torrents WHERE id = decode($1, 'hex')", to_hex(id.view()))
              .empty();
}

IndexStats read_stats(pqxx::connection_base& conn, std::chrono::milliseconds timeout,
                      std::chrono::seconds live_window) {
  pqxx::read_transaction tx(conn);
  set_timeout(tx, timeout);
  IndexStats s;
  for (const auto& row : tx.exec("SELECT content_type, count FROM torrent_counts")) {
    const auto t = row[0].as<int>();
    const auto n = row[1].as<std::int64_t>();
    if (t >= 0 && t < static_cast<int>(s.per_content_type.size())) s.per_content_type[t] = n;
    s.torrents += n;
  }
  // The block list is small (removals and banned matches): counting it is cheap.
  s.blocked = tx.exec("SELECT count(*) FROM blocked_infohashes")[0][0].as<std::int64_t>();
  s.database_bytes =
      tx.exec("SELECT pg_database_size(current_database())")[0][0].as<std::int64_t>();
  const auto window = std::to_string(live_window.count());
  s.live_crawler_nodes =
      tx.exec("SELECT count(*) FROM crawler_nodes WHERE last_report > now() - interval '" + window +
              " seconds'")[0][0]
          .as<int>();
  for (const auto& row :
       tx.exec("SELECT r.key, sum(r.value::float8) FROM crawler_nodes n, jsonb_each_text(n.rates) r"
               " WHERE n.last_report > now() - interval '" +
               window + " seconds' GROUP BY r.key")) {
    s.crawl_rates[row[0].as<std::string>()] = row[1].as<double>();
  }
  return s;
}

}  // namespace magnetar::search
