#include "crawler/dht/dht_snapshot.hpp"

#include "common/bencode_decoder.hpp"
#include "common/bencode_encoder.hpp"
#include "crawler/dht/dht_errors.hpp"

namespace magnetar::crawler::dht {
namespace {

std::string compact(const Endpoint& e) {
  std::string out(reinterpret_cast<const char*>(e.ip.bytes.data()), e.ip.v6 ? 16 : 4);
  out += static_cast<char>(e.port >> 8);
  out += static_cast<char>(e.port & 0xff);
  return out;
}

std::optional<Endpoint> from_compact(std::string_view s) {
  if (s.size() != 6 && s.size() != 18) return std::nullopt;
  Endpoint e;
  e.ip.v6 = s.size() == 18;
  const std::size_t n = s.size() - 2;
  for (std::size_t i = 0; i < n; ++i) e.ip.bytes[i] = static_cast<std::uint8_t>(s[i]);
  e.port = static_cast<std::uint16_t>(static_cast<std::uint8_t>(s[n]) << 8 |
                                      static_cast<std::uint8_t>(s[n + 1]));
  return e;
}

}  // namespace

std::string encode_snapshot(const DhtSnapshot& snapshot) {
  std::string out;
  bencode::Encoder e(out);
  e.dict();
  e.string("schedule").list();
  const std::size_t count = std::min(snapshot.schedule.size(), kMaxSnapshotNodes);
  for (std::size_t i = 0; i < count; ++i) {
    const NodeSchedule& n = snapshot.schedule[i];
    e.dict().string("a").string(compact(n.endpoint));
    if (n.id) e.string("i").string(n.id->view());
    e.string("n").integer(n.num).string("w").integer(n.wait.count()).end();
  }
  e.end();
  e.string("session").string(
      std::string_view(snapshot.session_state.data(), snapshot.session_state.size()));
  e.end();
  return out;
}

Result<DhtSnapshot> decode_snapshot(std::string_view bytes) {
  auto doc = bencode::decode(bytes);
  if (!doc) return doc.error();
  const bencode::Node root = doc->root();
  if (!root.is_dict()) return Error(Errc::kSnapshotFormat, 0);
  const auto session = root.find_string("session");
  const auto schedule = root.find_list("schedule");
  if (!session || !schedule) return Error(Errc::kSnapshotFormat, root.offset());
  DhtSnapshot out;
  out.session_state.assign(session->begin(), session->end());
  for (const bencode::Node item : schedule->items()) {
    if (out.schedule.size() >= kMaxSnapshotNodes) break;
    if (!item.is_dict()) return Error(Errc::kSnapshotFormat, item.offset());
    const auto address = item.find_string("a");
    const auto num = item.find_int("n");
    const auto wait = item.find_int("w");
    const auto id = item.find_string("i");
    std::optional<Endpoint> endpoint;
    if (address) endpoint = from_compact(*address);
    if (!endpoint || !num || !wait || *wait < 0 || (id && id->size() != NodeId::kSize)) {
      return Error(Errc::kSnapshotFormat, item.offset());
    }
    NodeSchedule n;
    n.endpoint = *endpoint;
    if (id) n.id = NodeId::from_bytes(*id);
    n.num = *num;
    n.wait = std::chrono::seconds(std::min<std::int64_t>(*wait, kMaxSampleInterval.count()));
    out.schedule.push_back(n);
  }
  return out;
}

}  // namespace magnetar::crawler::dht
