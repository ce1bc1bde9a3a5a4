// The crawler's DHT side on a loopback testnet: discovery through BEP 51
// alone, harvesting of announces and lookups, get_peers for seeders.
#include <gtest/gtest.h>

#include <libtorrent/alert_types.hpp>
#include <libtorrent/session.hpp>
#include <map>
#include <random>
#include <set>

#include "crawler/dht/dht_crawler.hpp"
#include "tests/crawler/dht/loopback_crawl.hpp"
#include "tests/testnet/testnet.hpp"

namespace magnetar::crawler::dht {
namespace {

using namespace std::chrono_literals;
using nettest::loopback_session;
using nettest::run_until;
using nettest::to_endpoint;

InfoHashV1 random_ih(std::mt19937_64& rng) {
  std::array<std::uint8_t, 20> b{};
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return InfoHashV1(b);
}

TEST(DhtCrawler, DiscoversNearlyEveryAnnouncedTorrentThroughSamplesAlone) {
  testnet::TestnetOptions o;
  o.dht_nodes = 100;
  o.seeders = 5;
  o.generator.count = 500;
  o.generator.average_info_size = 2'000;
  o.sample_infohashes_interval = 0;  // a fresh sample per query
  testnet::Testnet net(o);
  net.start();
  std::map<InfoHashV1, std::size_t> torrent_of;
  for (std::size_t i = 0; i < net.torrents().size(); ++i) {
    const auto& h = net.torrents()[i].info_hashes;
    if (h.v1) torrent_of.emplace(*h.v1, i);
    if (h.v2) torrent_of.emplace(truncate(*h.v2), i);
  }

  boost::asio::io_context io;
  DhtCrawlerConfig config;
  config.harvester.announces = false;
  config.harvester.lookups = false;
  config.sampler.min_expected_yield = 0;
  config.seeds.push_back(to_endpoint(net.dht_bootstrap_endpoints().front()));
  std::set<std::size_t> found;
  std::size_t foreign = 0;
  std::size_t not_sampled = 0;
  DhtCrawler crawler(io, loopback_session(), config, [&](const Discovery& d) {
    if (d.source != Source::kSample) ++not_sampled;
    const auto it = torrent_of.find(d.info_hash);
    if (it == torrent_of.end()) {
      ++foreign;
    } else {
      found.insert(it->second);
    }
  });
  crawler.start();
  const std::size_t goal = net.torrents().size() * 95 / 100;
  EXPECT_TRUE(run_until(io, 30s, [&] { return found.size() >= goal; }))
      << found.size() << " of " << net.torrents().size() << " torrents after "
      << crawler.sampler().stats().sent << " samples";
  EXPECT_EQ(foreign, 0u);
  EXPECT_EQ(not_sampled, 0u);
  // The frontier came from replies: every node, from one bootstrap node.
  EXPECT_GE(crawler.sampler().size(), net.dht_endpoints().size() * 9 / 10);
}

TEST(DhtCrawler, AsksEachNodeOnceWithinItsIntervalAcrossARestart) {
  testnet::TestnetOptions o;
  o.dht_nodes = 20;
  o.seeders = 2;
  o.generator.count = 100;
  o.generator.average_info_size = 2'000;
  o.sample_infohashes_interval = 21'600;  // libtorrent's default: 6 hours
  testnet::Testnet net(o);
  net.start();
  boost::asio::io_context io;
  DhtCrawlerConfig config;
  config.seeds.push_back(to_endpoint(net.dht_bootstrap_endpoints().front()));
  DhtCrawler crawler(io, loopback_session(), config, [](const Discovery&) {});
  crawler.start();
  const std::size_t nodes = net.dht_endpoints().size();
  ASSERT_TRUE(run_until(io, 20s, [&] { return crawler.sampler().stats().replies >= nodes; }))
      << crawler.sampler().stats().replies << " of " << nodes << " nodes replied";
  // A while longer: nobody is asked again, and nobody twice.
  run_until(io, 1'500ms, [] { return false; });
  EXPECT_EQ(crawler.sampler().stats().sent, nodes);
  EXPECT_EQ(crawler.sampler().stats().replies, nodes);
  EXPECT_EQ(crawler.sampler().in_flight(), 0u);

  // A restart from the snapshot (as crawler/state stores it) knows every
  // node and still waits out their intervals.
  const auto saved = decode_snapshot(encode_snapshot(crawler.snapshot()));
  ASSERT_TRUE(saved);
  crawler.stop();
  DhtSessionConfig session = loopback_session();
  session.saved_state = saved->session_state;
  DhtCrawlerConfig resumed_config;
  resumed_config.restore = saved->schedule;
  DhtCrawler resumed(io, session, resumed_config, [](const Discovery&) {});
  resumed.start();
  EXPECT_EQ(resumed.sampler().size(), nodes);
  run_until(io, 1'500ms, [] { return false; });
  EXPECT_EQ(resumed.sampler().stats().sent, 0u);
}

TEST(DhtCrawler, HarvestsEveryAnnounceAndLookupThatReachesIt) {
  // Seven DHT nodes in all (K = 8): every node is among the closest to any
  // infohash, so every announce and lookup of the client reaches us.
  testnet::TestnetOptions o;
  o.dht_nodes = 5;
  o.seeders = 0;
  o.generator.count = 0;
  o.announce = false;
  o.join_degree = 4;
  testnet::Testnet net(o);
  net.start();

  boost::asio::io_context io;
  DhtCrawlerConfig config;
  config.sample = false;  // harvest only
  for (const auto& n : net.dht_endpoints()) config.seeds.push_back(to_endpoint(n));
  config.routing_table_poll = 200ms;
  std::map<InfoHashV1, Discovery> announced;
  std::set<InfoHashV1> looked_up;
  DhtCrawler crawler(io, loopback_session(), config, [&](const Discovery& d) {
    if (d.source == Source::kAnnounce) announced.emplace(d.info_hash, d);
    if (d.source == Source::kGetPeers) looked_up.insert(d.info_hash);
  });
  crawler.start();
  ASSERT_TRUE(run_until(io, 20s, [&] { return crawler.session().listening(); }));

  // A stock libtorrent client announcing and looking up on the same DHT.
  const std::string client_ip = testnet::loopback_address(nettest::kClientAddress);
  lt::session client(testnet::client_session_params(client_ip));
  for (const auto& n : net.dht_endpoints())
    client.add_dht_node({n.address().to_string(), n.port()});
  client.add_dht_node(
      {testnet::loopback_address(nettest::kCrawlerAddress), crawler.session().listen_port()});
  // Wait until the client's routing table holds every node, us included.
  std::size_t client_table = 0;
  const auto poll_client = [&] {
    client.post_dht_stats();
    std::vector<lt::alert*> alerts;
    client.pop_alerts(&alerts);
    for (auto* a : alerts) {
      if (auto* s = lt::alert_cast<lt::dht_stats_alert>(a)) {
        client_table = 0;
        for (const auto& b : s->routing_table)
          client_table += static_cast<std::size_t>(b.num_nodes);
      }
    }
    return client_table >= net.dht_endpoints().size() + 1;
  };
  ASSERT_TRUE(run_until(io, 30s, poll_client)) << client_table << " nodes in the client's table";

  std::mt19937_64 rng(7);
  std::map<InfoHashV1, std::uint16_t> announces;
  std::set<InfoHashV1> lookups;
  for (int i = 0; i < 30; ++i)
    announces.emplace(random_ih(rng), static_cast<std::uint16_t>(7000 + i));
  for (int i = 0; i < 20; ++i) lookups.insert(random_ih(rng));
  for (const auto& [ih, port] : announces)
    client.dht_announce(lt::sha1_hash(ih.view().data()), port);
  for (const auto& ih : lookups) client.dht_get_peers(lt::sha1_hash(ih.view().data()));

  const auto all_seen = [&] {
    for (const auto& [ih, _] : announces) {
      if (!announced.contains(ih)) return false;
    }
    for (const auto& ih : lookups) {
      if (!looked_up.contains(ih)) return false;
    }
    return true;
  };
  EXPECT_TRUE(run_until(io, 30s, all_seen))
      << announced.size() << " of " << announces.size() << " announces, " << looked_up.size()
      << " lookups seen";
  for (const auto& [ih, port] : announces) {
    const auto it = announced.find(ih);
    if (it == announced.end()) continue;
    ASSERT_TRUE(it->second.peer.has_value());
    EXPECT_EQ(it->second.peer->ip.to_string(), client_ip);
    EXPECT_EQ(it->second.peer->port, port);
  }
  EXPECT_EQ(crawler.sampler().stats().sent, 0u) << "harvest only";
}

TEST(DhtCrawler, FindsTheSeedersOfEveryTorrent) {
  testnet::TestnetOptions o;
  o.dht_nodes = 20;
  o.seeders = 4;
  o.copies = 2;
  o.generator.count = 40;
  o.generator.average_info_size = 2'000;
  testnet::Testnet net(o);
  net.start();

  boost::asio::io_context io;
  DhtCrawlerConfig config;
  config.sample = false;
  config.seeds.push_back(to_endpoint(net.dht_bootstrap_endpoints().front()));
  config.routing_table_poll = 200ms;
  config.lookups.deadline = 3s;
  config.lookups.enough_peers = o.copies;  // every seeder of a torrent
  DhtCrawler crawler(io, loopback_session(), config, [](const Discovery&) {});
  std::map<InfoHashV1, std::set<Endpoint>> peers;
  std::size_t results = 0;
  crawler.set_lookup_handler([&](const LookupResult& r) {
    ++results;
    peers[r.info_hash].insert(r.peers.begin(), r.peers.end());
  });
  crawler.start();
  ASSERT_TRUE(run_until(io, 20s, [&] { return crawler.routing_table().nodes >= 5; }))
      << crawler.routing_table().nodes << " nodes in our table";

  const auto missing = [&] {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < net.torrents().size(); ++i) {
      const auto& got = peers[net.torrents()[i].info_hashes.id()];
      for (const auto& s : net.seeders_of(i)) {
        if (!got.contains(to_endpoint(s))) {
          out.push_back(i);
          break;
        }
      }
    }
    return out;
  };
  // A lookup that missed a seeder is asked again (at most 3 rounds).
  for (int round = 0; round < 3 && !missing().empty(); ++round) {
    const auto todo = missing();
    const std::size_t expect = results + todo.size();
    for (const auto i : todo) ASSERT_TRUE(crawler.find_peers(net.torrents()[i].info_hashes.id()));
    ASSERT_TRUE(run_until(io, 30s, [&] { return results >= expect; }));
  }
  EXPECT_TRUE(missing().empty()) << missing().size() << " torrents lack a seeder";
  EXPECT_LE(crawler.lookups().in_flight(), config.lookups.max_in_flight);
}

TEST(DhtCrawler, TheBandwidthCapBoundsTheSampleRate) {
  boost::asio::io_context io;
  DhtSessionConfig session = loopback_session();
  session.bandwidth_cap = 800'000;
  session.dht_share = 0.25;
  DhtCrawler capped(io, session, DhtCrawlerConfig{}, [](const Discovery&) {});
  EXPECT_DOUBLE_EQ(capped.sampler().config().max_requests_per_second,
                   800'000 * 0.25 / kBytesPerSampleExchange);
  EXPECT_EQ(capped.session().peer_wire_rate_limit(), 600'000);
  DhtCrawler unlimited(io, loopback_session(), DhtCrawlerConfig{}, [](const Discovery&) {});
  EXPECT_EQ(unlimited.sampler().config().max_requests_per_second, 0);
}

}  // namespace
}  // namespace magnetar::crawler::dht
