#include "crawler/state/outbox.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>

#include "common/log.hpp"
#include "crawler/state/byte_order.hpp"
#include "crawler/state/rocks_check.hpp"
#include "crawler/state/state_errors.hpp"

namespace magnetar::crawler::state {
namespace {

constexpr std::uint8_t kVersion = 1;
// Version, source, seen_at (ms): then the info dict.
constexpr std::size_t kHeaderSize = 1 + 1 + 8;
constexpr char kNextSeqKey[] = "outbox.next_seq";

std::string key_of(std::uint64_t seq) {
  std::string k;
  put_be64(k, seq);
  return k;
}

std::uint64_t counted(std::size_t info_dict_bytes) { return info_dict_bytes + kOutboxItemOverhead; }

std::string encode_value(std::string_view info_dict, Source source, TimePoint seen_at) {
  std::string v;
  v.reserve(kHeaderSize + info_dict.size());
  v.push_back(static_cast<char>(kVersion));
  v.push_back(static_cast<char>(source));
  put_be64(v, static_cast<std::uint64_t>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(seen_at.time_since_epoch())
                      .count()));
  v.append(info_dict);
  return v;
}

Result<OutboxItem> decode_item(std::string_view key, std::string_view value) {
  if (key.size() != 8 || value.size() < kHeaderSize ||
      static_cast<std::uint8_t>(value[0]) != kVersion) {
    return Errc::kCorruptRecord;
  }
  OutboxItem item;
  item.seq = get_be64(key, 0);
  const auto source = static_cast<std::uint8_t>(value[1]);
  item.source = source_from_byte(source);
  item.seen_at = TimePoint(std::chrono::duration_cast<Clock::duration>(
      std::chrono::milliseconds(static_cast<std::int64_t>(get_be64(value, 2)))));
  item.info_dict.assign(value.substr(kHeaderSize));
  return item;
}

}  // namespace

Outbox::Outbox(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf, rocksdb::ColumnFamilyHandle* meta,
               OutboxOptions options)
    : db_(db), cf_(cf), meta_(meta), options_(options) {
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), cf_));
  std::uint64_t last = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const auto key = it->key();
    if (key.size() != 8) continue;  // not ours; never written by this code
    const auto seq = get_be64(key.ToStringView(), 0);
    const auto value_size = it->value().size();
    const auto size = counted(value_size > kHeaderSize ? value_size - kHeaderSize : 0);
    sizes_.emplace(seq, size);
    bytes_ += size;
    last = seq;
  }
  check(it->status(), "outbox scan");
  std::string stored;
  const auto s = db_.Get(rocksdb::ReadOptions(), meta_, kNextSeqKey, &stored);
  if (!s.IsNotFound()) check(s, "outbox sequence read");
  if (s.ok() && stored.size() == 8) next_seq_ = get_be64(stored, 0);
  // Both are written in one batch; the max guards against a damaged counter.
  next_seq_ = std::max<std::uint64_t>({next_seq_, last + 1, 1});
}

bool Outbox::fits(std::uint64_t item_bytes) const {
  return sizes_.size() < options_.max_items && bytes_ + item_bytes <= options_.max_bytes;
}

bool Outbox::has_room(std::size_t info_dict_bytes) const {
  std::lock_guard lock(mu_);
  return fits(counted(info_dict_bytes));
}

bool Outbox::wait_for_room(std::size_t info_dict_bytes, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return room_.wait_for(lock, timeout, [&] { return fits(counted(info_dict_bytes)); });
}

Result<std::uint64_t> Outbox::append(std::string_view info_dict, Source source, TimePoint seen_at) {
  return append(info_dict, source, seen_at, nullptr);
}

