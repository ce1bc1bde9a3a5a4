#include "crawler/keeper/udp_tracker.hpp"

#include <algorithm>

#include "crawler/keeper/tracker_errors.hpp"

namespace magnetar::crawler::keeper {
namespace {

// A reply's fixed header: action and transaction id.
constexpr std::size_t kReplyHeader = 8;
constexpr std::size_t kAnnounceReplyFixed = 20;

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
void put64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
std::uint32_t get32(std::string_view in, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(in[at + i]);
  return v;
}
std::uint64_t get64(std::string_view in, std::size_t at) {
  return (static_cast<std::uint64_t>(get32(in, at)) << 32) | get32(in, at + 4);
}

// Checks the header; an error reply (action 3) is reported through `error`.
Status check_header(std::string_view reply, UdpAction expected, std::uint32_t transaction_id,
                    std::string* error) {
  if (reply.size() < kReplyHeader) return Error(TrackerErrc::kTruncated, reply.size());
  if (get32(reply, 4) != transaction_id) return Error(TrackerErrc::kWrongTransaction, 4);
  const std::uint32_t action = get32(reply, 0);
  if (action == static_cast<std::uint32_t>(UdpAction::kError)) {
    *error = std::string(reply.substr(kReplyHeader, kMaxTrackerMessage));
    if (error->empty()) *error = "(empty error message)";
    return Ok{};
  }
  if (action != static_cast<std::uint32_t>(expected)) return Error(TrackerErrc::kWrongAction, 0);
  return Ok{};
}

}  // namespace

std::string encode_udp_connect(std::uint32_t transaction_id) {
  std::string out;
  out.reserve(kUdpConnectSize);
  put64(out, kUdpTrackerProtocolId);
  put32(out, static_cast<std::uint32_t>(UdpAction::kConnect));
  put32(out, transaction_id);
  return out;
}

Result<std::uint64_t> parse_udp_connect_reply(std::string_view reply,
                                              std::uint32_t transaction_id) {
  std::string error;
  if (auto s = check_header(reply, UdpAction::kConnect, transaction_id, &error); !s) {
    return s.error();
  }
  if (!error.empty()) return Error(TrackerErrc::kTrackerError, kReplyHeader);
  if (reply.size() < kUdpConnectSize) return Error(TrackerErrc::kTruncated, reply.size());
  return get64(reply, 8);
}

std::string encode_udp_announce(std::uint64_t connection_id, std::uint32_t transaction_id,
                                const TrackerAnnounce& a) {
  std::string out;
  out.reserve(kUdpAnnounceSize);
  put64(out, connection_id);
  put32(out, static_cast<std::uint32_t>(UdpAction::kAnnounce));
  put32(out, transaction_id);
  out.append(a.info_hash.view());
  out.append(a.peer_id.view());
  put64(out, a.downloaded);
  put64(out, a.left);
  put64(out, a.uploaded);
  put32(out, static_cast<std::uint32_t>(a.event));
  put32(out, 0);  // ip: 0 = the packet's source address
  put32(out, a.key);
  put32(out, static_cast<std::uint32_t>(a.num_want));
  out.push_back(static_cast<char>(a.port >> 8));
  out.push_back(static_cast<char>(a.port & 0xff));
  return out;
}

Result<TrackerReply> parse_udp_announce_reply(std::string_view reply, std::uint32_t transaction_id,
                                              bool ipv6) {
  TrackerReply out;
  if (auto s = check_header(reply, UdpAction::kAnnounce, transaction_id, &out.failure_reason); !s) {
    return s.error();
  }
  if (!out.failure_reason.empty()) return out;
  if (reply.size() < kAnnounceReplyFixed) return Error(TrackerErrc::kTruncated, reply.size());
  // Capped like HTTP intervals: a day.
  out.interval = std::chrono::seconds(std::min<std::uint32_t>(get32(reply, 8), 24 * 3600));
  out.leechers = get32(reply, 12);
  out.seeders = get32(reply, 16);
  const std::size_t width = ipv6 ? 18 : 6;
  const std::string_view peers = reply.substr(kAnnounceReplyFixed);
  if (peers.size() % width != 0) return Error(TrackerErrc::kBadPeers, kAnnounceReplyFixed);
  for (std::size_t at = 0; at < peers.size() && out.peers.size() < kMaxTrackerPeers; at += width) {
    out.peers.push_back(wire::PeerEndpoint::from_compact(peers.substr(at, width)));
  }
  return out;
}

}  // namespace magnetar::crawler::keeper
