#include "crawler/dht/harvester.hpp"

namespace magnetar::crawler::dht {

Harvester::Harvester(HarvesterConfig config)
    : config_(config), announced_(config.recent_capacity), looked_up_(config.recent_capacity) {}

std::optional<Discovery> Harvester::on_announce(const InfoHashV1& ih, const Endpoint& peer) {
  if (!config_.announces) return std::nullopt;
  ++stats_.announces;
  // Port 0 is no peer to connect to; the infohash is still a candidate.
  if (!announced_.insert(ih)) return std::nullopt;
  ++stats_.new_from_announces;
  Discovery d{ih, Source::kAnnounce, std::nullopt, std::nullopt};
  if (peer.port != 0) d.peer = peer;
  return d;
}

std::optional<Discovery> Harvester::on_get_peers(const InfoHashV1& ih) {
  if (!config_.lookups) return std::nullopt;
  ++stats_.lookups;
  if (!looked_up_.insert(ih)) return std::nullopt;
  ++stats_.new_from_lookups;
  return Discovery{ih, Source::kGetPeers, std::nullopt, std::nullopt};
}

}  // namespace magnetar::crawler::dht
