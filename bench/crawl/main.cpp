// bench_crawl: what BEP 51 discovery costs in DHT queries.
//
// A loopback testnet of 100 DHT nodes (plus the seeders, DHT nodes too) and
// N announced torrents, whose nodes return a fresh random sample on every
// query (dht_sample_infohashes_interval 0). Our crawler, bootstrapped from
// one node with harvesting off, samples until 95% of the torrents are
// discovered (a torrent counts once any of its infohashes is seen). Every
// DHT query it sends is counted from its packets (sample_infohashes,
// find_node, get_peers, ping: libtorrent's own traffic included).
//
// Printed beside the bound for random fresh samples: a sample is 20 random
// infohashes, so after q queries an infohash is unseen with probability
// about (1 - 20/T)^q ~ exp(-20q/T); coverage c needs q = -ln(1-c) T / 20
// queries, i.e. -ln(1-c) / (20c) per new infohash (0.158 at c = 0.95).
//
// Then, for the record, the nodes' default 6-hour interval: a node returns
// the same 20 infohashes until it passes, so one sweep over all nodes is
// all there is; its coverage beside 1 - (1 - 20/num)^r (num: infohashes
// per node, r: copies of each infohash).
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "crawler/dht/dht_crawler.hpp"
#include "tests/testnet/loopback_settings.hpp"
#include "tests/testnet/testnet.hpp"

