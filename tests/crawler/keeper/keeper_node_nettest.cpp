// KeeperNode on the loopback testnet, driven by an in-test Keep server
// (fake_keeper_hub.hpp) until the hub side exists: pinned magnets resolve
// from the keeper alone after every seeder left, for a stock libtorrent
// client that knows only the magnet and one DHT node (plaintext and with
// encryption forced); a pin resolved from the swarm first; a client that
// knows only the tracker (a real opentracker); unassigning stops the
// announces. Bounded waits with generous deadlines, no timing assertions.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <filesystem>
#include <libtorrent/session.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "crawler/dht/dht_session.hpp"
#include "crawler/keeper/keeper_node.hpp"
#include "tests/crawler/keeper/fake_keeper_hub.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/testnet/loopback_settings.hpp"
#include "tests/testnet/seeder_session.hpp"
#include "tests/testnet/stock_client.hpp"
#include "tests/testnet/testnet.hpp"
#include "tests/testnet/torrent_generator.hpp"

extern char** environ;

namespace magnetar::crawler::keeper {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testnet::GeneratedTorrent;

// Our sessions sit past the testnet's addresses.
constexpr std::size_t kKeeperAddress = 60'100;
constexpr std::size_t kClientAddress = 60'101;
constexpr std::size_t kSeederAddress = 60'102;
constexpr std::size_t kTrackerAddress = 60'103;
// A client adds its magnets once its routing table holds this many nodes.
constexpr int kJoinedNodes = 4;

const std::vector<GeneratedTorrent>& torrents() {
  static const auto* all = [] {
    testnet::GeneratorOptions o;
    o.seed = 88;
    o.count = 6;  // v1, v2, hybrid in rotation
    return new std::vector<GeneratedTorrent>(testnet::generate_torrents(o));
  }();
  return *all;
}

dht::Endpoint to_endpoint(const lt::udp::endpoint& e) {
  dht::IpAddress ip;
  const auto b = e.address().to_v4().to_bytes();
  std::copy(b.begin(), b.end(), ip.bytes.begin());
  return {ip, e.port()};
}

bool run_until(asio::io_context& io, std::chrono::milliseconds limit,
               const std::function<bool()>& done) {
  io.restart();
  auto guard = asio::make_work_guard(io);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(10));
  }
  return done();
}

// Forwards the keeper's get_peers replies; the rest is not needed here.
struct ForwardingEvents final : dht::DhtEvents {
  KeeperNode* keeper = nullptr;
  void on_sample_reply(const dht::SampleReply&) override {}
  void on_get_peers_reply(const InfoHashV1& ih, const std::vector<dht::Endpoint>& p) override {
    if (keeper) keeper->on_get_peers_reply(ih, p);
  }
  void on_incoming_announce(const InfoHashV1&, const dht::Endpoint&) override {}
  void on_incoming_get_peers(const InfoHashV1&) override {}
  void on_routing_table(const dht::RoutingTableStats&) override {}
  void on_counters(const dht::DhtCounters&) override {}
};

v1::PinAssignment assignment(const GeneratedTorrent& t, bool with_dict) {
  v1::PinAssignment a;
  const InfoHashV1 id = t.info_hashes.id();
  a.set_id(std::string(id.view()));
  if (t.info_hashes.v2) a.set_v2(std::string(t.info_hashes.v2->view()));
  if (with_dict) {
    a.set_info_dict(t.info_dict);
  } else {
    a.set_resolving(true);
  }
  a.set_name(t.name);
  return a;
}

// A stock client that knows only the magnets and one DHT node of the
// testnet (or, without one, nothing but the magnets' trackers).
testnet::StockClient stock_client(const std::optional<lt::udp::endpoint>& node,
                                  bool forced_encryption) {
  return testnet::StockClient({.address = testnet::loopback_address(kClientAddress),
                               .dht_node = node,
                               .forced_encryption = forced_encryption});
}

class KeeperNodeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testnet::TestnetOptions o;
    o.dht_nodes = 8;
    o.seeders = 0;
    o.generator.count = 0;
    o.announce = false;
    o.first_address = 60'000;
    o.join_degree = 4;
    net_ = new testnet::Testnet(o);
    net_->start();
  }
  static void TearDownTestSuite() {
    delete net_;
    net_ = nullptr;
  }

  void start_keeper(KeeperNodeOptions o = {}) {
    dht::DhtSessionConfig c;
    c.listen_interfaces = testnet::loopback_address(kKeeperAddress) + ":0";
    c.routers.clear();
    c.loopback = true;
    for (const auto& n : net_->dht_bootstrap_endpoints())
      c.bootstrap_nodes.push_back(to_endpoint(n));
    session_.emplace(io_, c, events_);
    keeper_dht_.emplace(*session_);
    state::NodeStateOptions so;
    so.data_dir = dir_.path();
    state_.emplace(so);
    o.node_id = "keeper-test";
    o.hub_address = hub_.address();
    o.token = "cluster-token";
    o.listen_address = testnet::loopback_address(kKeeperAddress);
    o.peer_port = 0;
    o.heartbeat_interval = 500ms;
    o.reconnect_min = 100ms;
    o.reconnect_max = 1s;
    o.lookup_deadline = 3s;
    o.resolve_retry_min = 1s;
    keeper_.emplace(io_, o, *state_, *keeper_dht_);
    events_.keeper = &*keeper_;
    keeper_->start();
  }

  void TearDown() override {
    if (keeper_) keeper_->stop();
    events_.keeper = nullptr;
    keeper_.reset();
    keeper_dht_.reset();
    session_.reset();
    state_.reset();
  }

  // Runs until the keeper holds `n` cached pins.
  bool wait_cached(std::size_t n, std::chrono::milliseconds limit = 60s) {
    return run_until(io_, limit, [&] { return keeper_->stats().cached >= n; });
  }

  // Runs until `client` got every torrent's metadata; checks the bytes.
  void expect_resolves_through_tracker(const GeneratedTorrent& t, const std::string& url);

  // Assigns `ts` with their info dicts in one full assignment, then waits
  // until all are cached and announced once each.
  void keep_announced(const std::vector<const GeneratedTorrent*>& ts) {
    v1::KeeperDown down;
    down.set_full(true);
    for (const auto* t : ts) *down.add_assign() = assignment(*t, true);
    hub_.send(down);
    ASSERT_TRUE(wait_cached(ts.size()));
    ASSERT_TRUE(run_until(io_, 30s, [&] { return keeper_->stats().dht_announces >= ts.size(); }));
  }

  // Runs until the client's routing table holds a few nodes (bounded).
  bool joined(testnet::StockClient& client) {
    return run_until(io_, 30s, [&] { return client.dht_nodes() >= kJoinedNodes; });
  }

  void expect_resolves(testnet::StockClient& client,
                       const std::vector<const GeneratedTorrent*>& ts) {
    const bool done = run_until(io_, 90s, [&] { return client.poll().size() >= ts.size(); });
    EXPECT_TRUE(done) << client.poll().size() << " of " << ts.size() << " magnets resolved";
    for (const auto& [id, info] : client.poll()) {
      bool known = false;
      for (const auto* t : ts) known = known || info == t->info_dict;
      EXPECT_TRUE(known) << "metadata that is none of the pinned info dicts";
    }
  }

  static testnet::Testnet* net_;
  magnetar::testing::TempDir dir_{"magnetar-keeper-test"};
  asio::io_context io_;
  testing::FakeKeeperHub hub_;
  ForwardingEvents events_;
  std::optional<dht::DhtSession> session_;
  std::optional<DhtSessionKeeperDht> keeper_dht_;
  std::optional<state::NodeState> state_;
  std::optional<KeeperNode> keeper_;
};

testnet::Testnet* KeeperNodeTest::net_ = nullptr;

TEST_F(KeeperNodeTest, HelloThenFullAssignmentIsCachedAnnouncedAndReportedInHeartbeats) {
  start_keeper();
  v1::KeeperDown down;
  down.set_full(true);
  *down.add_assign() = assignment(torrents()[0], true);
  hub_.send(down);
  ASSERT_TRUE(wait_cached(1, 30s));
  const InfoHashV1 id = torrents()[0].info_hashes.id();
  ASSERT_TRUE(run_until(io_, 30s, [&] {
    const auto p = keeper_->pin(id);
    return p && p->dht_announces > 0;
  }));
  ASSERT_TRUE(run_until(io_, 30s, [&] {
    for (const auto& hb : hub_.heartbeats()) {
      for (const auto& c : hb.pins()) {
        if (c.id() == std::string(id.view()) && c.has_last_dht_announce()) return true;
      }
    }
    return false;
  }));
  const auto hellos = hub_.hellos();
  ASSERT_FALSE(hellos.empty());
  EXPECT_EQ(hellos[0].node_id(), "keeper-test");
  EXPECT_EQ(hellos[0].peer_port(), keeper_->peer_port());
  EXPECT_EQ(hub_.authorizations().at(0), "Bearer cluster-token");
  EXPECT_EQ(state_->pins().get(id), torrents()[0].info_dict);
}

