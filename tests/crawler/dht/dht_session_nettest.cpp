// DhtSession against a small loopback testnet: sample_infohashes replies,
// query counters, saved state, the announce port and the bandwidth split.
#include <gtest/gtest.h>

#include "crawler/dht/dht_session.hpp"
#include "tests/crawler/dht/loopback_crawl.hpp"
#include "tests/testnet/testnet.hpp"

namespace magnetar::crawler::dht {
namespace {

using namespace std::chrono_literals;
using nettest::loopback_session;
using nettest::RecordingEvents;
using nettest::run_until;
using nettest::to_endpoint;

testnet::TestnetOptions small_net() {
  testnet::TestnetOptions o;
  o.dht_nodes = 6;
  o.seeders = 2;
  o.generator.count = 10;
  o.generator.average_info_size = 2'000;
  o.sample_infohashes_interval = 0;
  return o;
}

TEST(DhtSession, SamplesNodesAndCountsEveryQueryItSends) {
  testnet::Testnet net(small_net());
  net.start();
  boost::asio::io_context io;
  RecordingEvents events;
  DhtSessionConfig config = loopback_session();
  config.count_queries = true;
  DhtSession session(io, config, events);
  ASSERT_TRUE(run_until(io, 10s, [&] { return session.listening(); }));

  const auto nodes = net.dht_endpoints();
  for (const auto& n : nodes) session.sample_infohashes(to_endpoint(n), NodeId{});
  ASSERT_TRUE(run_until(io, 10s, [&] { return events.samples.size() == nodes.size(); }))
      << events.samples.size() << " of " << nodes.size() << " replies";
  std::set<InfoHashV1> sampled;
  for (const auto& r : events.samples) {
    EXPECT_EQ(r.interval, 0s);
    EXPECT_LE(r.samples.size(), kSamplesPerReply);
    EXPECT_GE(r.num, static_cast<std::int64_t>(r.samples.size()));
    EXPECT_NE(r.node_id, NodeId{});
    sampled.insert(r.samples.begin(), r.samples.end());
  }
  EXPECT_FALSE(sampled.empty());

  session.post_counters();
  ASSERT_TRUE(run_until(io, 10s, [&] { return events.counters.has_value(); }));
  EXPECT_EQ(events.counters->sample_infohashes_out, static_cast<std::int64_t>(nodes.size()));
  EXPECT_GE(events.counters->queries_out_exact, static_cast<std::int64_t>(nodes.size()));
  EXPECT_GE(events.counters->messages_out, static_cast<std::int64_t>(nodes.size()));
}

TEST(DhtSession, FindsTheSeedersOfAnInfohash) {
  testnet::Testnet net(small_net());
  net.start();
  boost::asio::io_context io;
  RecordingEvents events;
  DhtSessionConfig config = loopback_session();
  config.bootstrap_nodes.push_back(to_endpoint(net.dht_bootstrap_endpoints().front()));
  DhtSession session(io, config, events);
  ASSERT_TRUE(run_until(io, 10s, [&] { return session.listening(); }));
  const InfoHashV1 ih = net.torrents().front().info_hashes.id();
  const Endpoint seeder = to_endpoint(net.seeders_of(0).front());
  const auto found = [&] {
    for (const auto& [h, peers] : events.peers) {
      if (h == ih && std::find(peers.begin(), peers.end(), seeder) != peers.end()) return true;
    }
    return false;
  };
  // A lookup ends silently (pitfalls.md): ask again until the deadline.
  for (int attempt = 0; attempt < 10 && !found(); ++attempt) {
    session.get_peers(ih);
    run_until(io, 2s, found);
  }
  EXPECT_TRUE(found());
}

TEST(DhtSession, SavedStateBootstrapsFromTheSavedRoutingTable) {
  testnet::Testnet net(small_net());
  net.start();
  boost::asio::io_context io;
  RecordingEvents events;
  DhtSessionConfig config = loopback_session();
  for (const auto& n : net.dht_endpoints()) config.bootstrap_nodes.push_back(to_endpoint(n));
  std::vector<char> saved;
  NodeId id;
  {
    DhtSession session(io, config, events);
    ASSERT_TRUE(run_until(io, 20s, [&] { return session.routing_table_nodes().size() >= 3; }));
    id = session.node_id();
    saved = session.save_state();
  }
  ASSERT_NE(id, NodeId{});
  ASSERT_FALSE(saved.empty());
  DhtSessionConfig again = loopback_session();  // no bootstrap nodes of its own
  again.saved_state = saved;
  DhtSession session(io, again, events);
  ASSERT_TRUE(run_until(io, 10s, [&] { return session.listening(); }));
  EXPECT_TRUE(run_until(io, 10s, [&] { return session.routing_table_nodes().size() >= 3; }));
}

TEST(DhtSession, ACorruptSavedStateStartsAFreshNode) {
  boost::asio::io_context io;
  RecordingEvents events;
  DhtSessionConfig config = loopback_session();
  config.saved_state = {'d', '3', ':', 'x'};
  DhtSession session(io, config, events);
  EXPECT_TRUE(run_until(io, 10s, [&] { return session.listening(); }));
}

TEST(DhtSession, RefusesToAnnouncePortZero) {
  boost::asio::io_context io;
  RecordingEvents events;
  DhtSession session(io, loopback_session(), events);
  EXPECT_FALSE(session.announce(InfoHashV1{}, 0));
  EXPECT_TRUE(session.announce(InfoHashV1{}, 6881));
}

TEST(DhtSession, SplitsTheBandwidthCapBetweenDhtAndPeerWire) {
  boost::asio::io_context io;
  RecordingEvents events;
  {
    DhtSession unlimited(io, loopback_session(), events);
    EXPECT_EQ(unlimited.peer_wire_rate_limit(), 0);
  }
  DhtSessionConfig config = loopback_session();
  config.bandwidth_cap = 1'000'000;
  config.dht_share = 0.25;
  DhtSession capped(io, config, events);
  EXPECT_EQ(capped.peer_wire_rate_limit(), 750'000);
}

}  // namespace
}  // namespace magnetar::crawler::dht
