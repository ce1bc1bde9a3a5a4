// Parsing the raw fields of a BEP 51 sample_infohashes reply:
//   samples: concatenated 20-byte infohashes,
//   nodes / nodes6: compact node info (BEP 5: 20-byte id, then 4+2 or 16+2
//   bytes of address and port, network order).
// Every hash is read at its own 20-byte offset; a trailing partial entry is
// an error (not silently dropped): the reply is malformed.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "common/infohash.hpp"
#include "common/result.hpp"
#include "crawler/dht/node_endpoint.hpp"

namespace magnetar::crawler::dht {

// BEP 51 replies fit in one UDP datagram; a sample count far above what
// fits (1,500-byte MTU / 20 bytes = 75; libtorrent sends at most 20) marks a
// hostile or broken reply. Generous, so that a legitimate node with a larger
// sample is still read.
inline constexpr std::size_t kMaxSamplesPerReply = 1'000;
// BEP 5 compact node info: id + IPv4 + port, id + IPv6 + port.
inline constexpr std::size_t kCompactNodeV4Size = 26;
inline constexpr std::size_t kCompactNodeV6Size = 38;

struct Contact {
  NodeId id;
  Endpoint endpoint;
  friend bool operator==(const Contact&, const Contact&) = default;
};

Result<std::vector<InfoHashV1>> parse_samples(std::string_view samples);
// `v6` selects the 38-byte form (the "nodes6" key).
Result<std::vector<Contact>> parse_compact_nodes(std::string_view nodes, bool v6);

}  // namespace magnetar::crawler::dht
