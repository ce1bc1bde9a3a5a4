#include "crawler/state/seen_set.hpp"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <memory>

#include "common/log.hpp"
#include "crawler/state/byte_order.hpp"
#include "crawler/state/rocks_check.hpp"

namespace magnetar::crawler::state {
namespace {

rocksdb::Slice key_of(const InfoHashV1& id) {
  const auto v = id.view();
  return {v.data(), v.size()};
}

// The retry index's key: next_retry in ms since the epoch (big-endian, so
// keys sort by time), then the id: 28 bytes.
constexpr std::size_t kRetryKeySize = 8 + 20;

std::string retry_key(TimePoint at, const InfoHashV1& id) {
  std::string key;
  key.reserve(kRetryKeySize);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch());
  put_be64(key, static_cast<std::uint64_t>(std::max<std::int64_t>(0, ms.count())));
  key.append(id.view());
  return key;
}

}  // namespace

SeenSet::SeenSet(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf,
                 rocksdb::ColumnFamilyHandle* retry_cf, RetryPolicy policy,
                 std::size_t cache_entries)
    : db_(db),
      cf_(cf),
      retry_cf_(retry_cf),
      policy_(policy),
      generation_capacity_(std::max<std::size_t>(1, cache_entries / 2)) {}

bool SeenSet::cache_find(const InfoHashV1& id, Entry& out) {
  if (auto it = current_.find(id); it != current_.end()) {
    out = it->second;
    return true;
  }
  if (auto it = previous_.find(id); it != previous_.end()) {
    out = it->second;
    previous_.erase(it);
    cache_put(id, out);  // promote
    return true;
  }
  return false;
}

void SeenSet::cache_put(const InfoHashV1& id, const Entry& e) {
  if (current_.size() >= generation_capacity_ && !current_.contains(id)) {
    previous_ = std::move(current_);
    current_ = {};
    current_.reserve(generation_capacity_);
  }
  current_[id] = e;
}

std::optional<SeenRecord> SeenSet::get(const InfoHashV1& id) {
  return std::move(get(std::span<const InfoHashV1>(&id, 1)).front());
}

std::vector<std::optional<SeenRecord>> SeenSet::get(std::span<const InfoHashV1> ids) {
  std::vector<Entry> out(ids.size());
  std::vector<std::size_t> misses;
  {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (!cache_find(ids[i], out[i])) misses.push_back(i);
    }
  }
  if (misses.empty()) return out;

  std::vector<rocksdb::Slice> keys;
  keys.reserve(misses.size());
  for (auto i : misses) keys.push_back(key_of(ids[i]));
  std::vector<rocksdb::PinnableSlice> values(misses.size());
  std::vector<rocksdb::Status> statuses(misses.size());
  // sorted_input = false: MultiGet sorts the keys itself.
  db_.MultiGet(rocksdb::ReadOptions(), cf_, keys.size(), keys.data(), values.data(),
               statuses.data(), false);
  for (std::size_t k = 0; k < misses.size(); ++k) {
    const auto i = misses[k];
    if (statuses[k].IsNotFound()) continue;
    check(statuses[k], "seen set read");
    auto r = decode_seen_record(values[k].ToStringView());
    if (r) {
      out[i] = *r;
    } else {
      // A damaged record is treated as never seen: at worst one refetch.
      logger("state")->warn("seen set: ignoring a damaged record for {}: {}", ids[i].hex(),
                            r.error().message());
    }
  }
  std::lock_guard lock(mu_);
  for (auto i : misses) {
    // A read never overwrites what a concurrent write put in the cache.
    if (!current_.contains(ids[i])) cache_put(ids[i], out[i]);
  }
  return out;
}

bool SeenSet::should_fetch(const InfoHashV1& id, TimePoint now) {
  auto r = get(id);
  return !r || state::should_fetch(*r, now, policy_);
}

std::vector<bool> SeenSet::should_fetch(std::span<const InfoHashV1> ids, TimePoint now) {
  auto records = get(ids);
  std::vector<bool> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out[i] = !records[i] || state::should_fetch(*records[i], now, policy_);
  }
  return out;
}

void SeenSet::write(rocksdb::WriteBatch& batch) {
  rocksdb::WriteOptions options;
  options.sync = false;  // see the constructor's comment
  check(db_.Write(options, &batch), "seen set write");
}

void SeenSet::note_seen(std::span<const InfoHashV1> ids, TimePoint now) {
  auto records = get(ids);
  rocksdb::WriteBatch batch;
  std::vector<SeenRecord> updated;
  updated.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    updated.push_back(state::note_seen(records[i] ? &*records[i] : nullptr, now));
    check(batch.Put(cf_, key_of(ids[i]), encode(updated.back())), "seen set batch");
  }
  write(batch);
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < ids.size(); ++i) cache_put(ids[i], updated[i]);
}

void SeenSet::record_attempt(const InfoHashV1& id, FetchOutcome outcome, TimePoint now) {
  const SeenAttempt a{id, outcome};
  record_attempts(std::span<const SeenAttempt>(&a, 1), now);
}