TEST_F(KeeperNodeTest, StockClientResolvesPinsFromUsAloneAfterTheSeederLeftPlaintext) {
  // Seeded and announced first; then the seeder goes, and only we remain.
  const auto& t = torrents()[1];
  {
    auto seeder = testnet::start_seeder(testnet::loopback_address(kSeederAddress), {t},
                                        net_->dht_bootstrap_endpoints());
    const std::size_t before = net_->announces_received();
    ASSERT_TRUE(run_until(io_, 30s, [&] { return net_->announces_received() > before; }));
  }
  start_keeper();
  ASSERT_NO_FATAL_FAILURE(keep_announced({&t, &torrents()[2]}));
  auto client = stock_client(net_->dht_bootstrap_endpoints().at(0), /*forced_encryption=*/false);
  ASSERT_TRUE(joined(client));
  client.add(t.magnet());
  client.add(torrents()[2].magnet());
  expect_resolves(client, {&t, &torrents()[2]});
  ASSERT_TRUE(run_until(io_, 10s, [&] {
    const auto p = keeper_->pin(t.info_hashes.id());
    return p && p->metadata_served >= 1 && p->incoming_connections >= 1;
  }));
}

TEST_F(KeeperNodeTest, StockClientResolvesPinsFromUsAloneWithEncryptionForced) {
  start_keeper();
  ASSERT_NO_FATAL_FAILURE(keep_announced({&torrents()[3], &torrents()[4], &torrents()[5]}));
  auto client = stock_client(net_->dht_bootstrap_endpoints().at(1), /*forced_encryption=*/true);
  ASSERT_TRUE(joined(client));
  for (int i = 3; i < 6; ++i) client.add(torrents()[i].magnet());
  expect_resolves(client, {&torrents()[3], &torrents()[4], &torrents()[5]});
}

TEST_F(KeeperNodeTest, ResolvingPinIsFetchedFromTheSwarmThenServedAfterTheSeederLeft) {
  const auto& t = torrents()[0];
  auto seeder = testnet::start_seeder(testnet::loopback_address(kSeederAddress), {t},
                                      net_->dht_bootstrap_endpoints());
  const std::size_t before = net_->announces_received();
  ASSERT_TRUE(run_until(io_, 30s, [&] { return net_->announces_received() > before; }));
  start_keeper();
  v1::KeeperDown down;
  down.set_full(true);
  *down.add_assign() = assignment(t, /*with_dict=*/false);
  hub_.send(down);
  ASSERT_TRUE(wait_cached(1, 90s))
      << "resolve error: " << keeper_->pin(t.info_hashes.id())->resolve_error;
  EXPECT_EQ(keeper_->stats().resolved, 1u);
  EXPECT_EQ(state_->pins().get(t.info_hashes.id()), t.info_dict);
  // Shipped to the hub through the outbox, source PIN.
  const auto items = state_->outbox().peek(0, 10);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].info_dict, t.info_dict);
  EXPECT_EQ(items[0].source, state::Source::kPin);
  seeder.reset();
  ASSERT_TRUE(run_until(io_, 30s, [&] { return keeper_->stats().dht_announces >= 1; }));
  auto client = stock_client(net_->dht_bootstrap_endpoints().at(2), /*forced_encryption=*/false);
  ASSERT_TRUE(joined(client));
  client.add(t.magnet());
  expect_resolves(client, {&t});
}

TEST_F(KeeperNodeTest, PinNobodyHasReportsAResolveErrorAndRetries) {
  start_keeper();
  testnet::GeneratorOptions g;
  g.seed = 4242;
  g.count = 1;
  const GeneratedTorrent unknown = testnet::generate_torrents(g).at(0);
  v1::KeeperDown down;
  down.set_full(true);
  *down.add_assign() = assignment(unknown, false);
  hub_.send(down);
  ASSERT_TRUE(run_until(io_, 60s, [&] { return keeper_->stats().resolve_failures >= 2; }));
  const auto p = keeper_->pin(unknown.info_hashes.id());
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->resolving);
  EXPECT_FALSE(p->resolve_error.empty());
  ASSERT_TRUE(run_until(io_, 30s, [&] {
    for (const auto& hb : hub_.heartbeats()) {
      for (const auto& c : hb.pins()) {
        if (!c.resolve_error().empty()) return true;
      }
    }
    return false;
  }));
}

