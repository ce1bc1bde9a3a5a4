// KeeperNode: a crawler node's keep-alive pins (issue 8), the asio and gRPC
// edges around the sans-I/O pieces of this folder.
//
//   hub --Keep stream--> assignments (info dicts) --> PinCache (RocksDB, on
//   disk: never all in memory) --> MetadataServer serves them to peers,
//   plaintext and MSE, counting connections and metadata served per pin
//   AnnounceScheduler --> dht_announce(id, our peer port) every ~30 min
//   AnnounceScheduler --> HTTP / UDP tracker announces for pins with trackers
//   resolving pins: DHT get_peers + the magnet's x.pe + tracker peers -->
//   MetadataFetcher --> verified info dict --> PinCache and the outbox
//   (source PIN: crawler/ship ships it to the hub's Ingest); a failure is
//   reported as resolve_error and retried with backoff
//   heartbeats with the counters that changed, every heartbeat_interval
//
// Threads: the pins, schedulers, server and fetcher live on the network
// io_context given at construction (the same as the DHT session's). The
// Keep stream runs on its own thread (gRPC's synchronous API blocks), which
// also writes assignments' info dicts to RocksDB; heartbeats go through a
// writer thread per connection. The network thread reads an info dict from
// RocksDB when a peer asks for it (a point lookup, ~20 kB) and writes one
// when a pin resolves.
//
// Memory per pin: its ids, trackers and counters (a few hundred bytes); the
// info dicts stay on disk, in RocksDB's block cache at most.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/infohash.hpp"
#include "crawler/dht/node_endpoint.hpp"
#include "crawler/keeper/announce_scheduler.hpp"
#include "crawler/keeper/keeper_dht.hpp"
#include "crawler/state/node_state.hpp"
#include "crawler/wire/metadata_fetcher.hpp"
#include "crawler/wire/mse_policy.hpp"

namespace magnetar::crawler::keeper {

// Counters reach the hub at this pace: it shows them in GetPin, and spots a
// dead keeper by missing heartbeats (so this is also the liveness signal).
inline constexpr std::chrono::milliseconds kDefaultHeartbeatInterval{30'000};
// The Keep stream reconnects after a failure with backoff from min to max.
inline constexpr std::chrono::milliseconds kDefaultReconnectMin{1'000};
inline constexpr std::chrono::milliseconds kDefaultReconnectMax{30'000};
// A pin whose metadata could not be fetched is tried again after min,
// doubling up to max: a swarm that comes back is noticed within the hour.
inline constexpr std::chrono::milliseconds kDefaultResolveRetryMin{30'000};
inline constexpr std::chrono::milliseconds kDefaultResolveRetryMax{3'600'000};
// Tracker announces of pins with trackers: trackers ask for 30 min as a rule,
// and an HTTP announce costs a TCP connection, so fewer per second.
inline constexpr std::size_t kDefaultTrackerAnnounceBudget = 5;
// Resolves running at once (each a get_peers lookup then a fetch).
inline constexpr std::size_t kMaxResolvesInFlight = 16;
// The default peer port (the DHT's is 6881).
inline constexpr std::uint16_t kDefaultPeerPort = 6882;

struct KeeperNodeOptions {
  std::string node_id;      // the hub's key for this node; must not be empty
  std::string hub_address;  // "host:port"
  std::string token;        // the cluster token
  // The address peers reach us at, told to the hub and to trackers ("ip");
  // empty: let trackers use our packets' source address.
  std::string announce_address;
  // Where the metadata server listens; port 0 picks a free one.
  std::string listen_address = "0.0.0.0";
  std::uint16_t peer_port = kDefaultPeerPort;
  wire::EncryptionPolicy encryption = wire::EncryptionPolicy::kPreferPlaintext;
  AnnounceSchedulerConfig dht_announce;
  AnnounceSchedulerConfig tracker_announce{kDefaultAnnounceInterval, kDefaultTrackerAnnounceBudget};
  std::chrono::milliseconds heartbeat_interval = kDefaultHeartbeatInterval;
  std::chrono::milliseconds reconnect_min = kDefaultReconnectMin;
  std::chrono::milliseconds reconnect_max = kDefaultReconnectMax;
  std::chrono::milliseconds resolve_retry_min = kDefaultResolveRetryMin;
  std::chrono::milliseconds resolve_retry_max = kDefaultResolveRetryMax;
  // get_peers lookups of resolving pins end after this.
  std::chrono::milliseconds lookup_deadline{8'000};
  std::chrono::milliseconds tracker_timeout{15'000};
  // A pin whose tracker announce failed is announced again after this (to
  // all its trackers) instead of a whole interval later.
  std::chrono::milliseconds tracker_retry{60'000};
  wire::MetadataFetcherConfig fetcher;
};

// One pin as the node sees it (for tests, logs and Stats).
struct PinStatus {
  InfoHashV1 id;
  bool cached = false;     // its info dict is in the pin cache (served)
  bool resolving = false;  // not cached yet
  std::optional<std::chrono::system_clock::time_point> last_dht_announce;
  std::optional<std::chrono::system_clock::time_point> last_tracker_announce;
  std::uint64_t dht_announces = 0;
  std::uint64_t tracker_announces = 0;
  std::uint64_t metadata_served = 0;
  std::uint64_t incoming_connections = 0;
  std::string resolve_error;
  std::string tracker_error;  // the last failed tracker announce: "url: reason"
};

struct KeeperStats {
  std::size_t pins = 0;
  std::size_t cached = 0;
  std::uint64_t assignments = 0;  // KeeperDown messages applied
  std::uint64_t connects = 0;     // Keep streams opened (hello sent)
  std::uint64_t heartbeats = 0;
  std::uint64_t dht_announces = 0;
  std::uint64_t tracker_announces = 0;  // replies received
  std::uint64_t tracker_failures = 0;
  std::uint64_t resolved = 0;
  std::uint64_t resolve_failures = 0;
  std::uint64_t metadata_served = 0;
  std::uint64_t incoming_connections = 0;
  std::size_t announces_waiting = 0;  // DHT announces behind their schedule
  // More pins cached than the announce budget covers per interval: every
  // announce runs late (logged as a warning when it starts and ends).
  bool over_budget = false;
};

class KeeperNode {
 public:
  // `state` and `dht` must outlive the node; nothing runs before start().
  KeeperNode(boost::asio::io_context& io, KeeperNodeOptions options, state::NodeState& state,
             KeeperDht& dht);
  ~KeeperNode();  // stop()
  KeeperNode(const KeeperNode&) = delete;
  KeeperNode& operator=(const KeeperNode&) = delete;

  // Binds the metadata server (on a free port, with a warning, when
  // peer_port is taken; throws std::runtime_error when it cannot at all),
  // loads the cached pins' ids and starts the Keep stream. Call before the
  // io_context runs or on its thread.
  void start();
  // Closes the stream, the server and every announce. Call on the io
  // context's thread or once it stopped running. Idempotent.
  void stop();

  // A DHT get_peers reply (from the node's DhtEvents, on the io thread).
  void on_get_peers_reply(const InfoHashV1& id, const std::vector<dht::Endpoint>& peers);

  // The metadata server's port (after start()).
  std::uint16_t peer_port() const;

  // Thread-safe snapshots, taken on the io thread: call them from another
  // thread while the io_context runs (they wait for it).
  KeeperStats stats() const;
  std::optional<PinStatus> pin(const InfoHashV1& id) const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace magnetar::crawler::keeper
