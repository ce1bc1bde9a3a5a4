// PgTorrentStore: the TorrentStore on PostgreSQL (schema/migrations/0002).
//
// submit() encodes records on the caller's thread (staged_row.hpp) and queues
// them; writer threads (writer_threads, each with its own connection) take
// batches (max_batch_records or max_batch_bytes,
// or whatever is queued once the oldest record has waited max_batch_delay),
// and per batch, in one transaction:
//   COPY into a temporary staging table (ON COMMIT DELETE ROWS), then
//   INSERT INTO torrents ... SELECT ... WHERE NOT EXISTS (block list)
//     ON CONFLICT (id) DO UPDATE SET first/last_seen = least/greatest(...)
//   and likewise for torrent_files and torrent_info_dicts (DO NOTHING),
//   then UPDATE pins SET state = ALIVE for pins whose info dict it stored.
// Acks run after COMMIT returns. Any failure (connection lost, server
// restarting, COMMIT in doubt) drops the connection, waits with exponential
// backoff, reconnects and retries the whole batch: the upserts are
// idempotent, so a batch committed before the failure was noticed is not
// duplicated, and nothing is dropped. synchronous_commit is forced on for the
// writer's session: an ack means durable.
//
// Backpressure: submit() blocks while queue_capacity records or
// queue_capacity_bytes of encoded rows wait (a submission is admitted whole
// once the queue is below both); try_submit() returns kFull instead.
//
// block() and remove() run on a second connection. Batches hold a shared
// transaction-level advisory lock and block() an exclusive one, so a batch in
// flight when an id is blocked commits before the block's delete, and later
// batches see the block list.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <thread>

#include "indexer/store/raw_info_policy.hpp"
#include "indexer/store/staged_row.hpp"
#include "indexer/store/torrent_store.hpp"

namespace magnetar::indexer::store {

// Defaults, measured with bench/ingest on a 2-core machine: batches of a few
// thousand rows amortise the commit's fsync and the statement overhead; larger
// ones gain little and delay acks.
inline constexpr std::size_t kDefaultQueueCapacity = 20'000;
// And by encoded size: raw info dicts (up to 10 MiB each, kept under the
// `all` policy) and long file lists must not let the queue grow without bound.
inline constexpr std::size_t kDefaultQueueCapacityBytes = 256u << 20;
inline constexpr std::size_t kDefaultMaxBatchRecords = 5'000;
// Two connections: while one backend runs a batch's upserts, the other
// receives the next COPY, so both cores work (rows are inserted in id order,
// so concurrent batches cannot deadlock on each other's keys).
inline constexpr std::size_t kDefaultWriterThreads = 2;
inline constexpr std::size_t kDefaultMaxBatchBytes = 32u << 20;
// An ack within a second of a quiet crawler's last record; the outbox on the
// crawler side holds records until then.
inline constexpr std::chrono::milliseconds kDefaultMaxBatchDelay{200};
inline constexpr std::chrono::milliseconds kDefaultRetryBackoffMin{50};
inline constexpr std::chrono::milliseconds kDefaultRetryBackoffMax{2000};
// close() keeps retrying a failing batch this long, then leaves the rest
// unacknowledged (senders replay unacknowledged records).
inline constexpr std::chrono::milliseconds kDefaultCloseTimeout{30'000};

struct PgTorrentStoreOptions {
  std::string dsn;
  std::size_t queue_capacity = kDefaultQueueCapacity;  // records
  std::size_t queue_capacity_bytes = kDefaultQueueCapacityBytes;
  std::size_t max_batch_records = kDefaultMaxBatchRecords;
  std::size_t writer_threads = kDefaultWriterThreads;
  std::size_t max_batch_bytes = kDefaultMaxBatchBytes;
  std::chrono::milliseconds max_batch_delay = kDefaultMaxBatchDelay;
  std::size_t max_stored_files = kDefaultMaxStoredFiles;
  RawInfoPolicy raw_info_policy = RawInfoPolicy::kPinned;
  std::chrono::milliseconds retry_backoff_min = kDefaultRetryBackoffMin;
  std::chrono::milliseconds retry_backoff_max = kDefaultRetryBackoffMax;
  std::chrono::milliseconds close_timeout = kDefaultCloseTimeout;
};

struct PgTorrentStoreStats {
  std::uint64_t records_committed = 0;  // rows written per batch (after dedup in a batch)
  std::uint64_t submitted = 0;          // records accepted by submit
  std::uint64_t batches = 0;            // committed batches
  std::uint64_t retries = 0;            // failed batch attempts
  std::uint64_t reconnects = 0;         // connections opened by the writer
  std::size_t queued = 0;               // records waiting
};

class PgTorrentStore final : public TorrentStore {
 public:
  // Starts the writer threads; they connect lazily (and retries), so the
  // constructor does not fail when the server is down.
  explicit PgTorrentStore(PgTorrentStoreOptions options);
  // close(), then joins the writers.
  ~PgTorrentStore() override;
  PgTorrentStore(const PgTorrentStore&) = delete;
  PgTorrentStore& operator=(const PgTorrentStore&) = delete;

  SubmitResult submit(std::vector<TorrentRecord> records, AckFn on_committed) override;
  SubmitResult try_submit(std::vector<TorrentRecord>&& records, AckFn on_committed) override;
  void flush() override;
  std::vector<Triage> triage(std::span<const InfoHashV1> ids) override;
  void block(const InfoHashV1& id, std::string_view reason) override;
  void remove(const InfoHashV1& id) override;

  // Stops accepting records, writes what is queued (retrying up to
  // close_timeout), stops the writer. Idempotent.
  void close();
  PgTorrentStoreStats stats() const;

 private:
  struct Submission;
  struct Entry {
    StagedRow row;
    std::shared_ptr<Submission> submission;
    std::chrono::steady_clock::time_point enqueued;
  };

  std::vector<Entry> encode(const std::vector<TorrentRecord>& records, AckFn on_committed);
  void enqueue(std::vector<Entry> entries);
  bool queue_full() const;
  void run();
  bool take_batch(std::vector<Entry>& batch);
  bool write_with_retry(std::unique_ptr<pqxx::connection>& conn, std::vector<Entry>& batch);
  void write_batch(pqxx::connection& conn, const std::vector<Entry>& batch);
  std::unique_ptr<pqxx::connection> connect_writer();
  pqxx::connection& control_connection();

  const PgTorrentStoreOptions options_;
  const StagedRowOptions row_options_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;     // writer: records queued, flush, close
  std::condition_variable space_cv_;    // submitters: room in the queue
  std::condition_variable done_cv_;     // flush(): progress
  std::condition_variable backoff_cv_;  // writer between retries: close()
  std::deque<Entry> queue_;
  std::size_t queued_bytes_ = 0;
  std::uint64_t enqueued_total_ = 0;  // records ever queued
  std::uint64_t done_total_ = 0;      // records committed or given up
  std::size_t flush_waiters_ = 0;
  bool closing_ = false;
  std::chrono::steady_clock::time_point close_deadline_;
  PgTorrentStoreStats stats_;

  std::mutex control_mu_;  // triage/block/remove
  std::unique_ptr<pqxx::connection> control_conn_;

  std::vector<std::thread> writers_;
};

}  // namespace magnetar::indexer::store