namespace {

namespace dht = magnetar::crawler::dht;
using magnetar::InfoHashV1;
using magnetar::testnet::Testnet;
using magnetar::testnet::TestnetOptions;
using Clock = std::chrono::steady_clock;

constexpr double kCoverageGoal = 0.95;
// libtorrent's default dht_sample_infohashes_interval (6 hours).
constexpr int kDefaultInterval = 21'600;
// The crawler's session sits past any testnet address.
constexpr std::size_t kCrawlerAddress = 60'000;

dht::Endpoint to_endpoint(const lt::udp::endpoint& e) {
  dht::IpAddress ip;
  const auto b = e.address().to_v4().to_bytes();
  std::copy(b.begin(), b.end(), ip.bytes.begin());
  return {ip, e.port()};
}

struct Options {
  std::size_t torrents = 2'000;
  std::size_t nodes = 100;
  std::size_t seeders = 10;
  std::uint64_t seed = 1;
  bool mixed_versions = false;
  double timeout = 120;
  bool interval_phase = true;
};

// Which torrent each DHT id (v1, truncated v2) belongs to.
std::unordered_map<InfoHashV1, std::size_t> torrent_index(const Testnet& net) {
  std::unordered_map<InfoHashV1, std::size_t> out;
  for (std::size_t i = 0; i < net.torrents().size(); ++i) {
    const auto& h = net.torrents()[i].info_hashes;
    if (h.v1) out.emplace(*h.v1, i);
    if (h.v2) out.emplace(magnetar::truncate(*h.v2), i);
  }
  return out;
}

struct CrawlResult {
  double coverage = 0;
  std::size_t torrents_found = 0;
  std::size_t infohashes_found = 0;
  std::int64_t queries = 0;
  dht::DhtCounters counters;
  double seconds = 0;
  bool reached = false;
  std::uint64_t samples_sent = 0;
  std::size_t nodes_known = 0;
  double mean_num = 0;  // infohashes per node, from the replies
  std::size_t nodes_replied = 0;
};

// Crawls `net` until `done` says so (or the timeout), then reads the counters.
CrawlResult crawl(Testnet& net, const Options& o, dht::SamplerConfig sampler,
                  const std::function<bool(const CrawlResult&, const dht::Sampler&)>& done) {
  const auto index = torrent_index(net);
  boost::asio::io_context io;
  dht::DhtSessionConfig sc;
  sc.listen_interfaces = magnetar::testnet::loopback_address(kCrawlerAddress) + ":0";
  sc.routers.clear();
  sc.loopback = true;
  sc.count_queries = true;
  dht::DhtCrawlerConfig cc;
  cc.sampler = sampler;
  cc.harvester.announces = false;
  cc.harvester.lookups = false;
  cc.seeds.push_back(to_endpoint(net.dht_bootstrap_endpoints().front()));

  CrawlResult r;
  std::vector<bool> torrent_seen(net.torrents().size());
  std::set<InfoHashV1> seen;
  std::map<dht::Endpoint, std::int64_t> num_of;
  const auto t0 = Clock::now();
  dht::DhtCrawler crawler(io, sc, cc, [&](const dht::Discovery& d) {
    const auto it = index.find(d.info_hash);
    if (it == index.end() || !seen.insert(d.info_hash).second) return;
    ++r.infohashes_found;
    if (!torrent_seen[it->second]) {
      torrent_seen[it->second] = true;
      ++r.torrents_found;
      r.coverage = static_cast<double>(r.torrents_found) / static_cast<double>(torrent_seen.size());
    }
  });
  bool finished = false;
  std::optional<Clock::time_point> finish_at;
  std::optional<CrawlResult> frozen;
  crawler.set_counters_handler([&](const dht::DhtCounters& c) {
    r.counters = c;
    if (finish_at) finished = true;
  });
  crawler.start();
  const auto deadline = t0 + std::chrono::duration<double>(o.timeout);
  boost::asio::steady_timer check(io);
  std::function<void()> poll = [&] {
    if (!finish_at && (done(r, crawler.sampler()) || Clock::now() >= deadline)) {
      finish_at = Clock::now();
      // Figures at this moment: replies still in flight count as queries
      // sent but not as discoveries (the conservative side).
      frozen = r;
      r.reached = r.coverage >= kCoverageGoal;
      r.seconds = std::chrono::duration<double>(*finish_at - t0).count();
      crawler.stop();
      crawler.session().post_counters();
    }
    if (finished) return;
    check.expires_after(std::chrono::milliseconds(2));
    check.async_wait([&](const boost::system::error_code&) { poll(); });
  };
  poll();
  while (!finished && Clock::now() < deadline + std::chrono::seconds(10)) {
    io.run_for(std::chrono::milliseconds(50));
  }
  if (frozen) {
    r.coverage = frozen->coverage;
    r.torrents_found = frozen->torrents_found;
    r.infohashes_found = frozen->infohashes_found;
  }
  r.queries = r.counters.queries_out();
  r.samples_sent = crawler.sampler().stats().sent;
  r.nodes_known = crawler.sampler().size();
  std::int64_t sum = 0;
  for (const auto& s : crawler.sampler().schedule(Clock::now())) {
    if (s.num >= 0) {
      sum += s.num;
      ++r.nodes_replied;
    }
  }
  if (r.nodes_replied) r.mean_num = static_cast<double>(sum) / static_cast<double>(r.nodes_replied);
  return r;
}

TestnetOptions testnet_options(const Options& o, int interval) {
  TestnetOptions t;
  t.dht_nodes = o.nodes;
  t.seeders = o.seeders;
  t.generator.count = o.torrents;
  t.generator.seed = o.seed;
  // Metadata is never fetched here: small info dicts generate fast.
  t.generator.average_info_size = 2'000;
  t.generator.min_info_size = 500;
  if (!o.mixed_versions) t.generator.versions = magnetar::testnet::VersionMix{1, 0, 0};
  t.sample_infohashes_interval = interval;
  t.seed = o.seed;
  t.start_timeout = std::chrono::seconds(300);
  return t;
}

void print_counters(const CrawlResult& r) {
  const auto& c = r.counters;
  std::printf(
      "#   queries out %lld (libtorrent typed: sample_infohashes %lld, get_peers %lld, "
      "find_node %lld, ping %lld, announce %lld; messages out %lld less requests in %lld = %lld)\n",
      static_cast<long long>(r.queries), static_cast<long long>(c.sample_infohashes_out),
      static_cast<long long>(c.get_peers_out), static_cast<long long>(c.find_node_out),
      static_cast<long long>(c.ping_out), static_cast<long long>(c.announce_peer_out),
      static_cast<long long>(c.messages_out), static_cast<long long>(c.queries_in),
      static_cast<long long>(c.messages_out - c.queries_in));
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"bench_crawl: DHT queries per infohash discovered through BEP 51"};
  app.add_option("--size", o.torrents, "torrents announced (default 2,000)");
  app.add_option("--nodes", o.nodes, "DHT-only nodes (default 100)");
  app.add_option("--seeders", o.seeders, "seeding sessions (DHT nodes too; default 10)");
  app.add_option("--seed", o.seed, "random seed");
  app.add_flag("--mixed-versions", o.mixed_versions, "v1, v2 and hybrid torrents (default v1)");
  app.add_option("--timeout", o.timeout, "seconds a crawl may take");
  bool skip_interval = false;
  app.add_flag("--skip-interval", skip_interval, "skip the 6-hour-interval sweep");
  CLI11_PARSE(app, argc, argv);
  o.interval_phase = !skip_interval;

