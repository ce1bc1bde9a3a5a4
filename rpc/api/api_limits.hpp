// Limits of the public API (rpc/proto/magnetar/v1/magnetar.proto), shared by
// the server (rpc/api) and the CLI client.
#pragma once

#include <chrono>
#include <cstddef>

namespace magnetar::rpc {

// Requests are small (a query of at most 512 bytes and a few filters): 64 KiB
// refuses anything else before it is parsed.
inline constexpr int kMaxApiRequestBytes = 64 << 10;
// A response may carry a .torrent: the 10 MiB info dict cap (BEP 9 metadata
// limit of the peer wire) plus room for the envelope. Clients raise their
// receive limit to this.
inline constexpr int kMaxApiResponseBytes = 12 << 20;
// Every unary RPC runs at most this long, whatever deadline the client set
// (or none): PostgreSQL's statement_timeout enforces it.
inline constexpr std::chrono::milliseconds kMaxApiDeadline{10'000};
// Crawler nodes report every 30 s (hub.proto NodeReport); three missed reports
// and a node no longer counts as live in Stats.
inline constexpr std::chrono::seconds kLiveNodeWindow{90};

}  // namespace magnetar::rpc
