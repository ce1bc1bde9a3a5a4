// NodeState: a crawler node's local state in one RocksDB database under its
// data directory (DESIGN.md "Storage responsibilities"), one column family per
// kind of data, each with its own durability choice (see each class):
//   seen    SeenSet   infohash -> first/last seen, attempts, outcome, retry time
//   retry   SeenSet   (retry time, infohash) -> source: failures awaiting a retry
//   dht     DhtStore  the DHT state blob and per-node sampling schedules
//   outbox  Outbox    verified info dicts until the hub acks them as committed
//   pins    PinCache  info dicts of this node's keep-alive pins
//   default           small metadata (format version, the outbox's next seq)
//
// Opening throws DataDirInUseError when another process (or another NodeState
// in this one) holds the database's LOCK, and StateError on other failures.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>

#include "common/infohash.hpp"
#include "crawler/state/dht_store.hpp"
#include "crawler/state/outbox.hpp"
#include "crawler/state/pin_cache.hpp"
#include "crawler/state/seen_set.hpp"

namespace magnetar::crawler::state {

// RocksDB's block cache shared by the column families: the seen set's index
// and filter blocks stay in memory, so a lookup of an unseen infohash (most
// of them) is answered by its Bloom filter without a disk read.
inline constexpr std::size_t kDefaultBlockCacheBytes = 64u << 20;
// The database lives in this subdirectory of the data directory, which also
// holds other things (the embedded PostgreSQL of `magnetar up`).
inline constexpr std::string_view kStateSubdir = "crawler-state";

struct NodeStateOptions {
  std::filesystem::path data_dir;
  OutboxOptions outbox;
  RetryPolicy retry;
  std::size_t seen_cache_entries = kDefaultSeenCacheEntries;
  std::size_t block_cache_bytes = kDefaultBlockCacheBytes;
};

class NodeState {
 public:
  explicit NodeState(NodeStateOptions options);
  ~NodeState();
  NodeState(const NodeState&) = delete;
  NodeState& operator=(const NodeState&) = delete;

  SeenSet& seen() { return *seen_; }
  Outbox& outbox() { return *outbox_; }
  DhtStore& dht() { return *dht_; }
  PinCache& pins() { return *pins_; }

  // A verified fetch, in one atomic write: the info dict into the outbox and
  // the infohash marked fetched in the seen set, with `also`: the torrent's
  // other ids (a hybrid's v1 and truncated v2, BEP 52), so it is not fetched
  // again under either. So a crash (or power loss, which drops a tail of the
  // WAL) never leaves an infohash marked fetched without its info dict
  // queued. kOutboxFull: nothing was written; keep the item, wait for room,
  // try again.
  Result<std::uint64_t> commit_fetch(const InfoHashV1& id, std::string_view info_dict,
                                     Source source, TimePoint now,
                                     std::span<const InfoHashV1> also = {});

  const std::filesystem::path& path() const { return path_; }

 private:
  struct Db;
  std::filesystem::path path_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<SeenSet> seen_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<DhtStore> dht_;
  std::unique_ptr<PinCache> pins_;
};

}  // namespace magnetar::crawler::state
