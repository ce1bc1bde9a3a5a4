#include "crawler/dht/sample_parser.hpp"

#include <array>
#include <cstring>

#include "crawler/dht/dht_errors.hpp"

namespace magnetar::crawler::dht {

Result<std::vector<InfoHashV1>> parse_samples(std::string_view samples) {
  constexpr std::size_t kHash = InfoHashV1::kSize;
  if (samples.size() % kHash != 0) return Error(Errc::kSamplesLength, samples.size());
  const std::size_t count = samples.size() / kHash;
  if (count > kMaxSamplesPerReply) return Error(Errc::kTooManySamples, kMaxSamplesPerReply * kHash);
  std::vector<InfoHashV1> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(*InfoHashV1::from_bytes(samples.substr(i * kHash, kHash)));
  }
  return out;
}

Result<std::vector<Contact>> parse_compact_nodes(std::string_view nodes, bool v6) {
  const std::size_t entry = v6 ? kCompactNodeV6Size : kCompactNodeV4Size;
  const std::size_t address = v6 ? 16 : 4;
  if (nodes.size() % entry != 0)
    return Error(Errc::kNodesLength, nodes.size() - nodes.size() % entry);
  std::vector<Contact> out;
  out.reserve(nodes.size() / entry);
  for (std::size_t at = 0; at < nodes.size(); at += entry) {
    Contact c;
    c.id = *NodeId::from_bytes(nodes.substr(at, NodeId::kSize));
    const auto* p = reinterpret_cast<const std::uint8_t*>(nodes.data() + at + NodeId::kSize);
    std::memcpy(c.endpoint.ip.bytes.data(), p, address);
    c.endpoint.ip.v6 = v6;
    c.endpoint.port = static_cast<std::uint16_t>(p[address] << 8 | p[address + 1]);
    out.push_back(c);
  }
  return out;
}

}  // namespace magnetar::crawler::dht
