// An infohash the crawler found, and how: the candidates handed to triage
// and fetching (DESIGN.md, crawler data flow).
#pragma once

#include <optional>

#include "common/infohash.hpp"
#include "crawler/dht/node_endpoint.hpp"

namespace magnetar::crawler::dht {

enum class Source {
  kSample,    // in a BEP 51 sample_infohashes reply of node `from`
  kAnnounce,  // announced to us (BEP 5 announce_peer); `peer` holds the content
  kGetPeers,  // looked up through us (BEP 5 get_peers)
};

struct Discovery {
  InfoHashV1 info_hash;
  Source source = Source::kSample;
  // kSample: the DHT node that returned it (UDP).
  std::optional<Endpoint> from;
  // kAnnounce: the announcing peer's peer-wire endpoint (TCP), a ready
  // candidate for the metadata fetch.
  std::optional<Endpoint> peer;
  friend bool operator==(const Discovery&, const Discovery&) = default;
};

const char* to_string(Source source);

}  // namespace magnetar::crawler::dht
