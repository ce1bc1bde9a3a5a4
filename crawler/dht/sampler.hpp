// The BEP 51 sampling policy, sans-I/O: no sockets, no libtorrent, no clock.
// The caller feeds it contacts (routing table, `nodes` of every reply),
// replies and the current time, and asks which `sample_infohashes` to send
// next. It keeps a bounded frontier of DHT nodes and:
//   - honours each node's `interval` (BEP 51: do not ask again sooner),
//   - sends at most kMaxPacketsPerIpPerSecond to any one IP,
//   - favours the nodes expected to return the most unseen infohashes
//     (small `num`, fresh samples: see Sampler::expected_yield),
//   - tracks outstanding requests with deadlines (libtorrent posts no alert
//     when a sample_infohashes times out) and drops nodes that stop replying,
//   - drops ID-spoofing contacts (a reply whose id changed for an endpoint,
//     or too many ids behind one IP),
//   - emits every infohash not in its bounded recent set, with its source.
// Tested with a fake clock in tests/crawler/dht/sampler_test.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <optional>
#include <random>
#include <set>
#include <unordered_map>
#include <vector>

#include "common/infohash.hpp"
#include "crawler/dht/discovery.hpp"
#include "crawler/dht/node_endpoint.hpp"
#include "crawler/dht/recent_set.hpp"
#include "crawler/dht/sample_parser.hpp"

