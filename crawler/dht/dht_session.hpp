// The crawler's libtorrent edge: an lt::session used for the DHT only (no
// torrent is ever added), driven through its public API, and its alerts
// turned into our events. This is the only file pair that touches libtorrent
// (pimpl: its headers stay out of the crawler's). Everything it reports
// happens on the io_context given at construction: libtorrent's alert-notify
// callback only posts a drain task there. Construct, use and destroy it on
// that io_context's thread (or while the io_context does not run).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "crawler/dht/node_endpoint.hpp"
#include "crawler/dht/sampler.hpp"

namespace boost::asio {
class io_context;
}

namespace magnetar::crawler::dht {

// The public routers most clients bootstrap from.
std::vector<std::string> default_routers();

struct DhtSessionConfig {
  // libtorrent's listen_interfaces: literal IPs with ports (a device name
  // silently gives an empty routing table, testnet-notes.md).
  std::string listen_interfaces = "0.0.0.0:6881,[::]:6881";
  // "host:port" routers resolved at start; tests set none.
  std::vector<std::string> routers = default_routers();
  // Nodes pinged at start (add_dht_node), e.g. the node table of the last run.
  std::vector<Endpoint> bootstrap_nodes;
  // One cap in bytes per second over DHT and peer-wire traffic together;
  // 0: none. The DHT gets dht_share of it (libtorrent can only limit what
  // the DHT sends); the peer wire, which is ours, honours
  // DhtSession::peer_wire_rate_limit().
  std::int64_t bandwidth_cap = 0;
  double dht_share = 0.25;
  // Local service discovery (multicast) and port mapping (UPnP, NAT-PMP).
  bool local_discovery = false;
  bool port_mapping = false;
  // Loopback testnet: every node shares 127.0.0.0/8 and is "unverified", so
  // the routing-table IP restrictions and node-id checks go off, and
  // libtorrent's DoS blocker is relaxed (testnet-notes.md). Off, DhtCrawler's
  // sampler and CrawlNode's fetches drop non-global addresses (is_global).
  bool loopback = false;
  // Peers returned per get_peers reply we serve (libtorrent: 100).
  int max_peers_reply = 100;
  // Alerts queued before libtorrent drops them (default 2,000 is a burst).
  int alert_queue_size = 200'000;
  // UDP buffers: replies to many queries arrive in bursts.
  int socket_buffer = 4 * 1024 * 1024;
  // Counts every DHT query we send, exactly, from the packets (dht_log
  // alerts: costs some CPU, for benchmarks). Otherwise queries are counted
  // from libtorrent's session counters.
  bool count_queries = false;
  // The DHT state of an earlier run (DhtSession::save_state()): its routing
  // table's nodes are pinged at start. Its node id is offered to libtorrent,
  // which keeps it only when it matches our external IP (BEP 42); until a
  // vote has established that IP it picks a fresh one.
  std::vector<char> saved_state;
};

struct RoutingTableStats {
  std::size_t nodes = 0;
  std::size_t replacements = 0;
  std::size_t buckets = 0;
  std::size_t lookups = 0;  // traversals running
};

// libtorrent's DHT counters ("dht.*" session metrics). Per-type *_out are
// requests we sent, but libtorrent counts only some kinds (traversals and
// refresh pings; not the pings of add_dht_node nor direct requests);
// messages_out counts every packet, replies included.
struct DhtCounters {
  std::int64_t sample_infohashes_out = 0;
  std::int64_t find_node_out = 0;
  std::int64_t get_peers_out = 0;
  std::int64_t ping_out = 0;
  std::int64_t announce_peer_out = 0;
  std::int64_t messages_out = 0;
  std::int64_t messages_in = 0;
  std::int64_t bytes_out = 0;
  std::int64_t bytes_in = 0;
  // Incoming requests of every type (each got a reply in messages_out).
  std::int64_t queries_in = 0;
  // Outgoing queries counted from the packets; -1 unless count_queries.
  std::int64_t queries_out_exact = -1;

  std::int64_t typed_queries_out() const {
    return sample_infohashes_out + find_node_out + get_peers_out + ping_out + announce_peer_out;
  }
  // Every query we sent: packets out less the replies to incoming requests.
  std::int64_t queries_out() const {
    return queries_out_exact >= 0 ? queries_out_exact : messages_out - queries_in;
  }
};

// What the session reports, on the io_context thread.
class DhtEvents {
 public:
  virtual ~DhtEvents() = default;
  virtual void on_sample_reply(const SampleReply& reply) = 0;
  // Peers one node returned for a get_peers of ours (one call per node).
  virtual void on_get_peers_reply(const InfoHashV1& ih, const std::vector<Endpoint>& peers) = 0;
  // announce_peer received: `peer` is the announcer's IP and announced port.
  virtual void on_incoming_announce(const InfoHashV1& ih, const Endpoint& peer) = 0;
  virtual void on_incoming_get_peers(const InfoHashV1& ih) = 0;
  virtual void on_routing_table(const RoutingTableStats& stats) = 0;
  virtual void on_counters(const DhtCounters& counters) = 0;
};

class DhtSession {
 public:
  // Starts the session (and its DHT) at once; throws std::runtime_error
  // when libtorrent cannot be configured (a bad saved state is ignored).
  DhtSession(boost::asio::io_context& io, DhtSessionConfig config, DhtEvents& events);
  ~DhtSession();
  DhtSession(const DhtSession&) = delete;
  DhtSession& operator=(const DhtSession&) = delete;

  void sample_infohashes(const Endpoint& node, const NodeId& target);
  void get_peers(const InfoHashV1& ih);
  // BEP 5 announce of our peer-wire port. Port 0 would announce libtorrent's
  // own listen port (pitfalls.md): refused, returns false.
  bool announce(const InfoHashV1& ih, std::uint16_t port);
  void add_node(const Endpoint& node);
  // Asks the router to forward this TCP port to us (UPnP / NAT-PMP), for
  // the keeper's metadata server; nothing unless config.port_mapping.
  void map_tcp_port(std::uint16_t port);

  // Posts an on_routing_table / on_counters event soon.
  void post_routing_table();
  void post_counters();
  // The routing table's node endpoints (ids are not exposed by libtorrent).
  std::vector<Endpoint> routing_table_nodes() const;

  // Our node id and routing table, for the next run (DhtSessionConfig::saved_state).
  std::vector<char> save_state() const;
  // The share of the bandwidth cap left to the peer wire; 0 = unlimited.
  std::int64_t peer_wire_rate_limit() const;
  // Whether the DHT's UDP socket is open: queries sent before are lost.
  bool listening() const;
  // The UDP port the DHT listens on.
  std::uint16_t listen_port() const;
  NodeId node_id() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace magnetar::crawler::dht
