// The crawler's DHT side wired together on one io_context: a DhtSession
// (libtorrent, DHT only) driven by the sans-I/O Sampler, Harvester and
// PeerLookup. A periodic tick sends what the sampler and the lookups ask
// for; events from the session feed them back. Discovered infohashes go to
// one handler, marked by source.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "crawler/dht/dht_session.hpp"
#include "crawler/dht/dht_snapshot.hpp"
#include "crawler/dht/discovery.hpp"
#include "crawler/dht/harvester.hpp"
#include "crawler/dht/peer_lookup.hpp"
#include "crawler/dht/sampler.hpp"

namespace magnetar::crawler::dht {

struct DhtCrawlerConfig {
  SamplerConfig sampler;
  HarvesterConfig harvester;
  PeerLookupConfig lookups;
  // BEP 51 sampling on (off: harvest and lookups only).
  bool sample = true;
  // Nodes the sampler starts from (besides the routing table), e.g. one
  // known node; they are added to libtorrent's table too.
  std::vector<Endpoint> seeds;
  // How often the sampler and lookups are driven: a short tick keeps the
  // per-IP rate smooth and replies turned around quickly.
  std::chrono::milliseconds tick{10};
  // How often libtorrent's routing table is read into the frontier.
  std::chrono::milliseconds routing_table_poll{5'000};
  // Requests sent per tick at most (a burst of thousands overflows buffers).
  std::size_t max_sends_per_tick = 32;
  // The sampler's schedule of an earlier run (DhtSnapshot::schedule; its
  // session_state goes to DhtSessionConfig::saved_state).
  std::vector<NodeSchedule> restore;
};

// Bytes on the wire per sample_infohashes exchange: a query of about 100
// bytes, a reply of 20 samples (400), 8 nodes (208) and framing, plus UDP/IP
// headers both ways. Used to turn the bandwidth cap into a request rate.
inline constexpr double kBytesPerSampleExchange = 800;

class DhtCrawler final : public DhtEvents {
 public:
  using DiscoveryHandler = std::function<void(const Discovery&)>;
  using LookupHandler = std::function<void(const LookupResult&)>;

  // Starts the session; start() starts crawling.
  DhtCrawler(boost::asio::io_context& io, DhtSessionConfig session, DhtCrawlerConfig config,
             DiscoveryHandler on_discovery);
  ~DhtCrawler() override;

  void start();
  void stop();
  // Everything to resume from after a restart (see NodeStore).
  DhtSnapshot snapshot() const;

  // Forgets a discovered infohash, so that the DHT side emits it again when
  // it comes across it again: for what the caller had to drop.
  void forget(const InfoHashV1& ih) {
    sampler_.forget(ih);
    harvester_.forget(ih);
  }

  // Queues a get_peers lookup; the result goes to the lookup handler.
  bool find_peers(const InfoHashV1& ih);
  void set_lookup_handler(LookupHandler handler) { on_lookup_ = std::move(handler); }
  // Sees every get_peers reply, also of lookups started by others through
  // session() (the keeper's, for resolving pins).
  using PeersObserver = std::function<void(const InfoHashV1&, const std::vector<Endpoint>&)>;
  void set_peers_observer(PeersObserver observer) { on_peers_ = std::move(observer); }
  // Counters and routing-table size, refreshed every routing_table_poll (or
  // on request through session().post_counters()).
  void set_counters_handler(std::function<void(const DhtCounters&)> handler) {
    on_counters_ = std::move(handler);
  }

  DhtSession& session() { return *session_; }
  const Sampler& sampler() const { return sampler_; }
  const Harvester& harvester() const { return harvester_; }
  const PeerLookup& lookups() const { return lookups_; }
  const DhtCounters& counters() const { return counters_; }
  const RoutingTableStats& routing_table() const { return routing_table_; }

  // DhtEvents
  void on_sample_reply(const SampleReply& reply) override;
  void on_get_peers_reply(const InfoHashV1& ih, const std::vector<Endpoint>& peers) override;
  void on_incoming_announce(const InfoHashV1& ih, const Endpoint& peer) override;
  void on_incoming_get_peers(const InfoHashV1& ih) override;
  void on_routing_table(const RoutingTableStats& stats) override;
  void on_counters(const DhtCounters& counters) override;

 private:
  void schedule_tick();
  void tick();
  void poll_routing_table();

  boost::asio::io_context& io_;
  DhtCrawlerConfig config_;
  DiscoveryHandler on_discovery_;
  LookupHandler on_lookup_;
  PeersObserver on_peers_;
  std::function<void(const DhtCounters&)> on_counters_;
  Sampler sampler_;
  Harvester harvester_;
  PeerLookup lookups_;
  DhtCounters counters_;
  RoutingTableStats routing_table_;
  boost::asio::steady_timer timer_;
  Clock::time_point next_routing_poll_{};
  bool running_ = false;
  bool own_id_known_ = false;
  std::unique_ptr<DhtSession> session_;  // last: its events use the above
};

}  // namespace magnetar::crawler::dht
