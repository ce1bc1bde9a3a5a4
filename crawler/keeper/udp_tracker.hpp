// The UDP tracker protocol (BEP 15), sans-I/O: the connect and announce
// requests as exact bytes, and their replies parsed and checked against the
// transaction id we sent. All integers are big-endian.
//
//   connect   -> int64 0x41727101980, int32 0 (connect), int32 transaction   (16 bytes)
//             <- int32 0, int32 transaction, int64 connection_id              (16 bytes)
//   announce  -> int64 connection_id, int32 1, int32 transaction, 20 info_hash,
//                20 peer_id, int64 downloaded, int64 left, int64 uploaded,
//                int32 event, uint32 ip (0), uint32 key, int32 num_want,
//                uint16 port                                                  (98 bytes)
//             <- int32 1, int32 transaction, int32 interval, int32 leechers,
//                int32 seeders, then 6 bytes per IPv4 peer (18 per IPv6 peer
//                when we asked over IPv6)
//   error     <- int32 3, int32 transaction, message
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crawler/keeper/tracker_announce.hpp"

namespace magnetar::crawler::keeper {

inline constexpr std::uint64_t kUdpTrackerProtocolId = 0x41727101980ull;
inline constexpr std::size_t kUdpConnectSize = 16;
inline constexpr std::size_t kUdpAnnounceSize = 98;
// BEP 15: a connection id may be used for one minute after it was received.
inline constexpr std::chrono::seconds kUdpConnectionIdLifetime{60};
// BEP 15: wait 15 * 2^n seconds for a reply (n = 0..8). A keeper gives up
// after n = 2 (in all 105 s) and tries again at the next announce.
inline constexpr std::chrono::seconds kUdpFirstTimeout{15};
inline constexpr int kUdpMaxRetransmits = 2;

enum class UdpAction : std::uint32_t { kConnect = 0, kAnnounce = 1, kScrape = 2, kError = 3 };

std::string encode_udp_connect(std::uint32_t transaction_id);
// The connection id. kTruncated, kWrongAction, kWrongTransaction,
// kTrackerError (an error reply).
Result<std::uint64_t> parse_udp_connect_reply(std::string_view reply, std::uint32_t transaction_id);

std::string encode_udp_announce(std::uint64_t connection_id, std::uint32_t transaction_id,
                                const TrackerAnnounce& announce);
// An error reply gives a TrackerReply with failure_reason set. Peers are
// 18 bytes each when `ipv6` (the request went over IPv6). kTruncated,
// kWrongAction, kWrongTransaction, kBadPeers.
Result<TrackerReply> parse_udp_announce_reply(std::string_view reply, std::uint32_t transaction_id,
                                              bool ipv6);

}  // namespace magnetar::crawler::keeper