TEST_F(KeeperNodeTest, UnassignStopsTheAnnouncesOfThatPinOnly) {
  KeeperNodeOptions o;
  o.dht_announce.interval = 2s;  // re-announce often, so a missing stop shows
  start_keeper(o);
  const InfoHashV1 kept = torrents()[0].info_hashes.id();
  const InfoHashV1 gone = torrents()[1].info_hashes.id();
  v1::KeeperDown down;
  down.set_full(true);
  *down.add_assign() = assignment(torrents()[0], true);
  *down.add_assign() = assignment(torrents()[1], true);
  hub_.send(down);
  ASSERT_TRUE(run_until(io_, 30s, [&] {
    const auto a = keeper_->pin(kept);
    const auto b = keeper_->pin(gone);
    return a && b && a->dht_announces >= 2 && b->dht_announces >= 2;
  }));
  v1::KeeperDown change;
  change.add_unassign(std::string(gone.view()));
  hub_.send(change);
  ASSERT_TRUE(run_until(io_, 30s, [&] { return !keeper_->pin(gone); }));
  EXPECT_FALSE(state_->pins().get(gone));
  const auto kept_before = keeper_->pin(kept)->dht_announces;
  const auto total_before = keeper_->stats().dht_announces;
  // Two more intervals: the kept pin is announced again, the other never.
  ASSERT_TRUE(
      run_until(io_, 30s, [&] { return keeper_->pin(kept)->dht_announces >= kept_before + 2; }));
  EXPECT_EQ(keeper_->stats().dht_announces - total_before,
            keeper_->pin(kept)->dht_announces - kept_before);
}

TEST_F(KeeperNodeTest, MorePinsThanTheBudgetCoversAreFlaggedUntilSomeGo) {
  KeeperNodeOptions o;
  o.dht_announce.interval = 1s;
  o.dht_announce.budget_per_second = 1;  // capacity: one pin per interval
  start_keeper(o);
  v1::KeeperDown down;
  down.set_full(true);
  *down.add_assign() = assignment(torrents()[0], true);
  hub_.send(down);
  ASSERT_TRUE(wait_cached(1, 30s));
  EXPECT_FALSE(keeper_->stats().over_budget);
  v1::KeeperDown more;
  *more.add_assign() = assignment(torrents()[1], true);
  hub_.send(more);
  ASSERT_TRUE(run_until(io_, 30s, [&] { return keeper_->stats().over_budget; }));
  v1::KeeperDown fewer;
  fewer.add_unassign(std::string(torrents()[1].info_hashes.id().view()));
  hub_.send(fewer);
  ASSERT_TRUE(run_until(io_, 30s, [&] { return !keeper_->stats().over_budget; }));
}

TEST_F(KeeperNodeTest, ReconnectsAndSaysWhichInfoDictsItHasCached) {
  start_keeper();
  v1::KeeperDown down;
  down.set_full(true);
  *down.add_assign() = assignment(torrents()[2], true);
  hub_.send(down);
  ASSERT_TRUE(wait_cached(1));
  keeper_->stop();
  keeper_.reset();
  // A second keeper on the same state: its hello lists the cached id.
  KeeperNodeOptions o;
  o.node_id = "keeper-test";
  o.hub_address = hub_.address();
  o.token = "cluster-token";
  o.listen_address = testnet::loopback_address(kKeeperAddress);
  o.peer_port = 0;
  keeper_.emplace(io_, o, *state_, *keeper_dht_);
  events_.keeper = &*keeper_;
  keeper_->start();
  ASSERT_TRUE(run_until(io_, 30s, [&] { return hub_.hellos().size() >= 2; }));
  const auto hello = hub_.hellos().back();
  ASSERT_EQ(hello.cached_size(), 1);
  EXPECT_EQ(hello.cached(0), std::string(torrents()[2].info_hashes.id().view()));
}

