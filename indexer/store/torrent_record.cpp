#include "indexer/store/torrent_record.hpp"

#include "common/metainfo.hpp"

namespace magnetar::indexer::store {

std::string_view to_string(Source source) {
  switch (source) {
    case Source::kUnknown:
      return "unknown";
    case Source::kDhtSample:
      return "dht_sample";
    case Source::kDhtAnnounce:
      return "dht_announce";
    case Source::kDhtGetPeers:
      return "dht_get_peers";
    case Source::kPin:
      return "pin";
    case Source::kImport:
      return "import";
  }
  return "unknown";
}

TorrentRecord make_torrent_record(const metainfo::InfoDict& info, Source source,
                                  std::chrono::system_clock::time_point seen_at) {
  TorrentRecord r;
  r.hashes = info.hashes;
  r.name = info.name_utf8 ? *info.name_utf8 : info.name;
  r.total_size = info.total_size;
  r.file_count = static_cast<std::int64_t>(info.file_count);
  r.piece_length = info.piece_length;
  r.is_private = info.is_private;
  if (info.multi_file) {
    r.files.reserve(info.file_count);
    for (const auto& f : info.files) {
      if (f.pad()) continue;
      r.files.push_back({f.path_utf8 ? *f.path_utf8 : f.path, f.length});
    }
  }
  r.source = source;
  r.seen_at = seen_at;
  r.raw_info = info.raw;
  r.pinned = source == Source::kPin;
  return r;
}

}  // namespace magnetar::indexer::store
