// The seen set: for every infohash this node has come across, a SeenRecord,
// so the node never fetches the same info dict twice and retries failures with
// backoff (RetryPolicy). Backed by the "seen" column family of NodeState, and
// by the "retry" family: an index of the failures awaiting a retry, keyed by
// (next_retry, id), so the node finds those whose time has come without
// scanning the set (take_due_retries). Every write of a record updates its
// index entry in the same batch: a record awaits_retry() exactly when the
// index holds (its next_retry, its id).
//
// The crawler sees thousands of candidates per second, most of them seen
// before: batch lookups use MultiGet, and a bounded in-memory front cache
// holds recent answers, including "absent". The cache is write-through and
// this object is the only writer (the RocksDB LOCK keeps other processes
// out), so it never disagrees with the database.
//
// Thread-safe. Read-modify-write updates of one id are not atomic against
// each other: the crawl pipeline holds each infohash in one stage at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/infohash.hpp"
#include "crawler/state/seen_record.hpp"
#include "crawler/state/source.hpp"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace magnetar::crawler::state {

// Entries in the front cache: about 100 bytes each with the map's overhead,
// so 25 MB; a crawler's working set of hot candidates (what the DHT keeps
// returning within minutes) fits, the long tail goes to RocksDB.
inline constexpr std::size_t kDefaultSeenCacheEntries = 256 * 1024;

struct SeenAttempt {
  InfoHashV1 id;
  FetchOutcome outcome = FetchOutcome::kOtherFailure;
  Source source = Source::kUnknown;  // kept with a failure for its retry
};

// A failure whose retry time has come.
struct DueRetry {
  InfoHashV1 id;
  Source source = Source::kUnknown;
  friend bool operator==(const DueRetry&, const DueRetry&) = default;
};

class SeenSet {
 public:
  // Writes go without fsync: they survive kill -9 of the process (RocksDB's
  // WAL is in the OS page cache) but not a power loss, which costs at most a
  // refetch of infohashes fetched in the last seconds (the hub's ingest is
  // idempotent). A sync per candidate would cap the crawler at the disk's
  // fsync rate.
  SeenSet(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf, rocksdb::ColumnFamilyHandle* retry_cf,
          RetryPolicy policy, std::size_t cache_entries);

  std::optional<SeenRecord> get(const InfoHashV1& id);
  std::vector<std::optional<SeenRecord>> get(std::span<const InfoHashV1> ids);

  // Not seen yet, or a failure whose retry time has come (and attempts left).
  bool should_fetch(const InfoHashV1& id, TimePoint now);
  std::vector<bool> should_fetch(std::span<const InfoHashV1> ids, TimePoint now);

  // Records a sighting (first seen / last seen) without an attempt.
  void note_seen(std::span<const InfoHashV1> ids, TimePoint now);

  // Records a fetch attempt and its outcome; failures schedule the next retry.
  void record_attempt(const InfoHashV1& id, FetchOutcome outcome, TimePoint now);
  void record_attempts(std::span<const SeenAttempt> attempts, TimePoint now);

  // Fetched and verified: never fetch again (record_attempt with kOk).
  void mark_fetched(const InfoHashV1& id, TimePoint now);
  void mark_fetched(std::span<const InfoHashV1> ids, TimePoint now);

  // Up to `max` failures whose retry time has come (next_retry <= now),
  // earliest first, for the caller to fetch again. Each is leased: its
  // next_retry moves to now + lease, so it is not handed out again while the
  // caller works on it, yet comes back after the lease if no attempt is ever
  // recorded (the process died). Recording the attempt ends the lease.
  std::vector<DueRetry> take_due_retries(TimePoint now, std::size_t max,
                                         std::chrono::seconds lease);
  // Failures awaiting a retry (due or not): a full scan of the index, for
  // tests and status.
  std::size_t pending_retries() const;

  const RetryPolicy& policy() const { return policy_; }

  // Used by NodeState::commit_fetch to put a record into a batch that also
  // holds an outbox item; remember() it once the batch is written.
  SeenRecord stage_attempt(const InfoHashV1& id, FetchOutcome outcome, TimePoint now,
                           rocksdb::WriteBatch& batch, Source source = Source::kUnknown);
  void remember(const InfoHashV1& id, const SeenRecord& r);

 private:
  using Entry = std::optional<SeenRecord>;  // nullopt: known absent

  bool cache_find(const InfoHashV1& id, Entry& out);
  void cache_put(const InfoHashV1& id, const Entry& e);
  void write(rocksdb::WriteBatch& batch);
  // Puts `updated` into the batch with its retry index entry, replacing the
  // entry of `previous` (the record it replaces, if any).
  void stage(const InfoHashV1& id, const SeenRecord* previous, const SeenRecord& updated,
             Source source, rocksdb::WriteBatch& batch);

  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* cf_;
  rocksdb::ColumnFamilyHandle* retry_cf_;
  const RetryPolicy policy_;
  const std::size_t generation_capacity_;

  // Two generations: lookups check both and promote hits; when the current
  // one is full it becomes the previous one (dropping the old previous). A
  // bounded, approximately least-recently-used cache with O(1) operations.
  std::mutex mu_;
  std::unordered_map<InfoHashV1, Entry> current_;
  std::unordered_map<InfoHashV1, Entry> previous_;
};

}  // namespace magnetar::crawler::state
