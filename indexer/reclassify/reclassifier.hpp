// Re-runs the current classifier rules and banned-content rules over every
// stored torrent, after the rules changed: in batches by id (keyset paging,
// so each batch is one index range scan, and a restart may begin anywhere),
// rewriting only the rows whose classification changed, and blocking (which
// deletes) the torrents that the banned rules now match.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "indexer/classify/banned_filter.hpp"
#include "indexer/classify/classifier.hpp"
#include "indexer/store/torrent_store.hpp"

namespace magnetar::indexer::reclassify {

// Rows read and rewritten per transaction: large enough to amortise the
// round trips, small enough that a batch's UPDATE stays a short transaction.
inline constexpr std::size_t kDefaultBatchSize = 2'000;

struct ReclassifyStats {
  std::uint64_t scanned = 0;
  std::uint64_t changed = 0;  // classification columns rewritten
  std::uint64_t blocked = 0;  // matched the banned rules: blocked and deleted
};

class Reclassifier {
 public:
  // `store` is used only to block (the block list lives behind it).
  Reclassifier(std::string dsn, const classify::Classifier& classifier,
               const classify::BannedFilter& banned, store::TorrentStore& store,
               std::size_t batch_size = kDefaultBatchSize);

  // progress(done, total) after each batch; total is the row count at start.
  // Throws pqxx / StoreError on database failures (a rerun resumes harmlessly).
  ReclassifyStats run(const std::function<void(std::uint64_t, std::uint64_t)>& progress = {});

 private:
  std::string dsn_;
  const classify::Classifier& classifier_;
  const classify::BannedFilter& banned_;
  store::TorrentStore& store_;
  std::size_t batch_size_;
};

}  // namespace magnetar::indexer::reclassify
