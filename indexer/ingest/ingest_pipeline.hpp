// The indexer's front door: an info dict as a crawler node fetched it goes in;
// what comes out is a classified TorrentRecord queued on the TorrentStore, an
// infohash put on the block list (banned content), or nothing (not a valid
// info dict). Whichever it is, the caller is told once it is durable, so the
// node can drop the item from its outbox.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/infohash.hpp"
#include "indexer/classify/banned_filter.hpp"
#include "indexer/classify/classifier.hpp"
#include "indexer/store/torrent_store.hpp"

namespace magnetar::indexer::ingest {

struct IngestItem {
  std::string info_dict;  // the exact bytes, verified against the infohash by the node
  store::Source source = store::Source::kUnknown;
  std::chrono::system_clock::time_point seen_at;
};

struct IngestCounters {
  std::atomic<std::uint64_t> queued{0};   // handed to the store
  std::atomic<std::uint64_t> invalid{0};  // not a valid info dict: dropped
  std::atomic<std::uint64_t> banned{0};   // matched the banned list: blocked
};

class IngestPipeline {
 public:
  IngestPipeline(store::TorrentStore& store, const classify::Classifier& classifier,
                 const classify::BannedFilter& banned)
      : store_(store), classifier_(classifier), banned_(banned) {}

  // `done` runs once the outcome is durable: after COMMIT for a stored record
  // (on the store's writer thread), or at once for a dropped or blocked one.
  // Blocks while the store's queue is full (backpressure to the stream).
  // Throws store::StoreError when the block list cannot be written.
  void ingest(IngestItem item, store::AckFn done);

  // new | known | blocked, one per id.
  std::vector<store::Triage> triage(std::span<const InfoHashV1> ids) { return store_.triage(ids); }

  const IngestCounters& counters() const { return counters_; }

  // Which ids are pinned (e.g. KeeperService::is_pinned): their records keep
  // the raw info dict under store.raw_info = pinned, whichever node fetched
  // them. Set before the first ingest; called on the ingesting threads.
  void set_pin_check(std::function<bool(const InfoHashV1&)> is_pinned) {
    is_pinned_ = std::move(is_pinned);
  }

 private:
  store::TorrentStore& store_;
  const classify::Classifier& classifier_;
  const classify::BannedFilter& banned_;
  IngestCounters counters_;
  std::function<bool(const InfoHashV1&)> is_pinned_;
};

// Copies what the classifier found into the record's classification columns.
void apply_classification(const classify::Classification& c, store::TorrentRecord& record);

}  // namespace magnetar::indexer::ingest
