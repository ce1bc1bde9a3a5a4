#include "crawler/dht/dht_crawler.hpp"

#include <algorithm>

namespace magnetar::crawler::dht {
namespace {

SamplerConfig sampler_config(const DhtCrawlerConfig& crawler, const DhtSessionConfig& session) {
  SamplerConfig c = crawler.sampler;
  // Only a loopback testnet has nodes on 127.x or private addresses.
  c.drop_local_addresses = !session.loopback;
  if (session.bandwidth_cap > 0 && c.max_requests_per_second <= 0) {
    // Sampling gets the DHT's share of the one cap.
    c.max_requests_per_second = std::max(1.0, static_cast<double>(session.bandwidth_cap) *
                                                  session.dht_share / kBytesPerSampleExchange);
  }
  return c;
}

}  // namespace

DhtCrawler::DhtCrawler(boost::asio::io_context& io, DhtSessionConfig session,
                       DhtCrawlerConfig config, DiscoveryHandler on_discovery)
    : io_(io),
      config_(std::move(config)),
      on_discovery_(std::move(on_discovery)),
      sampler_(sampler_config(config_, session)),
      harvester_(config_.harvester),
      lookups_(config_.lookups),
      timer_(io) {
  for (const auto& seed : config_.seeds) session.bootstrap_nodes.push_back(seed);

  session_ = std::make_unique<DhtSession>(io_, std::move(session), *this);
  const auto now = Clock::now();
  sampler_.restore(config_.restore, now);
  for (const auto& seed : config_.seeds) sampler_.learn(seed, std::nullopt, now);
}

DhtSnapshot DhtCrawler::snapshot() const {
  return DhtSnapshot{session_->save_state(), sampler_.schedule(Clock::now())};
}

DhtCrawler::~DhtCrawler() {
  stop();
  session_.reset();
}

void DhtCrawler::start() {
  if (running_) return;
  running_ = true;
  next_routing_poll_ = Clock::now() + config_.routing_table_poll;
  schedule_tick();
}

void DhtCrawler::stop() {
  running_ = false;
  timer_.cancel();
}

bool DhtCrawler::find_peers(const InfoHashV1& ih) { return lookups_.request(ih); }

void DhtCrawler::schedule_tick() {
  timer_.expires_after(config_.tick);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !running_) return;  // operation_aborted: stopping
    tick();
    schedule_tick();
  });
}

void DhtCrawler::tick() {
  const auto now = Clock::now();
  if (!session_->listening()) return;
  if (!own_id_known_) {
    // Known once the DHT runs; other nodes list us in their `nodes`.
    const NodeId own = session_->node_id();
    if (own != NodeId{}) {
      sampler_.set_own_id(own);
      own_id_known_ = true;
    }
  }
  if (config_.sample) {
    for (std::size_t i = 0; i < config_.max_sends_per_tick; ++i) {
      const auto request = sampler_.next(now);
      if (!request) break;
      session_->sample_infohashes(request->endpoint, request->target);
    }
  }
  for (const auto& ih : lookups_.start(now)) session_->get_peers(ih);
  for (const auto& result : lookups_.finished(now)) {
    if (on_lookup_) on_lookup_(result);
  }
  if (now >= next_routing_poll_) {
    next_routing_poll_ = now + config_.routing_table_poll;
    poll_routing_table();
  }
}

void DhtCrawler::poll_routing_table() {
  const auto now = Clock::now();
  if (config_.sample) {
    for (const auto& node : session_->routing_table_nodes())
      sampler_.learn(node, std::nullopt, now);
  }
  session_->post_routing_table();
  session_->post_counters();
}

void DhtCrawler::on_sample_reply(const SampleReply& reply) {
  for (const auto& d : sampler_.on_reply(reply, Clock::now())) on_discovery_(d);
}

void DhtCrawler::on_get_peers_reply(const InfoHashV1& ih, const std::vector<Endpoint>& peers) {
  lookups_.on_peers(ih, peers);
  if (on_peers_) on_peers_(ih, peers);
}

void DhtCrawler::on_incoming_announce(const InfoHashV1& ih, const Endpoint& peer) {
  if (const auto d = harvester_.on_announce(ih, peer)) on_discovery_(*d);
}

void DhtCrawler::on_incoming_get_peers(const InfoHashV1& ih) {
  if (const auto d = harvester_.on_get_peers(ih)) on_discovery_(*d);
}

void DhtCrawler::on_routing_table(const RoutingTableStats& stats) { routing_table_ = stats; }

void DhtCrawler::on_counters(const DhtCounters& counters) {
  counters_ = counters;
  if (on_counters_) on_counters_(counters);
}

}  // namespace magnetar::crawler::dht
