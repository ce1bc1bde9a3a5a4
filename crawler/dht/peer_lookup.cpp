#include "crawler/dht/peer_lookup.hpp"

#include <algorithm>

namespace magnetar::crawler::dht {

PeerLookup::PeerLookup(PeerLookupConfig config) : config_(config) {
  if (config_.max_in_flight == 0) config_.max_in_flight = 1;
}

bool PeerLookup::request(const InfoHashV1& ih) {
  if (queue_.size() >= config_.max_queued || queued_.contains(ih) || running_.contains(ih)) {
    return false;
  }
  queue_.push_back(ih);
  queued_.insert(ih);
  return true;
}

std::vector<InfoHashV1> PeerLookup::start(TimePoint now) {
  std::vector<InfoHashV1> out;
  while (!queue_.empty() && running_.size() < config_.max_in_flight) {
    const InfoHashV1 ih = queue_.front();
    queue_.pop_front();
    queued_.erase(ih);
    Running r;
    r.deadline = now + config_.deadline;
    running_.emplace(ih, std::move(r));
    deadlines_.insert({now + config_.deadline, ih});
    out.push_back(ih);
  }
  return out;
}

void PeerLookup::on_peers(const InfoHashV1& ih, const std::vector<Endpoint>& peers) {
  const auto it = running_.find(ih);
  if (it == running_.end()) return;
  Running& r = it->second;
  const bool was_enough = config_.enough_peers > 0 && r.peers.size() >= config_.enough_peers;
  for (const auto& p : peers) {
    if (r.peers.size() >= config_.max_peers) break;
    if (r.distinct.insert(p).second) r.peers.push_back(p);
  }
  if (!was_enough && config_.enough_peers > 0 && r.peers.size() >= config_.enough_peers) {
    done_early_.push_back(ih);
  }
}

std::vector<LookupResult> PeerLookup::finished(TimePoint now) {
  std::vector<LookupResult> out;
  const auto take = [&](const InfoHashV1& ih) {
    const auto it = running_.find(ih);
    if (it == running_.end()) return;
    deadlines_.erase({it->second.deadline, ih});
    out.push_back(LookupResult{ih, std::move(it->second.peers)});
    running_.erase(it);
  };
  for (const auto& ih : done_early_) take(ih);
  done_early_.clear();
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) take(deadlines_.begin()->second);
  return out;
}

}  // namespace magnetar::crawler::dht
