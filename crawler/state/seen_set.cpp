#include "crawler/state/seen_set.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "common/log.hpp"
#include "crawler/state/rocks_check.hpp"

namespace magnetar::crawler::state {
namespace {

rocksdb::Slice key_of(const InfoHashV1& id) {
  const auto v = id.view();
  return {v.data(), v.size()};
}

}  // namespace

SeenSet::SeenSet(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf, RetryPolicy policy,
                 std::size_t cache_entries)
    : db_(db),
      cf_(cf),
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
    check(batch.Put(cf_, key_of(ids[i]), encode(updated.back())), "seen set batch");
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
                                  rocksdb::WriteBatch& batch) {
  auto prev = get(id);
  auto r = after_attempt(prev ? &*prev : nullptr, outcome, now, policy_);
  check(batch.Put(cf_, key_of(id), encode(r)), "seen set batch");
  return r;
}

void SeenSet::remember(const InfoHashV1& id, const SeenRecord& r) {
  std::lock_guard lock(mu_);
  cache_put(id, r);
}

}  // namespace magnetar::crawler::state