// opentracker on loopback, killed at the end.
class OpenTracker {
 public:
  OpenTracker() {
    address_ = testnet::loopback_address(kTrackerAddress);
    // A free port for TCP and UDP alike (opentracker takes both).
    for (int attempt = 0; attempt < 20 && port_ == 0; ++attempt) {
      asio::io_context io;
      asio::ip::tcp::acceptor a(io, {asio::ip::make_address(address_), 0});
      const auto p = a.local_endpoint().port();
      boost::system::error_code ec;
      asio::ip::udp::socket u(io);
      u.open(asio::ip::udp::v4());
      u.bind({asio::ip::make_address(address_), p}, ec);
      if (!ec) port_ = p;
    }
    const std::string port = std::to_string(port_);
    // Debian builds opentracker with a whitelist: every id of our torrents
    // (v1 and truncated v2, both announced for a hybrid).
    std::string ids;
    for (const auto& t : torrents()) {
      if (t.info_hashes.v1) ids += t.info_hashes.v1->hex() + "\n";
      if (t.info_hashes.v2) ids += truncate(*t.info_hashes.v2).hex() + "\n";
    }
    const std::string whitelist = dir_.write("whitelist", ids).string();
    // Started as root it drops to "nobody", who must read the list; "-d /"
    // keeps absolute paths valid after its chroot.
    std::filesystem::permissions(
        dir_.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                         std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                         std::filesystem::perms::others_exec);
    std::filesystem::permissions(
        whitelist, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                       std::filesystem::perms::group_read | std::filesystem::perms::others_read);
    std::vector<std::string> args = {"opentracker", "-i", address_, "-p", port,     "-P",
                                     port,          "-d", "/",      "-w", whitelist};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, "opentracker", nullptr, nullptr, argv.data(), environ) != 0) {
      pid_ = 0;
      return;
    }
    // Until it accepts connections (bounded).
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
      asio::io_context io;
      asio::ip::tcp::socket s(io);
      boost::system::error_code ec;
      s.connect({asio::ip::make_address(address_), port_}, ec);
      if (!ec) return;
      std::this_thread::sleep_for(50ms);
    }
  }
  ~OpenTracker() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool running() const { return pid_ > 0; }
  std::string url() const {
    return "http://" + address_ + ":" + std::to_string(port_) + "/announce";
  }
  std::string udp_url() const { return "udp://" + address_ + ":" + std::to_string(port_); }

 private:
  magnetar::testing::TempDir dir_{"magnetar-opentracker"};
  std::string address_;
  std::uint16_t port_ = 0;
  pid_t pid_ = 0;
};

bool have_opentracker() { return std::system("command -v opentracker >/dev/null 2>&1") == 0; }

// A pin whose only tracker is `url` on a real opentracker: the keeper
// announces to it, and a stock client with the DHT off resolves through it.
void KeeperNodeTest::expect_resolves_through_tracker(const GeneratedTorrent& t,
                                                     const std::string& url) {
  KeeperNodeOptions o;
  o.tracker_retry = 1s;
  start_keeper(o);
  v1::PinAssignment a = assignment(t, true);
  a.add_trackers(url);
  v1::KeeperDown down;
  down.set_full(true);
  *down.add_assign() = a;
  hub_.send(down);
  ASSERT_TRUE(run_until(io_, 60s,
                        [&] {
                          const auto p = keeper_->pin(t.info_hashes.id());
                          return p && p->tracker_announces >= 1;
                        }))
      << keeper_->stats().tracker_failures << " tracker failures, last "
      << keeper_->pin(t.info_hashes.id())->tracker_error;
  auto client = stock_client(std::nullopt, /*forced_encryption=*/false);  // no DHT
  client.add(t.magnet() + "&tr=" + url);
  expect_resolves(client, {&t});
}

TEST_F(KeeperNodeTest, ClientThatKnowsOnlyTheTrackerResolvesFromUs) {
  ASSERT_TRUE(have_opentracker())
      << "opentracker is not installed (scripts/install-deps installs it)";
  OpenTracker tracker;
  ASSERT_TRUE(tracker.running());
  expect_resolves_through_tracker(torrents()[4], tracker.url());
}

TEST_F(KeeperNodeTest, UdpTrackerAnnounceReachesOpentracker) {
  ASSERT_TRUE(have_opentracker())
      << "opentracker is not installed (scripts/install-deps installs it)";
  OpenTracker tracker;
  ASSERT_TRUE(tracker.running());
  expect_resolves_through_tracker(torrents()[5], tracker.udp_url());
}

}  // namespace
}  // namespace magnetar::crawler::keeper
