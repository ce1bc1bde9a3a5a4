// The whole crawl pipeline on loopback: a testnet of DHT nodes and seeders,
// the real hub (HubService on an in-process gRPC server over a real
// PostgreSQL, with the real store, classifier and ingest pipeline), and a
// CrawlNode bootstrapped from one testnet node, with no router.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <iostream>
#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/torrent_info.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "crawler/pipeline/crawl_node.hpp"
#include "indexer/classify/banned_filter.hpp"
#include "indexer/classify/classifier.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "rpc/hub/hub_service.hpp"
#include "rpc/hub/pg_node_report_store.hpp"
#include "schema/migrator.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"
#include "tests/testnet/loopback_settings.hpp"
#include "tests/testnet/testnet.hpp"

namespace magnetar::crawler::pipeline {
namespace {

using namespace std::chrono_literals;

constexpr char kToken[] = "cluster-token-for-crawl-tests";
// Past every testnet address (loopback_address(k)).
constexpr std::size_t kCrawlerAddress = 60'200;
// A peer of the retry test, on its own address.
constexpr std::size_t kLatePeerAddress = 60'201;

// Polls a condition until it holds or `limit` passes.
template <class Pred>
bool eventually(std::chrono::milliseconds limit, Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

dht::Endpoint to_endpoint(const lt::udp::endpoint& e) {
  dht::IpAddress ip;
  const auto b = e.address().to_v4().to_bytes();
  std::copy(b.begin(), b.end(), ip.bytes.begin());
  return {ip, e.port()};
}

// The id a crawler finds a torrent under: v1, or the truncated v2 (BEP 52).
InfoHashV1 id_of(const testnet::GeneratedTorrent& t) {
  return t.info_hashes.v1 ? *t.info_hashes.v1 : truncate(*t.info_hashes.v2);
}

class CrawlNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      pqxx::connection c(db_.dsn());
      schema::migrate(c);
    }
    indexer::store::PgTorrentStoreOptions store_options;
    store_options.dsn = db_.dsn();
    store_ = std::make_unique<indexer::store::PgTorrentStore>(store_options);
    auto rules = indexer::classify::Rules::defaults();
    ASSERT_TRUE(rules.ok());
    classifier_ = std::make_unique<indexer::classify::Classifier>(*rules);
    banned_ = std::make_unique<indexer::classify::BannedFilter>(indexer::classify::BannedRules{});
    pipeline_ = std::make_unique<indexer::ingest::IngestPipeline>(*store_, *classifier_, *banned_);
    reports_ = std::make_unique<rpc::PgNodeReportStore>(db_.dsn());
    service_ = std::make_unique<rpc::HubService>(*pipeline_, kToken, reports_.get());
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.SetMaxReceiveMessageSize(rpc::kMaxHubMessageBytes);
    builder.SetMaxSendMessageSize(rpc::kMaxHubMessageBytes);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port_, 0);
  }

  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
    server_.reset();
    service_.reset();
    pipeline_.reset();
    store_.reset();
  }

  static testnet::TestnetOptions testnet_options(std::size_t nodes, std::size_t torrents) {
    testnet::TestnetOptions o;
    o.dht_nodes = nodes;
    o.seeders = 4;
    o.generator.count = torrents;
    o.generator.average_info_size = 3'000;
    o.sample_infohashes_interval = 0;  // a fresh sample per query
    return o;
  }

  CrawlNodeOptions node_options(const testnet::Testnet& net, const std::string& token = kToken) {
    CrawlNodeOptions o;
    o.session.listen_interfaces = testnet::loopback_address(kCrawlerAddress) + ":0";
    o.session.routers.clear();
    o.session.loopback = true;
    o.session.local_discovery = false;
    o.session.port_mapping = false;
    o.dht.seeds.push_back(to_endpoint(net.dht_bootstrap_endpoints().front()));
    // The testnet's nodes hold few infohashes each: revisit them freely.
    o.dht.sampler.min_expected_yield = 0;
    o.dht.routing_table_poll = 500ms;
    // One seeder per torrent: a lookup can stop at the first peer.
    o.dht.lookups.enough_peers = 1;
    o.dht.lookups.deadline = 5s;
    o.state.data_dir = dir_.path();
    o.hub.address = "127.0.0.1:" + std::to_string(port_);
    o.hub.token = token;
    o.hub.max_reconnect_backoff = 200ms;
    o.shipper.node_id = "crawl-test-node";
    o.shipper.backoff_min = 20ms;
    o.shipper.backoff_max = 200ms;
    o.concurrency = 64;
    o.batch_delay = 100ms;
    return o;
  }

  ship::HubClientOptions client_options() const {
    ship::HubClientOptions o;
    o.address = "127.0.0.1:" + std::to_string(port_);
    o.token = kToken;
    return o;
  }

  std::size_t known_torrents(const testnet::Testnet& net) {
    std::vector<InfoHashV1> ids;
    for (const auto& t : net.torrents()) ids.push_back(id_of(t));
    ship::HubClient hub(client_options());
    std::size_t known = 0;
    for (const auto v : hub.triage(ids)) known += v == ship::Verdict::kKnown ? 1 : 0;
    return known;
  }

  long indexed_rows() {
    pqxx::connection c(db_.dsn());
    pqxx::work w(c);
    return w.exec1("SELECT count(*) FROM torrents")[0].as<long>();
  }

  testing::TestDatabase db_;
  testing::TempDir dir_{"magnetar-crawl"};
  std::unique_ptr<indexer::store::PgTorrentStore> store_;
  std::unique_ptr<indexer::classify::Classifier> classifier_;
  std::unique_ptr<indexer::classify::BannedFilter> banned_;
  std::unique_ptr<indexer::ingest::IngestPipeline> pipeline_;
  std::unique_ptr<rpc::PgNodeReportStore> reports_;
  std::unique_ptr<rpc::HubService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(CrawlNodeTest, CrawlsTheTestnetIntoTheIndexAndFetchesNothingAgainAfterARestart) {
  testnet::Testnet net(testnet_options(30, 200));
  net.start();
  const std::size_t total = net.torrents().size();
  const std::size_t goal = total * 95 / 100;

  const auto started = std::chrono::steady_clock::now();
  std::size_t known = 0;
  CrawlCounters first;
  {
    CrawlNode node(node_options(net));
    node.start();
    // Triage is a cheap indexed query: poll the index itself.
    const bool indexed = eventually(45s, [&] {
      if (node.counters().acked < goal) return false;
      known = known_torrents(net);
      return known >= goal;
    });
    const bool drained = eventually(20s, [&] { return node.state().outbox().size() == 0; });
    first = node.counters();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "crawl: " << known << " of " << total << " indexed in " << secs << " s; "
              << progress_line(CrawlCounters{}, first, secs) << "; discovered " << first.discovered
              << ", repeats " << first.repeats << ", skipped as seen " << first.skipped_seen
              << ", new " << first.new_infohashes << "\n";
    EXPECT_TRUE(indexed) << known << " of " << total << " torrents indexed";
    EXPECT_TRUE(drained) << node.state().outbox().size() << " items left in the outbox";
    node.stop();
  }
  EXPECT_GE(first.fetch_ok, goal);
  EXPECT_EQ(first.outbox_depth, 0u);
  {
    // The report at stop carries the run's final counters to the hub.
    pqxx::connection c(db_.dsn());
    pqxx::work w(c);
    const auto row = w.exec1(
        "SELECT node_id, (counters->>'fetch_ok')::bigint, (counters->>'samples')::bigint "
        "FROM crawler_nodes");
    EXPECT_EQ(row[0].as<std::string>(), "crawl-test-node");
    EXPECT_GE(row[1].as<std::uint64_t>(), first.fetch_ok);
    EXPECT_GE(row[2].as<std::uint64_t>(), first.samples_sent);
  }
  EXPECT_GE(first.acked, first.fetch_ok);
  EXPECT_GE(indexed_rows(), static_cast<long>(goal));

  // A hybrid torrent fetched under either id has both marked fetched
  // (BEP 52: nodes sample both), so neither is fetched again.
  {
    CrawlNodeOptions o = node_options(net);
    state::NodeState seen_state(o.state);
    std::size_t hybrids = 0;
    for (const auto& t : net.torrents()) {
      if (!t.info_hashes.v1 || !t.info_hashes.v2) continue;
      const auto v1 = seen_state.seen().get(*t.info_hashes.v1);
      const auto v2 = seen_state.seen().get(truncate(*t.info_hashes.v2));
      const auto ok = [](const std::optional<state::SeenRecord>& r) {
        return r && r->last_outcome == state::FetchOutcome::kOk;
      };
      if (!ok(v1) && !ok(v2)) continue;
      ++hybrids;
      EXPECT_TRUE(ok(v1) && ok(v2)) << t.name;
    }
    EXPECT_GT(hybrids, 0u);
  }

  // The same node again, on the same data directory: what it fetched before
  // is in its seen set, so it is neither triaged at the hub nor fetched
  // again. Only ids the first run had not finished (in flight at its stop,
  // or never sampled) may be new: a handful at most.
  CrawlNode again(node_options(net));
  again.start();
  EXPECT_TRUE(eventually(30s, [&] { return again.counters().skipped_seen >= goal; }))
      << again.counters().skipped_seen << " skipped as seen";
  const auto c = again.counters();
  again.stop();
  std::cout << "restart: skipped as seen " << c.skipped_seen << ", new " << c.new_infohashes
            << ", fetched " << c.fetch_ok << "\n";
  EXPECT_LE(c.new_infohashes, total / 100);
  EXPECT_LE(c.fetch_ok, total / 100);
}

