#include "indexer/store/pg_torrent_store.hpp"

#include <algorithm>
#include <atomic>
#include <pqxx/pqxx>
#include <tuple>
#include <unordered_map>

#include "common/codec.hpp"
#include "common/log.hpp"
#include "indexer/store/text_sanitizer.hpp"

namespace magnetar::indexer::store {
namespace {

// Transaction-level advisory lock: batches take it shared, block() exclusive.
constexpr long long kWriteLockKey = 0x6d6167737472;  // "magstr"

// The block list's reason is free text from users or the banned-content
// filter: bounded like a name.
constexpr std::size_t kMaxReasonBytes = 1024;

// Large values are compressed as COPY stores them in the staging table, and
// INSERT ... SELECT carries the compressed datum over as is: lz4 here, or
// every file list over ~2 kB would be compressed with pglz (a third of the
// backend's CPU, measured), whatever the target column's setting.
constexpr const char* kStagingDdl =
    "CREATE TEMP TABLE IF NOT EXISTS torrent_staging ("
    " files bytea COMPRESSION lz4, info bytea COMPRESSION lz4, name_raw bytea, name text, title "
    "text, extensions text[],"
    " id bytea, v2 bytea, first_us bigint, last_us bigint, total_size bigint,"
    " file_count integer, piece_length integer, private boolean, source smallint,"
    " content_type smallint, year smallint, season smallint, episode smallint,"
    " resolution smallint) ON COMMIT DELETE ROWS";

// The staging columns in COPY order: the long fields first, because
// libpqxx 6.4 joins a row's fields recursively and copies the tail each time.
const std::vector<std::string> kStagingColumns = {
    "files",  "info",         "name_raw", "name",       "title",      "extensions",   "id",
    "v2",     "first_us",     "last_us",  "total_size", "file_count", "piece_length", "private",
    "source", "content_type", "year",     "season",     "episode",    "resolution"};

constexpr const char* kBlockedFilter =
    "NOT EXISTS (SELECT 1 FROM blocked_infohashes b WHERE b.id = s.id)";

const std::string kUpsertSql =
    std::string(
        "INSERT INTO torrents AS t (first_seen, last_seen, total_size, file_count, piece_length,"
        " source, content_type, year, season, episode, resolution, private, id, v2, name,"
        " name_raw, title, extensions) "
        "SELECT timestamptz 'epoch' + s.first_us * interval '1 microsecond',"
        " timestamptz 'epoch' + s.last_us * interval '1 microsecond',"
        " s.total_size, s.file_count, s.piece_length, s.source, s.content_type, s.year,"
        " s.season, s.episode, s.resolution, s.private, s.id, s.v2, s.name, s.name_raw, s.title,"
        " s.extensions FROM torrent_staging s WHERE ") +
    kBlockedFilter + " ORDER BY s.id" +
    " ON CONFLICT (id) DO UPDATE SET first_seen = least(t.first_seen, excluded.first_seen),"
    " last_seen = greatest(t.last_seen, excluded.last_seen)"
    " WHERE excluded.last_seen > t.last_seen OR excluded.first_seen < t.first_seen;"
    "INSERT INTO torrent_files (torrent_id, files) SELECT s.id, s.files FROM torrent_staging s"
    " WHERE s.files IS NOT NULL AND " +
    kBlockedFilter +
    " ORDER BY s.id ON CONFLICT (torrent_id) DO NOTHING;"
    "INSERT INTO torrent_info_dicts (torrent_id, info) SELECT s.id, s.info FROM torrent_staging s"
    " WHERE s.info IS NOT NULL AND " +
    kBlockedFilter +
    " ORDER BY s.id ON CONFLICT (torrent_id) DO NOTHING;"
    // A pin whose info dict this batch stored (or that was stored already)
    // is ALIVE (schema 0005; issue 8): revision tells the keepers' hub.
    "UPDATE pins p SET state = 2, resolved_at = coalesce(p.resolved_at, now()),"
    " state_changed_at = now(), failure_reason = NULL, revision = p.revision + 1"
    " FROM torrent_staging s WHERE s.id = p.id AND s.info IS NOT NULL AND p.state <> 2 AND " +
    kBlockedFilter + ";";

const char* or_null(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

std::string id_hex_list(std::span<const InfoHashV1> ids) {
  std::string out;
  out.reserve(ids.size() * 41);
  for (const auto& id : ids) {
    if (!out.empty()) out.push_back(',');
    out.append(to_hex(id.view()));
  }
  return out;
}

void delete_torrent(pqxx::work& tx, const std::string& hex) {
  tx.exec_params(
      "WITH k AS (SELECT decode($1, 'hex') AS id),"
      " a AS (DELETE FROM torrents WHERE id = (SELECT id FROM k)),"
      " b AS (DELETE FROM torrent_files WHERE torrent_id = (SELECT id FROM k)),"
      " c AS (DELETE FROM torrent_info_dicts WHERE torrent_id = (SELECT id FROM k))"
      " DELETE FROM torrent_tags WHERE torrent_id = (SELECT id FROM k)",
      hex);
}

}  // namespace

struct PgTorrentStore::Submission {
  Submission(std::size_t n, AckFn fn) : remaining(n), on_committed(std::move(fn)) {}
  std::atomic<std::size_t> remaining;  // decremented by the writers
  AckFn on_committed;
};

PgTorrentStore::PgTorrentStore(PgTorrentStoreOptions options)
    : options_(std::move(options)),
      row_options_{options_.max_stored_files, options_.raw_info_policy} {
  for (std::size_t i = 0; i < std::max<std::size_t>(options_.writer_threads, 1); ++i)
    writers_.emplace_back([this] { run(); });
}

PgTorrentStore::~PgTorrentStore() {
  close();
  for (auto& w : writers_) w.join();
}

std::vector<PgTorrentStore::Entry> PgTorrentStore::encode(const std::vector<TorrentRecord>& records,
                                                          AckFn on_committed) {
  auto submission = std::make_shared<Submission>(records.size(), std::move(on_committed));
  std::vector<Entry> entries;
  entries.reserve(records.size());
  const auto now = std::chrono::steady_clock::now();
  for (const auto& r : records) {
    if (r.hashes.empty()) {  // nothing to key it by: counts as done
      --submission->remaining;
      continue;
    }
    entries.push_back({make_staged_row(r, row_options_), submission, now});
  }
  if (entries.empty() && submission->on_committed) submission->on_committed();
  return entries;
}

void PgTorrentStore::enqueue(std::vector<Entry> entries) {
  // Caller holds mu_.
  for (auto& e : entries) {
    queued_bytes_ += e.row.wire_size();
    queue_.push_back(std::move(e));
  }
  enqueued_total_ += entries.size();
  stats_.submitted += entries.size();
  work_cv_.notify_one();
}

bool PgTorrentStore::queue_full() const {
  // Caller holds mu_.
  return queue_.size() >= options_.queue_capacity || queued_bytes_ >= options_.queue_capacity_bytes;
}

SubmitResult PgTorrentStore::submit(std::vector<TorrentRecord> records, AckFn on_committed) {
  {
    std::lock_guard lk(mu_);
    if (closing_) return SubmitResult::kClosed;
  }
  auto entries = encode(records, std::move(on_committed));
  std::unique_lock lk(mu_);
  space_cv_.wait(lk, [&] { return closing_ || !queue_full(); });
  if (closing_) return SubmitResult::kClosed;
  enqueue(std::move(entries));
  return SubmitResult::kAccepted;
}

SubmitResult PgTorrentStore::try_submit(std::vector<TorrentRecord>&& records, AckFn on_committed) {
  {
    std::lock_guard lk(mu_);
    if (closing_) return SubmitResult::kClosed;
    if (queue_full()) return SubmitResult::kFull;
  }
  auto entries = encode(records, std::move(on_committed));
  std::lock_guard lk(mu_);
  if (closing_) return SubmitResult::kClosed;
  // Another submitter may have filled the queue meanwhile: admit anyway, the
  // overshoot is bounded by one submission per thread.
  enqueue(std::move(entries));
  records.clear();
  return SubmitResult::kAccepted;
}

void PgTorrentStore::flush() {
  std::unique_lock lk(mu_);
  const auto target = enqueued_total_;
  ++flush_waiters_;
  work_cv_.notify_one();
  done_cv_.wait(lk, [&] { return done_total_ >= target; });
  --flush_waiters_;
}

void PgTorrentStore::close() {
  {
    std::lock_guard lk(mu_);
    if (closing_) return;
    closing_ = true;
    close_deadline_ = std::chrono::steady_clock::now() + options_.close_timeout;
  }
  work_cv_.notify_all();
  space_cv_.notify_all();
  backoff_cv_.notify_all();
}

PgTorrentStoreStats PgTorrentStore::stats() const {
  std::lock_guard lk(mu_);
  auto s = stats_;
  s.queued = queue_.size();
  return s;
}

bool PgTorrentStore::take_batch(std::vector<Entry>& batch) {
  std::unique_lock lk(mu_);
  for (;;) {
    if (queue_.empty()) {
      if (closing_) return false;
      work_cv_.wait(lk);
      continue;
    }
    if (closing_ || flush_waiters_ > 0 || queue_.size() >= options_.max_batch_records ||
        queued_bytes_ >= options_.max_batch_bytes)
      break;
    const auto deadline = queue_.front().enqueued + options_.max_batch_delay;
    if (std::chrono::steady_clock::now() >= deadline) break;
    work_cv_.wait_until(lk, deadline);
  }
  std::size_t bytes = 0;
  while (!queue_.empty() && batch.size() < options_.max_batch_records &&
         (batch.empty() || bytes + queue_.front().row.wire_size() <= options_.max_batch_bytes)) {
    bytes += queue_.front().row.wire_size();
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  queued_bytes_ -= bytes;
  space_cv_.notify_all();
  return true;
}

void PgTorrentStore::run() {
  std::unique_ptr<pqxx::connection> conn;
  std::vector<Entry> batch;
  batch.reserve(options_.max_batch_records);
  while (take_batch(batch)) {
    const bool committed = write_with_retry(conn, batch);
    if (committed) {
      // Counted before the acks run: an ack's receiver may read stats().
      std::lock_guard lk(mu_);
      ++stats_.batches;
    }
    std::vector<AckFn*> acks;
    for (auto& e : batch)
      if (committed && --e.submission->remaining == 0 && e.submission->on_committed)
        acks.push_back(&e.submission->on_committed);
    for (auto* ack : acks) {
      try {
        (*ack)();
      } catch (const std::exception& ex) {
        logger("store")->error("ack callback threw: {}", ex.what());
      }
    }
    {
      // After the acks: flush() returns once they have run.
      std::lock_guard lk(mu_);
      done_total_ += batch.size();
    }
    done_cv_.notify_all();
    batch.clear();
  }
  // Closing and the queue is empty: whatever another writer still holds is
  // counted when it finishes.
  done_cv_.notify_all();
}

bool PgTorrentStore::write_with_retry(std::unique_ptr<pqxx::connection>& conn,
                                      std::vector<Entry>& batch) {
  auto backoff = options_.retry_backoff_min;
  for (;;) {
    try {
      if (!conn) conn = connect_writer();
      write_batch(*conn, batch);
      return true;
    } catch (const std::exception& ex) {
      // Connection lost, server restarting, COMMIT in doubt, or a statement
      // error: the batch is idempotent, so retry it whole on a new connection.
      logger("store")->warn("batch of {} records failed, retrying in {} ms: {}", batch.size(),
                            backoff.count(), ex.what());
      conn.reset();
    }
    std::unique_lock lk(mu_);
    ++stats_.retries;
    if (closing_ && std::chrono::steady_clock::now() >= close_deadline_) {
      logger("store")->error("closing: gave up on {} unacknowledged records",
                             batch.size() + queue_.size());
      return false;
    }
    // Wakes early on close() only, to check the deadline.
    backoff_cv_.wait_for(lk, backoff);
    backoff = std::min(backoff * 2, options_.retry_backoff_max);
  }
}

std::unique_ptr<pqxx::connection> PgTorrentStore::connect_writer() {
  auto conn = std::make_unique<pqxx::connection>(options_.dsn);
  {
    pqxx::nontransaction tx(*conn);
    // An ack means committed and durable: never off, whatever the server's default.
    tx.exec("SET synchronous_commit = on");
    tx.exec("SET application_name = 'magnetar-store-writer'");
    tx.exec(kStagingDdl);
    // Compressed lists stay in the staging row (PostgreSQL 15 has no STORAGE
    // clause in CREATE TABLE).
    tx.exec("ALTER TABLE torrent_staging ALTER COLUMN files SET STORAGE MAIN");
  }
  std::lock_guard lk(mu_);
  ++stats_.reconnects;
  return conn;
}

void PgTorrentStore::write_batch(pqxx::connection& conn, const std::vector<Entry>& batch) {
  // The same infohash twice in one statement would make ON CONFLICT DO
  // UPDATE fail ("cannot affect row a second time"): merge duplicates.
  std::unordered_map<InfoHashV1, std::size_t> first_index;
  first_index.reserve(batch.size() * 2);
  std::vector<std::size_t> order;
  order.reserve(batch.size());
  std::vector<std::pair<std::int64_t, std::int64_t>> seen;
  seen.reserve(batch.size());
  std::vector<const std::string*> info(batch.size(), nullptr);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& row = batch[i].row;
    auto [it, inserted] = first_index.try_emplace(row.id, order.size());
    if (inserted) {
      order.push_back(i);
      seen.emplace_back(row.first_seen_us, row.last_seen_us);
      info[order.size() - 1] = &row.info_hex;
    } else {
      auto& s = seen[it->second];
      s.first = std::min(s.first, row.first_seen_us);
      s.second = std::max(s.second, row.last_seen_us);
      if (info[it->second]->empty()) info[it->second] = &row.info_hex;
    }
  }

  pqxx::work tx(conn);
  tx.exec("SELECT pg_advisory_xact_lock_shared(" + std::to_string(kWriteLockKey) + ")");
  {
    pqxx::stream_to copy(tx, "torrent_staging", kStagingColumns);
    for (std::size_t k = 0; k < order.size(); ++k) {
      const StagedRow& r = batch[order[k]].row;
      copy << std::make_tuple(or_null(r.files_hex), or_null(*info[k]), or_null(r.name_raw_hex),
                              r.name.c_str(), or_null(r.title), or_null(r.extensions),
                              r.id_hex.c_str(), or_null(r.v2_hex), seen[k].first, seen[k].second,
                              r.total_size, r.file_count, r.piece_length, r.is_private, r.source,
                              r.content_type, or_null(r.year), or_null(r.season),
                              or_null(r.episode), or_null(r.resolution));
    }
    copy.complete();
  }
  tx.exec(kUpsertSql);
  tx.commit();
  std::lock_guard lk(mu_);
  stats_.records_committed += order.size();
}

pqxx::connection& PgTorrentStore::control_connection() {
  // Caller holds control_mu_.
  if (control_conn_ && !control_conn_->is_open()) control_conn_.reset();
  if (!control_conn_) control_conn_ = std::make_unique<pqxx::connection>(options_.dsn);
  return *control_conn_;
}

std::vector<Triage> PgTorrentStore::triage(std::span<const InfoHashV1> ids) {
  std::vector<Triage> out(ids.size(), Triage::kNew);
  if (ids.empty()) return out;
  std::lock_guard lk(control_mu_);
  try {
    pqxx::read_transaction tx(control_connection());
    const auto rows = tx.exec_params(
        "SELECT h.i, EXISTS (SELECT 1 FROM blocked_infohashes b WHERE b.id = h.id),"
        " EXISTS (SELECT 1 FROM torrents t WHERE t.id = h.id)"
        " FROM (SELECT decode(x, 'hex') AS id, i FROM unnest(string_to_array($1, ','))"
        " WITH ORDINALITY AS u(x, i)) h",
        id_hex_list(ids));
    for (const auto& row : rows) {
      const auto i = row[0].as<std::size_t>() - 1;
      if (i >= out.size()) continue;
      out[i] = row[1].as<bool>()   ? Triage::kBlocked
               : row[2].as<bool>() ? Triage::kKnown
                                   : Triage::kNew;
    }
  } catch (const std::exception& ex) {
    control_conn_.reset();
    throw StoreError(std::string("store: triage failed: ") + ex.what());
  }
  return out;
}

void PgTorrentStore::block(const InfoHashV1& id, std::string_view reason) {
  std::lock_guard lk(control_mu_);
  try {
    pqxx::work tx(control_connection());
    // Waits for the batch in flight, if any; later batches see the block row.
    tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kWriteLockKey) + ")");
    const auto hex = to_hex(id.view());
    tx.exec_params(
        "INSERT INTO blocked_infohashes (id, reason) VALUES (decode($1, 'hex'), $2)"
        " ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, blocked_at = now()",
        hex, sanitize_text(reason, kMaxReasonBytes).text);
    delete_torrent(tx, hex);
    tx.commit();
  } catch (const std::exception& ex) {
    control_conn_.reset();
    throw StoreError(std::string("store: block failed: ") + ex.what());
  }
}

void PgTorrentStore::remove(const InfoHashV1& id) {
  std::lock_guard lk(control_mu_);
  try {
    pqxx::work tx(control_connection());
    delete_torrent(tx, to_hex(id.view()));
    tx.commit();
  } catch (const std::exception& ex) {
    control_conn_.reset();
    throw StoreError(std::string("store: remove failed: ") + ex.what());
  }
}

}  // namespace magnetar::indexer::store
