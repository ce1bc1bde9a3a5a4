#include "indexer/reclassify/reclassifier.hpp"

#include <pqxx/pqxx>

#include "common/codec.hpp"
#include "indexer/ingest/ingest_pipeline.hpp"
#include "indexer/store/file_list_codec.hpp"
#include "indexer/store/text_sanitizer.hpp"

namespace magnetar::indexer::reclassify {
namespace {

// The classification columns as stored (NULL where the classifier found nothing).
struct Columns {
  std::int16_t content_type = 0;
  std::optional<std::int16_t> year, season, episode, resolution;
  std::optional<std::string> title;
  friend bool operator==(const Columns&, const Columns&) = default;
};

std::optional<std::int16_t> small_or_null(std::int16_t v) {
  return v == 0 ? std::nullopt : std::optional<std::int16_t>(v);
}

Columns columns_of(const store::TorrentRecord& r) {
  Columns c;
  c.content_type = r.content_type;
  c.year = small_or_null(r.year);
  c.season = small_or_null(r.season);
  c.episode = small_or_null(r.episode);
  c.resolution = small_or_null(r.resolution);
  if (!r.title.empty()) c.title = store::sanitize_text(r.title).text;
  return c;
}

std::optional<std::int16_t> small_field(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::int16_t>();
}

std::string sql_small(const std::optional<std::int16_t>& v) {
  return v ? std::to_string(*v) : "NULL";
}

std::string bytea_literal(std::string_view bytes) { return "'\\x" + to_hex(bytes) + "'::bytea"; }

}  // namespace

Reclassifier::Reclassifier(std::string dsn, const classify::Classifier& classifier,
                           const classify::BannedFilter& banned, store::TorrentStore& store,
                           std::size_t batch_size)
    : dsn_(std::move(dsn)),
      classifier_(classifier),
      banned_(banned),
      store_(store),
      batch_size_(batch_size) {}

ReclassifyStats Reclassifier::run(
    const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  pqxx::connection db(dsn_);
  std::uint64_t total;
  {
    pqxx::read_transaction tx(db);
    total = tx.exec1("SELECT count(*) FROM torrents")[0].as<std::uint64_t>();
  }
  ReclassifyStats stats;
  std::string after;  // the last id of the previous batch (keyset paging)
  while (true) {
    std::vector<std::string> updates;
    std::vector<std::pair<InfoHashV1, std::string>> to_block;
    std::size_t rows_read = 0;
    {
      pqxx::read_transaction tx(db);
      const auto rows = tx.exec_params(
          "SELECT t.id, coalesce(t.name_raw, convert_to(t.name, 'UTF8')), f.files, "
          "t.content_type, t.year, t.season, t.episode, t.resolution, t.title "
          "FROM torrents t LEFT JOIN torrent_files f ON f.torrent_id = t.id "
          "WHERE t.id > $1 ORDER BY t.id LIMIT $2",
          pqxx::binarystring(after), batch_size_);
      rows_read = rows.size();
      for (const auto& row : rows) {
        const pqxx::binarystring id(row[0]);
        const pqxx::binarystring name(row[1]);
        after = id.str();
        store::TorrentRecord record;
        record.name = name.str();
        if (!row[2].is_null()) {
          auto files = store::decode_file_list(pqxx::binarystring(row[2]).str());
          if (files.ok()) record.files = std::move(*files);
        }
        std::vector<std::string> paths;
        std::vector<classify::FileEntry> entries;
        paths.reserve(record.files.size());
        for (const auto& f : record.files) {
          std::string joined;
          for (const auto& c : f.path) joined += (joined.empty() ? "" : "/") + c;
          paths.push_back(std::move(joined));
        }
        for (std::size_t i = 0; i < paths.size(); ++i) {
          entries.push_back({paths[i], static_cast<std::uint64_t>(record.files[i].size)});
        }
        ++stats.scanned;
        if (auto match = banned_.check(record.name, entries)) {
          to_block.emplace_back(*InfoHashV1::from_bytes(id.str()), "banned rule " + match->rule_id);
          continue;
        }
        ingest::apply_classification(classifier_.classify(record.name, entries), record);
        const Columns now = columns_of(record);
        Columns stored;
        stored.content_type = row[3].as<std::int16_t>();
        stored.year = small_field(row[4]);
        stored.season = small_field(row[5]);
        stored.episode = small_field(row[6]);
        stored.resolution = small_field(row[7]);
        if (!row[8].is_null()) stored.title = row[8].as<std::string>();
        if (now == stored) continue;
        updates.push_back("(" + bytea_literal(id.str()) + "," + std::to_string(now.content_type) +
                          "::smallint," + sql_small(now.year) + "::smallint," +
                          sql_small(now.season) + "::smallint," + sql_small(now.episode) +
                          "::smallint," + sql_small(now.resolution) + "::smallint," +
                          (now.title ? tx.quote(*now.title) : std::string("NULL")) + "::text)");
      }
    }
    if (!updates.empty()) {
      std::string values;
      for (const auto& u : updates) values += (values.empty() ? "" : ",") + u;
      pqxx::work tx(db);
      tx.exec(
          "UPDATE torrents t SET content_type = v.ct, year = v.y, season = v.s, episode = v.e, "
          "resolution = v.r, title = v.title FROM (VALUES " +
          values + ") AS v(id, ct, y, s, e, r, title) WHERE t.id = v.id");
      tx.commit();
      stats.changed += updates.size();
    }
    for (const auto& [id, reason] : to_block) store_.block(id, reason);
    stats.blocked += to_block.size();
    if (progress) progress(stats.scanned, std::max(total, stats.scanned));
    if (rows_read < batch_size_) break;
  }
  return stats;
}

}  // namespace magnetar::indexer::reclassify