void SeenSet::record_attempts(std::span<const SeenAttempt> attempts, TimePoint now) {
  std::vector<InfoHashV1> ids;
  ids.reserve(attempts.size());
  for (const auto& a : attempts) ids.push_back(a.id);
  auto records = get(ids);
  rocksdb::WriteBatch batch;
  std::vector<SeenRecord> updated;
  updated.reserve(ids.size());                         // no reallocation: `prev` points into it
  std::unordered_map<InfoHashV1, std::size_t> latest;  // id -> index in updated
  for (std::size_t i = 0; i < ids.size(); ++i) {
    // The same id twice in one batch: the second attempt builds on the first.
    const SeenRecord* prev = records[i] ? &*records[i] : nullptr;
    if (auto it = latest.find(ids[i]); it != latest.end()) prev = &updated[it->second];
    latest[ids[i]] = i;
    updated.push_back(after_attempt(prev, attempts[i].outcome, now, policy_));
    stage(ids[i], prev, updated.back(), attempts[i].source, batch);
  }
  write(batch);
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < ids.size(); ++i) cache_put(ids[i], updated[i]);
}

void SeenSet::mark_fetched(const InfoHashV1& id, TimePoint now) {
  record_attempt(id, FetchOutcome::kOk, now);
}

void SeenSet::mark_fetched(std::span<const InfoHashV1> ids, TimePoint now) {
  std::vector<SeenAttempt> attempts;
  attempts.reserve(ids.size());
  for (const auto& id : ids) attempts.push_back({id, FetchOutcome::kOk});
  record_attempts(attempts, now);
}

SeenRecord SeenSet::stage_attempt(const InfoHashV1& id, FetchOutcome outcome, TimePoint now,
                                  rocksdb::WriteBatch& batch, Source source) {
  auto prev = get(id);
  auto r = after_attempt(prev ? &*prev : nullptr, outcome, now, policy_);
  stage(id, prev ? &*prev : nullptr, r, source, batch);
  return r;
}

void SeenSet::stage(const InfoHashV1& id, const SeenRecord* previous, const SeenRecord& updated,
                    Source source, rocksdb::WriteBatch& batch) {
  check(batch.Put(cf_, key_of(id), encode(updated)), "seen set batch");
  if (previous != nullptr && awaits_retry(*previous, policy_)) {
    check(batch.Delete(retry_cf_, retry_key(previous->next_retry, id)), "retry index batch");
  }
  if (awaits_retry(updated, policy_)) {
    const char value = static_cast<char>(source);
    check(batch.Put(retry_cf_, retry_key(updated.next_retry, id), rocksdb::Slice(&value, 1)),
          "retry index batch");
  }
}

std::vector<DueRetry> SeenSet::take_due_retries(TimePoint now, std::size_t max,
                                                std::chrono::seconds lease) {
  struct Entry {
    std::string key;
    DueRetry retry;
  };
  std::vector<Entry> due;
  std::vector<std::string> stale;  // malformed keys
  if (max == 0) return {};
  const std::uint64_t now_ms = get_be64(retry_key(now, InfoHashV1{}), 0);
  {
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), retry_cf_));
    for (it->SeekToFirst(); it->Valid() && due.size() < max; it->Next()) {
      const auto key = it->key().ToStringView();
      if (key.size() != kRetryKeySize) {
        stale.emplace_back(key);
        continue;
      }
      // Keys sort by time: the first one later than now ends the scan.
      if (get_be64(key, 0) > now_ms) break;
      const auto value = it->value().ToStringView();
      const auto source = value.size() == 1 ? source_from_byte(static_cast<std::uint8_t>(value[0]))
                                            : Source::kUnknown;
      due.push_back({std::string(key), {*InfoHashV1::from_bytes(key.substr(8)), source}});
    }
    check(it->status(), "retry index scan");
  }
  rocksdb::WriteBatch batch;
  for (const auto& key : stale) check(batch.Delete(retry_cf_, key), "retry index batch");
  std::vector<InfoHashV1> ids;
  ids.reserve(due.size());
  for (const auto& d : due) ids.push_back(d.retry.id);
  const auto records = get(ids);
  std::vector<DueRetry> taken;
  std::vector<std::pair<InfoHashV1, SeenRecord>> leased;
  for (std::size_t i = 0; i < due.size(); ++i) {
    const auto& r = records[i];
    if (!r || !awaits_retry(*r, policy_) || retry_key(r->next_retry, ids[i]) != due[i].key) {
      // The index disagrees with the record (a damaged record, or a policy
      // with fewer attempts than when it was written): drop the entry.
      check(batch.Delete(retry_cf_, due[i].key), "retry index batch");
      continue;
    }
    SeenRecord updated = *r;
    updated.next_retry = now + lease;
    stage(ids[i], &*r, updated, due[i].retry.source, batch);
    leased.emplace_back(ids[i], updated);
    taken.push_back(due[i].retry);
  }
  if (batch.Count() > 0) write(batch);
  std::lock_guard lock(mu_);
  for (const auto& [id, r] : leased) cache_put(id, r);
  return taken;
}

std::size_t SeenSet::pending_retries() const {
  std::size_t n = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), retry_cf_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
  check(it->status(), "retry index scan");
  return n;
}

void SeenSet::remember(const InfoHashV1& id, const SeenRecord& r) {
  std::lock_guard lock(mu_);
  cache_put(id, r);
}

}  // namespace magnetar::crawler::state
