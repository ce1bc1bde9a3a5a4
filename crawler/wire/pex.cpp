#include "crawler/wire/pex.hpp"

#include "common/bencode_decoder.hpp"
#include "common/bencode_encoder.hpp"
#include "crawler/wire/wire_errors.hpp"

namespace magnetar::crawler::wire {
namespace {

// A ut_pex dict holds six strings; headroom for keys other clients add.
constexpr bencode::DecodeLimits kLimits{.max_depth = 8, .max_tokens = 256};

constexpr std::size_t kCompactV4 = 6;
constexpr std::size_t kCompactV6 = 18;

// Checks one peer list and counts its entries towards the limit.
Result<std::size_t> entry_count(const bencode::Node& root, std::string_view key,
                                std::size_t entry_size, std::size_t& total) {
  const auto node = root.find(key);
  if (!node) return std::size_t{0};
  if (!node->is_string() || node->string().size() % entry_size != 0) {
    return Error(WireErrc::kMalformedPex, node->offset());
  }
  const std::size_t n = node->string().size() / entry_size;
  total += n;
  if (total > kMaxPexEntries) return Error(WireErrc::kTooManyPexEntries, node->offset());
  return n;
}

void add_peers(const bencode::Node& root, std::string_view key, std::string_view flags_key,
               std::size_t entry_size, std::size_t count, std::vector<PexPeer>& out) {
  if (count == 0) return;
  const std::string_view peers = *root.find_string(key);
  const auto flags = root.find_string(flags_key);
  const bool use_flags = flags && flags->size() == count;
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back({PeerEndpoint::from_compact(peers.substr(i * entry_size, entry_size)),
                   use_flags ? static_cast<std::uint8_t>((*flags)[i]) : std::uint8_t{0}});
  }
}

void drop_peers(const bencode::Node& root, std::string_view key, std::size_t entry_size,
                std::size_t count, std::vector<PeerEndpoint>& out) {
  if (count == 0) return;
  const std::string_view peers = *root.find_string(key);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(PeerEndpoint::from_compact(peers.substr(i * entry_size, entry_size)));
  }
}

}  // namespace

Result<PexMessage> decode_pex(std::string_view payload) {
  auto doc = bencode::decode(payload, bencode::Mode::kLenient, kLimits);
  if (!doc) return Error(WireErrc::kMalformedPex, doc.error().offset);
  const bencode::Node root = doc->root();
  if (!root.is_dict()) return Error(WireErrc::kMalformedPex, 0);

  std::size_t total = 0;
  auto added4 = entry_count(root, "added", kCompactV4, total);
  if (!added4) return added4.error();
  auto added6 = entry_count(root, "added6", kCompactV6, total);
  if (!added6) return added6.error();
  auto dropped4 = entry_count(root, "dropped", kCompactV4, total);
  if (!dropped4) return dropped4.error();
  auto dropped6 = entry_count(root, "dropped6", kCompactV6, total);
  if (!dropped6) return dropped6.error();

  PexMessage msg;
  msg.added.reserve(*added4 + *added6);
  add_peers(root, "added", "added.f", kCompactV4, *added4, msg.added);
  add_peers(root, "added6", "added6.f", kCompactV6, *added6, msg.added);
  msg.dropped.reserve(*dropped4 + *dropped6);
  drop_peers(root, "dropped", kCompactV4, *dropped4, msg.dropped);
  drop_peers(root, "dropped6", kCompactV6, *dropped6, msg.dropped);
  return msg;
}

std::string encode_pex(const PexMessage& msg) {
  std::string added4, flags4, added6, flags6, dropped4, dropped6;
  for (const PexPeer& p : msg.added) {
    p.endpoint.append_compact(p.endpoint.v6 ? added6 : added4);
    (p.endpoint.v6 ? flags6 : flags4) += static_cast<char>(p.flags);
  }
  for (const PeerEndpoint& e : msg.dropped) e.append_compact(e.v6 ? dropped6 : dropped4);

  // Keys in raw-byte order: "added" < "added.f" < "added6" < "added6.f" < "dropped" < "dropped6".
  std::string out;
  bencode::Encoder e(out);
  e.dict();
  e.string("added").string(added4);
  if (!added4.empty()) e.string("added.f").string(flags4);
  if (!added6.empty()) e.string("added6").string(added6).string("added6.f").string(flags6);
  e.string("dropped").string(dropped4);
  if (!dropped6.empty()) e.string("dropped6").string(dropped6);
  e.end();
  return out;
}

}  // namespace magnetar::crawler::wire
