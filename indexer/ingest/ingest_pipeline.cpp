#include "indexer/ingest/ingest_pipeline.hpp"

#include <charconv>

#include "common/metainfo.hpp"

namespace magnetar::indexer::ingest {
namespace {

// "1080p" -> 1080, "4K"/"UHD" -> 2160; 0 when unknown.
std::int16_t resolution_lines(std::string_view r) {
  if (r == "4K" || r == "4k" || r == "UHD") return 2160;
  int lines = 0;
  auto [end, ec] = std::from_chars(r.data(), r.data() + r.size(), lines);
  if (ec != std::errc() || lines <= 0 || lines > 10000) return 0;
  (void)end;
  return static_cast<std::int16_t>(lines);
}

}  // namespace

void apply_classification(const classify::Classification& c, store::TorrentRecord& record) {
  record.content_type = static_cast<std::int16_t>(c.type);
  record.year = c.year ? static_cast<std::int16_t>(*c.year) : 0;
  record.season = c.seasons ? static_cast<std::int16_t>(c.seasons->first) : 0;
  record.episode = c.episodes ? static_cast<std::int16_t>(c.episodes->first) : 0;
  record.resolution = resolution_lines(c.resolution);
  record.title = c.title;
}

void IngestPipeline::ingest(IngestItem item, store::AckFn done) {
  auto info = metainfo::parse_info_dict(item.info_dict);
  if (!info.ok()) {
    // The node verified the hash, so these bytes are what the swarm serves:
    // not a torrent we can index. Nothing to keep.
    counters_.invalid.fetch_add(1, std::memory_order_relaxed);
    done();
    return;
  }
  auto record = store::make_torrent_record(*info, item.source, item.seen_at);
  if (is_pinned_ && is_pinned_(record.hashes.id())) record.pinned = true;

  // The classifier and the banned filter see paths joined with '/'.
  std::vector<std::string> paths;
  paths.reserve(record.files.size());
  for (const auto& f : record.files) {
    std::string joined;
    for (const auto& component : f.path) {
      if (!joined.empty()) joined += '/';
      joined += component;
    }
    paths.push_back(std::move(joined));
  }
  std::vector<classify::FileEntry> files;
  files.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    files.push_back({paths[i], static_cast<std::uint64_t>(record.files[i].size)});
  }

  if (auto match = banned_.check(record.name, files)) {
    counters_.banned.fetch_add(1, std::memory_order_relaxed);
    store_.block(record.hashes.id(), "banned rule " + match->rule_id);
    done();
    return;
  }
  apply_classification(classifier_.classify(record.name, files), record);
  counters_.queued.fetch_add(1, std::memory_order_relaxed);
  std::vector<store::TorrentRecord> batch;
  batch.push_back(std::move(record));
  store_.submit(std::move(batch), std::move(done));
}

}  // namespace magnetar::indexer::ingest
