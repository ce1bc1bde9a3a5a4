// A bounded set of recently seen infohashes: insertion answers "new?", and
// the oldest entry is forgotten once `capacity` is reached (FIFO). It keeps
// the crawler from emitting the same infohash over and over between RocksDB
// seen-set checks; memory stays fixed whatever the DHT sends.
#pragma once

#include <cstddef>
#include <deque>
#include <unordered_set>

#include "common/infohash.hpp"

namespace magnetar::crawler::dht {

class RecentSet {
 public:
  explicit RecentSet(std::size_t capacity);

  // True when `ih` was not in the set (it is now).
  bool insert(const InfoHashV1& ih);
  bool contains(const InfoHashV1& ih) const { return set_.contains(ih); }
  // Forgets `ih`, so its next insert counts as new (an infohash the caller
  // could not take). Its slot in the eviction order stays: if it is inserted
  // again, that older slot may evict it early, which at worst lets one
  // repeat through.
  void erase(const InfoHashV1& ih) { set_.erase(ih); }
  std::size_t size() const { return set_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  std::size_t capacity_;
  std::unordered_set<InfoHashV1> set_;
  std::deque<InfoHashV1> order_;
};

}  // namespace magnetar::crawler::dht
