// The info dicts of this node's keep-alive pins (crawler/keeper serves them to
// peers), keyed by the 20-byte id. Backed by the "pins" column family.
//
// Writes go without fsync: they survive kill -9; after a power loss a missing
// entry is resolved again from the swarm or fetched from the hub.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/infohash.hpp"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace magnetar::crawler::state {

class PinCache {
 public:
  PinCache(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) : db_(db), cf_(cf) {}

  void put(const InfoHashV1& id, std::string_view info_dict);
  std::optional<std::string> get(const InfoHashV1& id) const;
  void remove(const InfoHashV1& id);
  // Calls fn(id, info_dict) in id order until it returns false; returns how
  // many entries it visited.
  std::size_t scan(const std::function<bool(const InfoHashV1&, std::string_view)>& fn) const;

 private:
  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* cf_;
};

}  // namespace magnetar::crawler::state
