// Harvest: infohashes other DHT nodes announce to us (BEP 5 announce_peer,
// with the announcing peer as a ready candidate endpoint) or look up through
// us (get_peers) are candidates as well, marked by source. Sans-I/O: the DHT
// edge reports the incoming requests, this deduplicates them in a bounded
// recent set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "crawler/dht/discovery.hpp"
#include "crawler/dht/recent_set.hpp"

namespace magnetar::crawler::dht {

struct HarvesterConfig {
  // Infohashes remembered per source (the RocksDB seen set is the real
  // filter; this only absorbs the repeats of a busy infohash).
  std::size_t recent_capacity = 1u << 18;
  bool announces = true;  // harvest announce_peer
  bool lookups = true;    // harvest get_peers
};

struct HarvesterStats {
  std::uint64_t announces = 0;
  std::uint64_t lookups = 0;
  std::uint64_t new_from_announces = 0;
  std::uint64_t new_from_lookups = 0;
};

class Harvester {
 public:
  explicit Harvester(HarvesterConfig config = {});

  // An announce_peer we received: `peer` is the announcing peer's
  // peer-wire endpoint (its IP, and the port it announced).
  std::optional<Discovery> on_announce(const InfoHashV1& ih, const Endpoint& peer);
  // A get_peers we received.
  std::optional<Discovery> on_get_peers(const InfoHashV1& ih);

  const HarvesterStats& stats() const { return stats_; }
  // Forgets an infohash it emitted, so the next announce or lookup of it
  // emits it again (the caller had no room for it).
  void forget(const InfoHashV1& ih) {
    announced_.erase(ih);
    looked_up_.erase(ih);
  }

 private:
  HarvesterConfig config_;
  RecentSet announced_;
  RecentSet looked_up_;
  HarvesterStats stats_;
};

}  // namespace magnetar::crawler::dht
