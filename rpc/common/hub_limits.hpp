// Limits of the hub's internal protocol (rpc/proto/magnetar/v1/hub.proto),
// shared by the hub (rpc/hub) and its client on crawler nodes (crawler/ship).
#pragma once

#include <cstddef>

namespace magnetar::rpc {

// Infohashes per Triage call: a crawler batches its candidates; 10,000 ids
// are 200 kB, well inside the message limit, and one indexed query.
inline constexpr std::size_t kMaxTriageBatch = 10'000;
// Both ends of the internal channel raise gRPC's 4 MiB default above the
// 10 MiB metadata cap of the peer wire (BEP 9), with room for the envelope.
inline constexpr int kMaxHubMessageBytes = 12 << 20;

}  // namespace magnetar::rpc