  const double bound = -std::log(1 - kCoverageGoal) / (20 * kCoverageGoal);
  std::printf("# bench crawl: %zu DHT nodes + %zu seeders, %zu torrents\n", o.nodes, o.seeders,
              o.torrents);

  CrawlResult fresh;
  std::size_t total_nodes = 0;
  {
    Testnet net(testnet_options(o, 0));
    net.start();
    total_nodes = net.dht_endpoints().size();
    const auto& sr = net.start_report();
    std::printf("# testnet (interval 0) started in %.1f s, %zu announces landed\n",
                static_cast<double>(sr.total.count()) / 1000, sr.announces_received);
    dht::SamplerConfig sampler;
    sampler.min_expected_yield = 0;  // keep sampling until the goal
    sampler.request_timeout = std::chrono::milliseconds(2'000);
    sampler.max_in_flight = 8;
    fresh = crawl(net, o, sampler, [&](const CrawlResult& r, const dht::Sampler&) {
      return r.coverage >= kCoverageGoal;
    });
  }
  const double per_new = fresh.infohashes_found ? static_cast<double>(fresh.queries) /
                                                      static_cast<double>(fresh.infohashes_found)
                                                : 0;
  std::printf(
      "# fresh samples: coverage %.4f (%zu torrents, %zu infohashes) in %.2f s, "
      "%llu samples sent, %zu nodes known, mean num %.0f\n",
      fresh.coverage, fresh.torrents_found, fresh.infohashes_found, fresh.seconds,
      static_cast<unsigned long long>(fresh.samples_sent), fresh.nodes_known, fresh.mean_num);
  print_counters(fresh);
  std::printf("#   %.4f queries per new infohash, bound %.4f, ratio %.3f\n", per_new, bound,
              bound > 0 ? per_new / bound : 0);

  double interval_coverage = 0;
  double interval_bound = 0;
  if (o.interval_phase) {
    Testnet net(testnet_options(o, kDefaultInterval));
    net.start();
    dht::SamplerConfig sampler;
    sampler.request_timeout = std::chrono::milliseconds(2'000);
    sampler.max_in_flight = 8;
    // One sweep: every node is asked once (the interval forbids more); done
    // when every node of the testnet has replied, or nothing is left to ask.
    auto idle_since = Clock::now();
    CrawlResult sweep = crawl(net, o, sampler, [&](const CrawlResult&, const dht::Sampler& s) {
      if (s.in_flight() > 0) idle_since = Clock::now();
      return s.stats().replies >= total_nodes ||
             Clock::now() - idle_since > std::chrono::seconds(3);
    });
    interval_coverage = sweep.coverage;
    // r: copies per infohash = storage over all nodes / infohashes.
    const double stored = sweep.mean_num * static_cast<double>(sweep.nodes_replied);
    const double r = stored / static_cast<double>(o.torrents);
    interval_bound = sweep.mean_num > 20 ? 1 - std::pow(1 - 20 / sweep.mean_num, r) : 1;
    std::printf(
        "# 6-hour interval: one sweep of %zu nodes (%llu samples) covers %.4f; "
        "num %.0f per node, r %.1f copies, bound %.4f\n",
        sweep.nodes_replied, static_cast<unsigned long long>(sweep.samples_sent), interval_coverage,
        sweep.mean_num, r, interval_bound);
    print_counters(sweep);
  }

  std::printf(
      "bench crawl: nodes=%zu torrents=%zu coverage=%.4f queries_per_new_infohash=%.4f bound=%.4f "
      "ratio_to_bound=%.3f seconds_to_95=%.2f interval_coverage=%.4f interval_bound=%.4f\n",
      total_nodes, o.torrents, fresh.coverage, per_new, bound, bound > 0 ? per_new / bound : 0,
      fresh.reached ? fresh.seconds : -1.0, interval_coverage, interval_bound);
  return fresh.reached ? 0 : 1;
}