Result<std::uint64_t> Outbox::append(std::string_view info_dict, Source source, TimePoint seen_at,
                                     rocksdb::WriteBatch* with) {
  const auto size = counted(info_dict.size());
  if (size > options_.max_bytes) return Errc::kItemTooLarge;
  std::uint64_t seq;
  {
    // Held across the write so sequence numbers reach the database in order:
    // the shipper never sees seq n+1 before n.
    std::lock_guard lock(mu_);
    if (!fits(size)) {
      if (!full_logged_) {
        full_logged_ = true;
        logger("state")->warn(
            "outbox full ({} items, {} bytes; limits {} items, {} bytes): holding fetched info "
            "dicts until the hub acknowledges what is queued (is the hub reachable?)",
            sizes_.size(), bytes_, options_.max_items, options_.max_bytes);
      }
      return Errc::kOutboxFull;
    }
    seq = next_seq_;
    rocksdb::WriteBatch local;
    rocksdb::WriteBatch& batch = with != nullptr ? *with : local;
    std::string next;
    put_be64(next, seq + 1);
    check(batch.Put(cf_, key_of(seq), encode_value(info_dict, source, seen_at)), "outbox batch");
    check(batch.Put(meta_, kNextSeqKey, next), "outbox batch");
    rocksdb::WriteOptions wo;
    wo.sync = options_.sync;
    check(db_.Write(wo, &batch), "outbox append");
    next_seq_ = seq + 1;
    sizes_.emplace(seq, size);
    bytes_ += size;
  }
  std::lock_guard lock(listener_mu_);
  if (listener_) listener_();
  return seq;
}

std::vector<OutboxItem> Outbox::peek(std::uint64_t from, std::size_t max_items,
                                     std::uint64_t max_bytes) const {
  std::vector<OutboxItem> out;
  if (max_items == 0) return out;
  std::uint64_t start;
  {
    std::lock_guard lock(mu_);
    auto it = sizes_.lower_bound(from);
    if (it == sizes_.end()) return out;
    // Seek straight to a live key: removed heads leave tombstones behind that
    // an iterator would otherwise step over.
    start = it->first;
  }
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), cf_));
  std::uint64_t collected = 0;
  for (it->Seek(key_of(start)); it->Valid() && out.size() < max_items; it->Next()) {
    auto item = decode_item(it->key().ToStringView(), it->value().ToStringView());
    if (!item) {
      logger("state")->error("outbox: skipping a damaged item: {}", item.error().message());
      continue;
    }
    if (!out.empty() && collected + item->info_dict.size() > max_bytes) break;
    collected += item->info_dict.size();
    out.push_back(std::move(*item));
  }
  check(it->status(), "outbox read");
  return out;
}

void Outbox::remove(std::span<const std::uint64_t> seqs) {
  erase(std::vector<std::uint64_t>(seqs.begin(), seqs.end()));
}

void Outbox::remove_through(std::uint64_t through) {
  std::vector<std::uint64_t> seqs;
  {
    std::lock_guard lock(mu_);
    for (auto it = sizes_.begin(); it != sizes_.end() && it->first <= through; ++it) {
      seqs.push_back(it->first);
    }
  }
  erase(std::move(seqs));
}

void Outbox::erase(std::vector<std::uint64_t> seqs) {
  std::lock_guard lock(mu_);
  rocksdb::WriteBatch batch;
  std::vector<std::uint64_t> present;
  for (auto seq : seqs) {
    if (!sizes_.contains(seq)) continue;
    check(batch.Delete(cf_, key_of(seq)), "outbox batch");
    present.push_back(seq);
  }
  if (present.empty()) return;
  rocksdb::WriteOptions wo;
  wo.sync = false;  // see remove()
  check(db_.Write(wo, &batch), "outbox remove");
  for (auto seq : present) {
    auto it = sizes_.find(seq);
    if (it == sizes_.end()) continue;  // the same seq twice in one call
    bytes_ -= it->second;
    sizes_.erase(it);
  }
  full_logged_ = false;
  room_.notify_all();
}

std::size_t Outbox::size() const {
  std::lock_guard lock(mu_);
  return sizes_.size();
}

std::uint64_t Outbox::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

std::optional<std::uint64_t> Outbox::first_seq() const {
  std::lock_guard lock(mu_);
  if (sizes_.empty()) return std::nullopt;
  return sizes_.begin()->first;
}

std::optional<std::uint64_t> Outbox::last_seq() const {
  std::lock_guard lock(mu_);
  if (sizes_.empty()) return std::nullopt;
  return sizes_.rbegin()->first;
}

std::uint64_t Outbox::next_seq() const {
  std::lock_guard lock(mu_);
  return next_seq_;
}

void Outbox::set_append_listener(std::function<void()> listener) {
  std::lock_guard lock(listener_mu_);
  listener_ = std::move(listener);
}

}  // namespace magnetar::crawler::state
