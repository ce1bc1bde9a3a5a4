// Which keeper nodes keep which pins: rendezvous (highest random weight)
// hashing of each 20-byte id over the live keepers, with a replication
// factor (DESIGN.md, issue 8). Sans-I/O and deterministic: every hub, and
// GetPin on any API server, computes the same assignment from the same list
// of live keepers, and when a keeper leaves, only its pins move (each to the
// next-highest node), the others stay where they are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/infohash.hpp"

namespace magnetar::rpc {

// Keepers per pin by default (setting pins.replication): one node may die
// and every pin is still announced and served.
inline constexpr std::size_t kDefaultPinReplication = 2;

// A node's seed: the first 8 bytes of SHA-1(node_id), read big-endian. The
// same on every hub whatever its byte order.
std::uint64_t rendezvous_seed(std::string_view node_id);

// The weight of (node, pin): a 64-bit mix of the node's seed and the id's
// bytes. The `replication` nodes of highest weight keep the pin.
std::uint64_t rendezvous_weight(std::uint64_t seed, const InfoHashV1& id);

class PinAssignment {
 public:
  // nodes: the live keepers (order and duplicates do not matter);
  // replication: keepers per pin, at least 1.
  PinAssignment(std::vector<std::string> nodes, std::size_t replication);

  const std::vector<std::string>& nodes() const { return nodes_; }  // sorted, unique
  std::size_t replication() const { return replication_; }

  // The nodes keeping id, highest weight first (fewer when fewer are live).
  std::vector<std::string> keepers_of(const InfoHashV1& id) const;
  // Whether `node` is one of id's keepers (false for a node not in nodes()).
  bool keeps(std::string_view node, const InfoHashV1& id) const;
  // The ids among `ids` that `node` keeps, in their order: O(ids x nodes)
  // with no allocation per id.
  std::vector<InfoHashV1> pins_of(std::string_view node, std::span<const InfoHashV1> ids) const;

 private:
  // The node at index i outranks the node at index j for a pin.
  bool outranks(std::size_t i, std::uint64_t wi, std::size_t j, std::uint64_t wj) const;

  std::vector<std::string> nodes_;
  std::vector<std::uint64_t> seeds_;
  std::size_t replication_;
};

}  // namespace magnetar::rpc