TEST_F(CrawlNodeTest, AWrongTokenIsRefusedAndWhatWasFetchedWaitsInTheOutbox) {
  testnet::Testnet net(testnet_options(10, 20));
  net.start();
  CrawlNode node(node_options(net, "not-the-cluster-token"));
  node.start();
  EXPECT_TRUE(eventually(30s, [&] {
    const auto c = node.counters();
    return c.ship_auth_failures >= 1 && c.triage_failures >= 1 && c.fetch_ok >= 1;
  }));
  node.stop();
  const auto c = node.counters();  // after stop: every fetched dict committed
  EXPECT_EQ(c.acked, 0u);
  EXPECT_GE(c.fetch_ok, 1u);
  EXPECT_EQ(node.state().outbox().size(), c.fetch_ok);
  EXPECT_EQ(indexed_rows(), 0);
}

TEST_F(CrawlNodeTest, AFullOutboxPausesFetchingAndStopStillReturns) {
  testnet::Testnet net(testnet_options(10, 20));
  net.start();
  // Nothing drains (the hub refuses the token): five items fill the outbox.
  auto options = node_options(net, "not-the-cluster-token");
  options.state.outbox.max_items = 5;
  CrawlNode node(options);
  node.start();
  ASSERT_TRUE(eventually(30s, [&] { return node.counters().outbox_full; }));
  const auto c = node.counters();
  EXPECT_EQ(c.fetch_ok, 5u);
  EXPECT_EQ(node.state().outbox().size(), 5u);
  // The fetch that found the outbox full holds its slot: nothing is started
  // beyond the slots already taken.
  EXPECT_LE(c.fetches_in_flight, node.bounds().fetches_in_flight);
  const auto stop_started = std::chrono::steady_clock::now();
  node.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 10s);
  EXPECT_EQ(node.state().outbox().size(), 5u);
  EXPECT_EQ(node.counters().fetch_ok, 5u);
}

