#include "crawler/dht/recent_set.hpp"

namespace magnetar::crawler::dht {

RecentSet::RecentSet(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {
  set_.reserve(capacity_ < 1'000'000 ? capacity_ : 1'000'000);
}

bool RecentSet::insert(const InfoHashV1& ih) {
  if (!set_.insert(ih).second) return false;
  order_.push_back(ih);
  if (order_.size() > capacity_) {
    set_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

}  // namespace magnetar::crawler::dht
