// The crawler node's gRPC client of the hub (rpc/proto/magnetar/v1/hub.proto):
// one channel, authenticated with the cluster token on every call, with the
// message size limit raised on both ends (pitfalls.md). Triage asks which
// infohashes the index still wants; OutboxShipper (outbox_shipper.hpp) runs
// the Ingest stream over the same channel.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/infohash.hpp"
#include "rpc/common/hub_limits.hpp"

namespace magnetar::crawler::ship {

// The hub protocol's limits, shared with the hub.
using rpc::kMaxHubMessageBytes;
using rpc::kMaxTriageBatch;
// A Triage call is one indexed query; a hub that takes longer is overloaded
// or gone, and the crawler had better fetch without its answer.
inline constexpr std::chrono::milliseconds kDefaultCallDeadline{10'000};
// gRPC's own reconnect backoff grows to 120 s by default; a node waiting
// that long after the hub is back would let its outbox grow for nothing.
inline constexpr std::chrono::milliseconds kDefaultMaxReconnectBackoff{10'000};
// HTTP/2 keepalive pings, so a hub that vanished without closing the TCP
// connection (power loss, partition) is noticed. Not more often than every
// 5 minutes: gRPC servers by default answer more frequent pings on a quiet
// connection with GOAWAY "too_many_pings".
inline constexpr std::chrono::milliseconds kKeepaliveTime{300'000};
inline constexpr std::chrono::milliseconds kKeepaliveTimeout{20'000};

struct HubClientOptions {
  std::string address;  // "host:port"
  std::string token;    // the cluster token; must not be empty
  std::chrono::milliseconds call_deadline = kDefaultCallDeadline;
  std::chrono::milliseconds max_reconnect_backoff = kDefaultMaxReconnectBackoff;
};

enum class Verdict {
  kNew,      // not indexed: fetch it
  kKnown,    // indexed already
  kBlocked,  // on the block list: never fetch or store
};

// A failed call (infrastructure error): the gRPC status code and message.
class HubError : public std::runtime_error {
 public:
  HubError(int grpc_code, const std::string& message);
  int grpc_code() const { return code_; }
  bool unauthenticated() const;  // the hub refused the cluster token

 private:
  int code_;
};

// A node's counters for the hub (Hub.Report; names in hub.proto).
struct NodeReport {
  std::string node_id;
  std::chrono::system_clock::time_point started_at;
  std::map<std::string, std::uint64_t> counters;  // cumulative since started_at
  std::map<std::string, double> gauges;           // current levels
};

struct HubConnection;  // hub_connection.hpp: the channel and stub

class HubClient {
 public:
  explicit HubClient(HubClientOptions options);
  ~HubClient();
  HubClient(const HubClient&) = delete;
  HubClient& operator=(const HubClient&) = delete;

  // One verdict per id, in order. Sent in calls of at most kMaxTriageBatch
  // ids, each with call_deadline. Throws HubError (hub down, wrong token).
  std::vector<Verdict> triage(std::span<const InfoHashV1> ids);
  // Sends the node's counters, with `deadline` (default call_deadline).
  // Throws HubError.
  void report(const NodeReport& report, std::optional<std::chrono::milliseconds> deadline = {});

  const HubClientOptions& options() const { return options_; }
  HubConnection& connection() { return *connection_; }

 private:
  HubClientOptions options_;
  std::unique_ptr<HubConnection> connection_;
};

}  // namespace magnetar::crawler::ship