TEST_F(CrawlNodeTest, AFailedTorrentIsRetriedByTheNodeAndIndexedOnceItsSeederAppears) {
  testnet::Testnet net(testnet_options(10, 5));
  net.start();
  // A torrent the testnet does not have. A peer announces it into the DHT
  // before it has it: the crawler finds the infohash and the peer, whose
  // port answers but not for this torrent, so the first fetch fails.
  const auto late = testnet::generate_torrent(4242, testnet::TorrentVersion::kV1, 3'000, 65'536);
  const auto late_id = *late.info_hashes.v1;
  constexpr std::uint16_t kPeerPort = 6881;  // its own address: the port is free
  lt::session peer(testnet::disk_less_session_params(
      testnet::loopback_settings(testnet::loopback_address(kLatePeerAddress), kPeerPort)));
  for (const auto& e : net.dht_bootstrap_endpoints()) {
    peer.add_dht_node({e.address().to_string(), e.port()});
  }
  lt::sha1_hash lt_id;
  std::copy_n(late_id.view().data(), 20, lt_id.data());
  // Announce until a node has taken it (the peer's DHT needs a moment to join).
  ASSERT_TRUE(eventually(30s, [&] {
    const auto before = net.announces_received();
    peer.dht_announce(lt_id, kPeerPort);
    return eventually(2s, [&] { return net.announces_received() > before; });
  }));

  auto options = node_options(net);
  options.state.retry.first_delay = std::chrono::seconds(1);
  CrawlNode node(options);
  node.start();
  ASSERT_TRUE(eventually(45s, [&] {
    const auto r = node.state().seen().get(late_id);
    return r && r->attempts >= 1 && r->last_outcome != state::FetchOutcome::kOk;
  })) << "the first fetch did not fail";
  const auto failed = *node.state().seen().get(late_id);
  EXPECT_EQ(node.counters().retried, 0u);

  // The seeder appears: the peer now has the torrent. Nothing announces it
  // again to the crawler (its sampler and dedupe have seen the id): the node
  // takes the failure from its seen set when the retry time comes.
  lt::add_torrent_params atp;
  lt::error_code ec;
  atp.ti = std::make_shared<lt::torrent_info>(
      lt::span<const char>(late.torrent_file.data(),
                           static_cast<std::ptrdiff_t>(late.torrent_file.size())),
      ec, lt::from_span);
  ASSERT_FALSE(ec) << ec.message();
  atp.save_path = ".";  // disk-less storage
  atp.flags = lt::torrent_flags::seed_mode;
  peer.add_torrent(std::move(atp));

  ship::HubClient hub(client_options());
  const std::vector<InfoHashV1> ids = {late_id};
  EXPECT_TRUE(eventually(45s, [&] { return hub.triage(ids).front() == ship::Verdict::kKnown; }))
      << "never indexed; outcome of its last attempt: "
      << state::to_string(node.state().seen().get(late_id)->last_outcome);
  const auto c = node.counters();
  node.stop();
  EXPECT_GE(c.retried, 1u);
  const auto done = node.state().seen().get(late_id);
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->last_outcome, state::FetchOutcome::kOk);
  EXPECT_GT(done->attempts, failed.attempts);
  std::cout << "first attempt: " << state::to_string(failed.last_outcome) << "; indexed after "
            << done->attempts << " attempts, " << c.retried << " retries taken\n";
}

}  // namespace
}  // namespace magnetar::crawler::pipeline
