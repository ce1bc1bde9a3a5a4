// The DHT's persisted state, as opaque blobs owned by crawler/dht: one "DHT
// state" blob (libtorrent's saved routing table, our node id) and one blob per
// DHT node keyed by the caller's node key (its BEP 51 sampling schedule:
// interval, next due time, num). Backed by the "dht" column family.
//
// Writes go without fsync: they survive kill -9; a power loss costs a
// re-bootstrap or a few early samples, which the DHT tolerates.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace magnetar::crawler::state {

class DhtStore {
 public:
  DhtStore(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) : db_(db), cf_(cf) {}

  void save_dht_state(std::string_view bytes);
  std::optional<std::string> load_dht_state() const;

  void put_node_schedule(std::string_view node_key, std::string_view bytes);
  // Several at once, in one atomic batch.
  void put_node_schedules(std::span<const std::pair<std::string, std::string>> entries);
  std::optional<std::string> get_node_schedule(std::string_view node_key) const;
  void erase_node_schedule(std::string_view node_key);
  // Calls fn(node_key, bytes) for every schedule in key order until it
  // returns false; returns how many it visited.
  std::size_t scan_node_schedules(
      const std::function<bool(std::string_view, std::string_view)>& fn) const;

 private:
  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* cf_;
};

}  // namespace magnetar::crawler::state
