// The hub's Keeper service (rpc/proto/magnetar/v1/keeper.proto): one Keep
// stream per keeper node, authenticated with the cluster token.
//
// Up: the node's hello (its row in `keepers`), then heartbeats (last
// heartbeat and per-pin counters in `pin_keepers`). Down: the node's pin
// assignments, first in full, then as changes.
//
// One worker thread does every database statement and all the assignment
// work, so gRPC's threads never block: a stream's next message is read only
// after the worker handled the previous one (at most one message per stream
// waits), and a stream's next assignment message is built only when its
// previous write finished (at most one in flight, bounded in bytes).
//
// Each tick (tick_interval) the worker reloads the pin list (id, state,
// revision: ~40 bytes per pin), the live keepers (last heartbeat within 3
// heartbeat intervals), fails pins RESOLVING longer than resolve_timeout,
// and computes each stream's pins by rendezvous hashing (pin_assignment.hpp)
// from that in-memory list: O(pins x keepers) per tick, no per-pin query.
// What changed against what the stream was sent (new pins, a higher
// revision such as RESOLVING -> ALIVE, pins moved away or unpinned) goes
// down as a change message; details and info dicts are loaded for those
// pins only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "common/infohash.hpp"
#include "magnetar/v1/keeper.grpc.pb.h"
#include "rpc/common/hub_limits.hpp"
#include "rpc/hub/node_report_store.hpp"
#include "rpc/hub/pin_assignment.hpp"

namespace magnetar::rpc {

// A keeper is live while its last heartbeat is within this many intervals.
inline constexpr int kKeeperMissedHeartbeats = 3;
inline constexpr std::chrono::seconds kDefaultKeeperHeartbeatInterval{30};
// pins.resolve_timeout: an hour of DHT lookups and tracker announces finds
// any swarm that still exists.
inline constexpr std::chrono::seconds kDefaultPinResolveTimeout{3600};
// Changes reach keepers within a few seconds, while the reload (one scan of
// ~40 bytes per pin) stays cheap at 100k pins.
inline constexpr std::chrono::milliseconds kDefaultKeeperTick{2000};
// An assignment message is cut after this many bytes (a single info dict may
// exceed it, up to the 10 MiB metadata cap, and goes alone): below the
// channel's kMaxHubMessageBytes, and it bounds the hub's memory per stream.
inline constexpr std::size_t kMaxAssignmentMessageBytes = 4u << 20;
// The full message lists the pins a node has cached first, without their
// info dicts (~100 bytes each), up to this: the node drops whatever the full
// message leaves out, so these are kept whole where the channel allows
// (~100k cached pins), 1 MiB under kMaxHubMessageBytes for the envelope.
inline constexpr std::size_t kMaxFullCachedBytes = 11u << 20;
static_assert(kMaxFullCachedBytes + (1u << 20) <= static_cast<std::size_t>(kMaxHubMessageBytes));
// Untrusted hello and heartbeat fields (node ids: kMaxNodeIdBytes, as in
// Hub.Report).
inline constexpr std::size_t kMaxAnnounceAddressBytes = 255;  // a DNS name
// Counters in one heartbeat: a node keeps at most its share of ~100k pins
// (issue 8), and a message is at most kMaxHubMessageBytes anyway.
inline constexpr std::size_t kMaxHeartbeatPins = 200'000;

struct KeeperServiceOptions {
  std::string dsn;
  std::string cluster_token;  // must not be empty
  std::size_t replication = kDefaultPinReplication;
  std::chrono::milliseconds heartbeat_interval = kDefaultKeeperHeartbeatInterval;
  std::chrono::seconds resolve_timeout = kDefaultPinResolveTimeout;
  std::chrono::milliseconds tick_interval = kDefaultKeeperTick;
};

class KeeperService final : public v1::Keeper::CallbackService {
 public:
  // Starts the worker; it connects lazily and retries, so the constructor
  // does not fail when PostgreSQL is down.
  explicit KeeperService(KeeperServiceOptions options);
  // Stops the worker. Shut the server down first: streams still open are
  // ended with UNAVAILABLE.
  ~KeeperService() override;
  KeeperService(const KeeperService&) = delete;
  KeeperService& operator=(const KeeperService&) = delete;

  grpc::ServerBidiReactor<v1::KeeperUp, v1::KeeperDown>* Keep(
      grpc::CallbackServerContext* context) override;

  // Whether id is pinned, as of the last reload or note_pinned: the ingest
  // path asks it to keep a pinned torrent's info dict (store.raw_info =
  // pinned) whichever node fetched it. Thread-safe.
  bool is_pinned(const InfoHashV1& id) const;
  // A pin was added or changed through the API of this process: counted as
  // pinned at once, and the worker recomputes now instead of at its next tick.
  void note_pinned(const InfoHashV1& id);
  // Recompute now (a pin was removed, for instance).
  void kick();
  // Ends every Keep stream with UNAVAILABLE, now and from now on, so that a
  // stopping server does not wait out its grace period for them (the nodes
  // reconnect, to this hub when it is back or to another).
  void close_streams();

  struct Stream;  // one Keep stream's state, shared by its reactor and the worker

 private:
  class Worker;
  void enqueue(std::shared_ptr<Stream> stream);

  const KeeperServiceOptions options_;
  mutable std::mutex pinned_mu_;
  std::unordered_set<InfoHashV1> pinned_;
  std::unique_ptr<Worker> worker_;
};

}  // namespace magnetar::rpc
