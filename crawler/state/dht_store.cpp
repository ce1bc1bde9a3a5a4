#include "crawler/state/dht_store.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>

#include "crawler/state/rocks_check.hpp"

namespace magnetar::crawler::state {
namespace {

// Keys: the state blob under "s", schedules under "n" + node key, so a
// prefix scan visits the schedules only.
constexpr std::string_view kStateKey = "s";
constexpr char kNodePrefix = 'n';

std::string node_key(std::string_view k) {
  std::string out(1, kNodePrefix);
  out.append(k);
  return out;
}

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

rocksdb::WriteOptions unsynced() {
  rocksdb::WriteOptions wo;
  wo.sync = false;  // see the header
  return wo;
}

}  // namespace

void DhtStore::save_dht_state(std::string_view bytes) {
  check(db_.Put(unsynced(), cf_, slice(kStateKey), slice(bytes)), "dht state write");
}

std::optional<std::string> DhtStore::load_dht_state() const {
  std::string out;
  const auto s = db_.Get(rocksdb::ReadOptions(), cf_, slice(kStateKey), &out);
  if (s.IsNotFound()) return std::nullopt;
  check(s, "dht state read");
  return out;
}

void DhtStore::put_node_schedule(std::string_view key, std::string_view bytes) {
  check(db_.Put(unsynced(), cf_, node_key(key), slice(bytes)), "dht schedule write");
}

void DhtStore::put_node_schedules(std::span<const std::pair<std::string, std::string>> entries) {
  rocksdb::WriteBatch batch;
  for (const auto& [k, v] : entries) check(batch.Put(cf_, node_key(k), v), "dht schedule batch");
  check(db_.Write(unsynced(), &batch), "dht schedule write");
}

std::optional<std::string> DhtStore::get_node_schedule(std::string_view key) const {
  std::string out;
  const auto s = db_.Get(rocksdb::ReadOptions(), cf_, node_key(key), &out);
  if (s.IsNotFound()) return std::nullopt;
  check(s, "dht schedule read");
  return out;
}

void DhtStore::erase_node_schedule(std::string_view key) {
  check(db_.Delete(unsynced(), cf_, node_key(key)), "dht schedule delete");
}

std::size_t DhtStore::scan_node_schedules(
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), cf_));
  std::size_t visited = 0;
  const std::string prefix(1, kNodePrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    ++visited;
    auto key = it->key().ToStringView();
    key.remove_prefix(1);
    if (!fn(key, it->value().ToStringView())) break;
  }
  check(it->status(), "dht schedule scan");
  return visited;
}

}  // namespace magnetar::crawler::state