namespace magnetar::crawler::dht {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

// libtorrent's DoS blocker (dht_block_ratelimit, default 5 packets/s per IP
// averaged over 10 s) ignores an IP above it for 5 minutes; most DHT nodes run
// libtorrent or copy its limit. We stay at it, counting our own samples.
inline constexpr int kMaxPacketsPerIpPerSecond = 5;
// BEP 51: "interval ... the subsequent request ... at most 6 hours"; a node
// asking for more is capped so it stays in the schedule.
inline constexpr std::chrono::seconds kMaxSampleInterval{21'600};
// BEP 51 replies carry at most this many samples in practice (libtorrent
// sends 20, and "num" above it means more can be had later).
inline constexpr std::size_t kSamplesPerReply = 20;
// Contacts read from one reply's `nodes`: BEP 5 returns K = 8; more is a
// flood, the rest is ignored.
inline constexpr std::size_t kMaxContactsPerReply = 64;

enum class TargetMode {
  kRandom,          // a random 160-bit target per request
  kKeyspaceCursor,  // targets sweep the keyspace in low-discrepancy steps
};

struct SamplerConfig {
  // Frontier cap: nodes beyond it evict the least recently useful one.
  std::size_t max_nodes = 100'000;
  // Requests outstanding at once.
  std::size_t max_in_flight = 64;
  // A request with no reply by then is a timeout (libtorrent's own RPC
  // timeout is longer; a late reply is still accepted).
  std::chrono::milliseconds request_timeout{5'000};
  // Consecutive timeouts after which a node is dropped as dead.
  int max_failures = 2;
  // Wait before asking a node again after a timeout.
  std::chrono::milliseconds retry_after_timeout{10'000};
  // Distinct node ids replying from one IP before the IP is banned as an
  // id spoofer (BEP 42's spirit: one node per IP, a few behind a NAT).
  std::size_t max_ids_per_ip = 4;
  // Nodes kept per IP (ports), so that one IP cannot fill the frontier.
  std::size_t max_nodes_per_ip = 8;
  // Capacity of the recent-infohash set used to tell new from seen.
  std::size_t recent_capacity = 1u << 20;
  // A node already sampled is asked again only while it is expected to
  // bring at least this many unseen infohashes...
  double min_expected_yield = 0.5;
  // ...or once this long has passed since its last reply (its set changes).
  std::chrono::seconds revisit_after{1'800};
  // Packets per second to one IP (never above kMaxPacketsPerIpPerSecond on
  // the real DHT; the loopback testnet may raise it).
  int packets_per_ip_per_second = kMaxPacketsPerIpPerSecond;
  // Requests per second over all nodes (0: no limit besides the in-flight
  // cap). DhtCrawler derives it from the bandwidth cap: libtorrent's
  // dht_upload_rate_limit only sheds the replies we owe, never our queries.
  double max_requests_per_second = 0;
  // Contacts on non-global addresses (is_global) are rejected. DhtCrawler
  // turns this on unless its session crawls a loopback testnet; off here so
  // the policy itself works on any addresses.
  bool drop_local_addresses = false;
  TargetMode target_mode = TargetMode::kRandom;
  std::uint64_t seed = 1;
};

struct SampleRequest {
  Endpoint endpoint;
  NodeId target;
};

// One BEP 51 reply, as the DHT edge decoded it.
struct SampleReply {
  Endpoint endpoint;
  NodeId node_id;
  std::chrono::seconds interval{0};
  std::int64_t num = 0;  // infohashes the node stores
  std::vector<InfoHashV1> samples;
  std::vector<Contact> nodes;
};

// A node's schedule, for persistence across restarts (crawler/state).
struct NodeSchedule {
  Endpoint endpoint;
  std::optional<NodeId> id;
  std::int64_t num = -1;         // -1: never sampled
  std::chrono::seconds wait{0};  // until it may be sampled again
  friend bool operator==(const NodeSchedule&, const NodeSchedule&) = default;
};

struct SamplerStats {
  std::uint64_t sent = 0;
  std::uint64_t replies = 0;
  std::uint64_t late_replies = 0;  // after their deadline, or unasked
  std::uint64_t timeouts = 0;
  std::uint64_t dropped_dead = 0;
  std::uint64_t dropped_spoofing = 0;
  std::uint64_t banned_ips = 0;
  std::uint64_t evicted = 0;
  std::uint64_t rejected_contacts = 0;  // per-IP cap, banned IP, id conflicts
  std::uint64_t rate_limited = 0;       // picks skipped for the per-IP rate
  std::uint64_t throttled = 0;          // picks deferred by max_requests_per_second
  std::uint64_t samples = 0;
  std::uint64_t new_infohashes = 0;
};

class Sampler {
 public:
  explicit Sampler(SamplerConfig config = {});

  // A contact from a routing table (id unknown) or a reply's `nodes`
  // (claimed id). Known endpoints are only refreshed in the LRU.
  void learn(const Endpoint& endpoint, std::optional<NodeId> id, TimePoint now);
  // Our own node id: contacts carrying it are ourselves (other nodes list
  // us in their `nodes`), never sampled.
  void set_own_id(const NodeId& id) { own_id_ = id; }
  // The next request to send now, if any node is due, under the in-flight
  // cap and the per-IP rate. The caller sends it (or reports a timeout).
  std::optional<SampleRequest> next(TimePoint now);
  // A reply: schedules the node after its interval, learns its `nodes`, and
  // returns the samples not seen recently.
  std::vector<Discovery> on_reply(const SampleReply& reply, TimePoint now);
  // Times out requests past their deadline (next() calls it too).
  void expire(TimePoint now);

  std::vector<NodeSchedule> schedule(TimePoint now) const;
  void restore(const std::vector<NodeSchedule>& nodes, TimePoint now);

  std::size_t size() const { return nodes_.size(); }
  std::size_t in_flight() const { return deadlines_.size(); }
  // IPs with per-IP state (rate, ids): never more than the nodes known.
  std::size_t tracked_ips() const { return ips_.size(); }
  bool knows(const Endpoint& endpoint) const { return nodes_.contains(endpoint); }
  // The fraction of recent samples that were new (exponential average).
  double recent_new_fraction() const { return new_fraction_; }
  const SamplerStats& stats() const { return stats_; }
  const SamplerConfig& config() const { return config_; }
  const RecentSet& recent() const { return recent_; }
  // Forgets an infohash it emitted, so the next sample holding it emits it
  // again (the caller had no room for it).
  void forget(const InfoHashV1& ih) { recent_.erase(ih); }

 private:
  enum class State { kWaiting, kReady, kInFlight };
  struct Node {
    std::optional<NodeId> id;
    bool verified = false;         // id came from the node's own reply
    std::int64_t num = -1;         // -1 until the first reply
    double fraction = 1;           // estimated fraction of its samples still new
    double new_fraction_then = 1;  // new_fraction_ when `fraction` was estimated
    int failures = 0;
    std::uint64_t seq = 0;  // learning order: FIFO among unsampled nodes
    State state = State::kWaiting;
    TimePoint not_before{};
    TimePoint deadline{};
    TimePoint last_reply{};
    double score = 0;  // ready_ ordering key
    std::list<Endpoint>::iterator lru;
  };
  struct IpState {
    std::size_t nodes = 0;
    std::vector<NodeId> ids;      // distinct verified ids seen replying
    std::deque<TimePoint> sends;  // our sends in the last second
  };
  struct ReadyKey {
    double score;
    std::uint64_t seq;
    Endpoint endpoint;
    bool operator<(const ReadyKey& o) const {
      if (score != o.score) return score > o.score;
      if (seq != o.seq) return seq < o.seq;
      return endpoint < o.endpoint;
    }
  };

  // Expected unseen infohashes per request to `node`, up to the common
  // factor new_fraction_ (so the ordering of ready_ stays valid as it moves).
  static double score_of(const Node& node);
  void make_waiting(const Endpoint& endpoint, Node& node, TimePoint when);
  void make_ready(const Endpoint& endpoint, Node& node);
  void unlink(const Endpoint& endpoint, Node& node);
  void drop(const Endpoint& endpoint);
  void ban(const IpAddress& ip);
  bool rate_ok(IpState& ip, TimePoint now) const;
  bool take_token(TimePoint now);
  void evict_one();
  NodeId next_target();

  SamplerConfig config_;
  std::optional<NodeId> own_id_;
  std::unordered_map<Endpoint, Node, EndpointHash> nodes_;
  std::unordered_map<IpAddress, IpState, IpAddressHash> ips_;
  std::set<IpAddress> banned_;
  std::deque<IpAddress> banned_order_;
  std::set<std::pair<TimePoint, Endpoint>> waiting_;
  std::set<ReadyKey> ready_;
  std::set<std::pair<TimePoint, Endpoint>> deadlines_;
  std::list<Endpoint> lru_;  // front: most recently useful
  RecentSet recent_;
  double new_fraction_ = 1;
  std::uint64_t next_seq_ = 0;
  std::mt19937_64 rng_;
  std::uint64_t cursor_ = 0;
  // Token bucket of max_requests_per_second.
  double tokens_ = 0;
  std::optional<TimePoint> tokens_at_;
  SamplerStats stats_;
};

}  // namespace magnetar::crawler::dht
