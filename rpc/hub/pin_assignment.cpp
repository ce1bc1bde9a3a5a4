#include "rpc/hub/pin_assignment.hpp"

#include <algorithm>

#include "common/sha.hpp"

namespace magnetar::rpc {
namespace {

// splitmix64's finalizer: a bijective mix with full avalanche, so weights of
// one node over many ids (and of many nodes over one id) are independent.
std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t load_be(const std::uint8_t* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::uint64_t rendezvous_seed(std::string_view node_id) {
  const auto digest = sha1(node_id);
  return load_be(digest.data(), 8);
}

std::uint64_t rendezvous_weight(std::uint64_t seed, const InfoHashV1& id) {
  const auto* b = id.bytes().data();
  std::uint64_t h = mix64(seed ^ load_be(b, 8));
  h = mix64(h ^ load_be(b + 8, 8));
  return mix64(h ^ load_be(b + 16, 4));
}

PinAssignment::PinAssignment(std::vector<std::string> nodes, std::size_t replication)
    : nodes_(std::move(nodes)), replication_(std::max<std::size_t>(replication, 1)) {
  std::sort(nodes_.begin(), nodes_.end());
  nodes_.erase(std::unique(nodes_.begin(), nodes_.end()), nodes_.end());
  seeds_.reserve(nodes_.size());
  for (const auto& n : nodes_) seeds_.push_back(rendezvous_seed(n));
}

bool PinAssignment::outranks(std::size_t i, std::uint64_t wi, std::size_t j,
                             std::uint64_t wj) const {
  // Equal weights (1 in 2^64) fall back to the node ids, so that every hub
  // still agrees.
  return wi != wj ? wi > wj : nodes_[i] < nodes_[j];
}

std::vector<std::string> PinAssignment::keepers_of(const InfoHashV1& id) const {
  std::vector<std::pair<std::uint64_t, std::size_t>> ranked;
  ranked.reserve(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    ranked.emplace_back(rendezvous_weight(seeds_[i], id), i);
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    return outranks(a.second, a.first, b.second, b.first);
  });
  std::vector<std::string> out;
  for (std::size_t k = 0; k < ranked.size() && k < replication_; ++k)
    out.push_back(nodes_[ranked[k].second]);
  return out;
}

bool PinAssignment::keeps(std::string_view node, const InfoHashV1& id) const {
  const auto it = std::lower_bound(nodes_.begin(), nodes_.end(), node);
  if (it == nodes_.end() || *it != node) return false;
  const auto me = static_cast<std::size_t>(it - nodes_.begin());
  const auto mine = rendezvous_weight(seeds_[me], id);
  std::size_t above = 0;
  for (std::size_t j = 0; j < nodes_.size(); ++j) {
    if (j == me) continue;
    if (outranks(j, rendezvous_weight(seeds_[j], id), me, mine) && ++above >= replication_)
      return false;
  }
  return true;
}

std::vector<InfoHashV1> PinAssignment::pins_of(std::string_view node,
                                               std::span<const InfoHashV1> ids) const {
  std::vector<InfoHashV1> out;
  for (const auto& id : ids)
    if (keeps(node, id)) out.push_back(id);
  return out;
}

}  // namespace magnetar::rpc
