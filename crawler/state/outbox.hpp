// The outbox: verified info dicts waiting for the hub to acknowledge them as
// committed (DESIGN.md: an item leaves the outbox only after that ack). Keyed
// by a sequence number that only grows, persisted across restarts, so items
// are shipped in the order they were fetched and acks name them exactly.
// Backed by the "outbox" column family of NodeState.
//
// Bounded by items and bytes: when full, append() returns Errc::kOutboxFull
// and the caller keeps the item (and stops fetching) until there is room;
// nothing is dropped. The first refusal of each full spell is logged.
//
// Thread-safe: the crawl pipeline appends while the shipper peeks and removes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "crawler/state/seen_record.hpp"
#include "crawler/state/source.hpp"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace magnetar::crawler::state {

// Defaults: info dicts average 20-30 kB (mostly piece hashes), so 2 GiB holds
// roughly a day of a busy node's fetches while the hub is down, without
// filling a small disk; 500,000 items bounds the in-memory index (about 40 MB).
inline constexpr std::size_t kDefaultOutboxMaxItems = 500'000;
inline constexpr std::uint64_t kDefaultOutboxMaxBytes = 2ull << 30;
// Per-item bookkeeping counted against max_bytes besides the info dict (the
// key, the stored header and RocksDB's per-entry overhead, roughly).
inline constexpr std::uint64_t kOutboxItemOverhead = 64;

struct OutboxOptions {
  std::size_t max_items = kDefaultOutboxMaxItems;
  std::uint64_t max_bytes = kDefaultOutboxMaxBytes;
  // fsync every append. Off by default: appends survive kill -9 without it
  // (the WAL is in the OS page cache), and a power loss drops the last
  // seconds of the WAL for the outbox and the seen set together (one WAL, in
  // order; NodeState::commit_fetch writes both in one batch), so those
  // infohashes are simply fetched again. On for nodes whose fetches are too
  // costly to redo (a pin's only source), at one fsync per item.
  bool sync = false;
};

struct OutboxItem {
  std::uint64_t seq = 0;
  std::string info_dict;
  Source source = Source::kUnknown;
  TimePoint seen_at{};

  friend bool operator==(const OutboxItem&, const OutboxItem&) = default;
};

class Outbox {
 public:
  // Scans the column family once to rebuild the in-memory index of sizes.
  Outbox(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf, rocksdb::ColumnFamilyHandle* meta,
         OutboxOptions options);

  // Stores the item and returns its sequence number, or kOutboxFull (keep it
  // and retry when wait_for_room says so), or kItemTooLarge (it can never fit).
  Result<std::uint64_t> append(std::string_view info_dict, Source source, TimePoint seen_at);

  // Up to max_items items with seq >= from, in sequence order, stopping early
  // once max_bytes of info dicts are collected (at least one item is returned
  // when any is there).
  std::vector<OutboxItem> peek(std::uint64_t from, std::size_t max_items,
                               std::uint64_t max_bytes = UINT64_MAX) const;

  // Removes the items with these sequence numbers; unknown ones are ignored
  // (a repeated ack). Removals are not synced: one lost on power loss is
  // shipped again, and the hub's ingest is idempotent.
  void remove(std::span<const std::uint64_t> seqs);
  // Removes every item with seq <= through.
  void remove_through(std::uint64_t through);

  std::size_t size() const;
  std::uint64_t bytes() const;  // counted against max_bytes (info dicts + overhead)
  std::optional<std::uint64_t> first_seq() const;
  std::optional<std::uint64_t> last_seq() const;
  // The number the next append will get.
  std::uint64_t next_seq() const;
  const OutboxOptions& options() const { return options_; }

  // Whether an item of this size fits now.
  bool has_room(std::size_t info_dict_bytes) const;
  // Waits until it fits or the timeout passes; true if it fits.
  bool wait_for_room(std::size_t info_dict_bytes, std::chrono::milliseconds timeout) const;

  // Called (outside the outbox's lock) after every successful append: the
  // shipper's wake-up. One listener; an empty function removes it.
  void set_append_listener(std::function<void()> listener);

  // Used by NodeState::commit_fetch: as append, with `with` written in the
  // same atomic batch (the seen set's record of the fetch).
  Result<std::uint64_t> append(std::string_view info_dict, Source source, TimePoint seen_at,
                               rocksdb::WriteBatch* with);

 private:
  bool fits(std::uint64_t item_bytes) const;  // mu_ held
  void erase(std::vector<std::uint64_t> seqs);

  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* cf_;
  rocksdb::ColumnFamilyHandle* meta_;
  const OutboxOptions options_;

  mutable std::mutex mu_;
  mutable std::condition_variable room_;
  std::map<std::uint64_t, std::uint64_t> sizes_;  // seq -> bytes counted
  std::uint64_t bytes_ = 0;
  std::uint64_t next_seq_ = 1;
  bool full_logged_ = false;  // the current full spell has been logged
  std::mutex listener_mu_;
  std::function<void()> listener_;
};

}  // namespace magnetar::crawler::state
