// OutboxShipper: drains the node's outbox into the hub's Ingest stream.
//
// One long-lived bidirectional stream (no per-RPC deadline, pitfalls.md):
// items go out in outbox order, each with its outbox sequence number as the
// stream's sequence; the hub acks sequence numbers once their records are
// committed in PostgreSQL, and only then does the shipper remove them from
// the outbox. At most max_in_flight_items / max_in_flight_bytes are sent and
// unacked at a time. When the stream fails (hub down, restarted, token
// refused, no ack for ack_timeout), the shipper reconnects with exponential
// backoff and sends everything still in the outbox again, from its start:
// the hub's ingest is idempotent, so a record committed whose ack was lost
// is only refreshed. Items appended while it runs wake it at once.
//
// Runs on its own thread plus a reader thread per stream; stop() cancels the
// stream and returns promptly (what was not acked stays in the outbox).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "crawler/ship/hub_client.hpp"
#include "crawler/state/outbox.hpp"

namespace grpc {
class ClientContext;
}

namespace magnetar::crawler::ship {

// Unacked items in flight: the hub's store commits in batches (up to 200 ms
// apart by default), so the window must cover a few batches' worth at the
// node's peak fetch rate; 1,024 items is over 5,000 items/s.
inline constexpr std::size_t kDefaultMaxInFlightItems = 1024;
// ...and at most this many bytes of info dicts, whatever their size (a few
// 10 MiB dicts would otherwise hold hundreds of MB in gRPC buffers).
inline constexpr std::uint64_t kDefaultMaxInFlightBytes = 64u << 20;
inline constexpr std::chrono::milliseconds kDefaultShipBackoffMin{250};
inline constexpr std::chrono::milliseconds kDefaultShipBackoffMax{30'000};
// Items in flight and no ack for this long: the hub is stuck (or the network
// silently dropped us); reconnect and resend. Generous: a hub whose
// PostgreSQL restarts holds acks while its writer retries.
inline constexpr std::chrono::milliseconds kDefaultAckTimeout{300'000};

struct ShipperOptions {
  std::string node_id;  // IngestRequest.node_id: which node fetched it
  std::size_t max_in_flight_items = kDefaultMaxInFlightItems;
  std::uint64_t max_in_flight_bytes = kDefaultMaxInFlightBytes;
  std::chrono::milliseconds backoff_min = kDefaultShipBackoffMin;
  std::chrono::milliseconds backoff_max = kDefaultShipBackoffMax;
  std::chrono::milliseconds ack_timeout = kDefaultAckTimeout;
};

struct ShipperCounters {
  std::uint64_t shipped = 0;          // items written to a stream (resends included)
  std::uint64_t acked = 0;            // items acked as committed and removed
  std::uint64_t reconnects = 0;       // streams opened after the first
  std::uint64_t stream_failures = 0;  // streams that ended with an error
  std::uint64_t auth_failures = 0;    // ... of which UNAUTHENTICATED (wrong token)
  std::size_t in_flight = 0;          // sent, not yet acked
  std::size_t outbox_depth = 0;       // items in the outbox (in flight included)
  std::uint64_t outbox_bytes = 0;
};

class OutboxShipper {
 public:
  OutboxShipper(HubClient& hub, state::Outbox& outbox, ShipperOptions options = {});
  ~OutboxShipper();  // stop()
  OutboxShipper(const OutboxShipper&) = delete;
  OutboxShipper& operator=(const OutboxShipper&) = delete;

  void start();
  // Cancels the stream, joins the threads. Idempotent.
  void stop();

  ShipperCounters counters() const;

 private:
  struct StreamEnd {
    bool acked_any = false;
  };

  void run();
  StreamEnd run_stream();
  bool ready_to_send() const;  // mu_ held

  HubClient& hub_;
  state::Outbox& outbox_;
  const ShipperOptions options_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool broken_ = false;                               // the current stream has failed
  grpc::ClientContext* context_ = nullptr;            // the current stream's, to cancel
  std::map<std::uint64_t, std::uint64_t> in_flight_;  // seq -> info dict bytes
  std::uint64_t in_flight_bytes_ = 0;
  std::uint64_t next_ = 0;  // the lowest seq not yet sent on this stream
  std::chrono::steady_clock::time_point last_progress_{};
  std::thread thread_;

  std::atomic<std::uint64_t> shipped_{0};
  std::atomic<std::uint64_t> acked_{0};
  std::atomic<std::uint64_t> reconnects_{0};
  std::atomic<std::uint64_t> stream_failures_{0};
  std::atomic<std::uint64_t> auth_failures_{0};
};

}  // namespace magnetar::crawler::ship
