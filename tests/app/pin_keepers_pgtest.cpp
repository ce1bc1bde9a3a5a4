// Keep-alive pinning end to end (issue 8): the real binaries — a
// magnetar-testnet for the DHT, `magnetar serve` (hub and API) on the test
// PostgreSQL, and two `magnetar crawl` nodes as keepers — driven through
// `magnetar pin`, `pins --json`, `stats --json` and `unpin`. The torrents are seeded by a
// libtorrent session of this test, not by the testnet: the magnetar-testnet
// program cannot stop its seeders while keeping its DHT nodes up, so it runs
// DHT nodes only (no torrents) and our seeder is stopped once the pins are
// ALIVE. Stock libtorrent clients that know only the magnet and one DHT node
// then resolve every pin from the keepers alone, before and after one keeper
// is SIGKILLed. Bounded waits with generous deadlines, no timing assertions.
//
// Each keeper has its own name (crawler.node_id): the hub tells keepers
// apart by name.
#include <csignal>
#include <libtorrent/session.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "common/codec.hpp"
#include "tests/app/crawl_e2e.hpp"
#include "tests/support/run_command.hpp"
#include "tests/testnet/loopback_settings.hpp"
#include "tests/testnet/seeder_session.hpp"
#include "tests/testnet/stock_client.hpp"
#include "tests/testnet/torrent_generator.hpp"

namespace magnetar {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testnet::GeneratedTorrent;

// Our sessions sit past the testnet's (loopback_address(k), k from 50,000;
// other e2e tests use 40,000 and 45,000).
constexpr int kTestnetFirstAddress = 50'000;
constexpr std::size_t kKeeperAddress[] = {50'100, 50'101};
constexpr std::size_t kSeederAddress = 50'102;
constexpr std::size_t kFirstClientAddress = 50'103;  // one address per client
constexpr char kKeeperName[][10] = {"keeper-a", "keeper-b"};
// Short heartbeats so the hub counts a killed keeper dead within seconds
// (it waits for 3 missed heartbeats, app/settings.cpp).
constexpr char kHeartbeatSeconds[] = "1";
constexpr std::size_t kTorrents = 3;

std::vector<GeneratedTorrent> generate() {
  testnet::GeneratorOptions o;
  o.seed = 808;  // v1, v2 and hybrid in rotation
  o.count = kTorrents;
  return testnet::generate_torrents(o);
}

lt::udp::endpoint parse_endpoint(const std::string& host_port) {
  const auto colon = host_port.rfind(':');
  return {boost::asio::ip::make_address(host_port.substr(0, colon)),
          static_cast<std::uint16_t>(std::stoi(host_port.substr(colon + 1)))};
}

std::vector<lt::udp::endpoint> parse_endpoints(const std::string& list) {
  std::vector<lt::udp::endpoint> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(parse_endpoint(item));
  return out;
}

class PinKeepers : public ::testing::Test {
 protected:
  // `magnetar serve` with short keeper heartbeats and replication 2.
  void start_serve() {
    serve_ = std::make_unique<testing::HubProcess>(
        dir_, db_.dsn(),
        std::vector<std::string>{"--pins-replication", "2", "--keeper-heartbeat-interval",
                                 kHeartbeatSeconds});
  }

  // `magnetar crawl` number `k`, named kKeeperName[k].
  std::unique_ptr<testing::BackgroundProcess> start_keeper(int k, const std::string& bootstrap) {
    const auto ip = testnet::loopback_address(kKeeperAddress[k]);
    return std::make_unique<testing::BackgroundProcess>(
        std::vector<std::string>{MAGNETAR_BINARY,
                                 "crawl",
                                 "--crawler-node-id",
                                 kKeeperName[k],
                                 "--hub",
                                 serve_->address(),
                                 "--token",
                                 testing::kCrawlToken,
                                 "--data-dir",
                                 (dir_.path() / kKeeperName[k]).string(),
                                 "--crawler-testnet",
                                 "true",
                                 "--crawler-listen",
                                 ip + ":0",
                                 "--crawler-routers",
                                 "",
                                 "--crawler-bootstrap",
                                 bootstrap,
                                 "--crawler-report-interval",
                                 "1",
                                 "--crawler-retry-delay",
                                 "2",
                                 "--keeper-peer-port",
                                 "0",
                                 "--keeper-heartbeat-interval",
                                 kHeartbeatSeconds});
  }

  testing::CommandResult cli(std::vector<std::string> args) {
    std::vector<std::string> argv{MAGNETAR_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--api", serve_->api_address(), "--data-dir",
                             testing::HubProcess::data_dir(dir_).string()});
    return testing::run_command(argv, {"MAGNETAR_API_TOKEN="});
  }

  // `magnetar pins --json`: per pin id (hex), its state and keepers.
  struct PinView {
    std::string state;
    std::set<std::string> keepers;
  };
  std::map<std::string, PinView> pins() {
    std::map<std::string, PinView> out;
    const auto r = cli({"pins", "--json"});
    if (r.exit_code != 0) return out;
    const auto json = nlohmann::json::parse(r.out, nullptr, false);
    if (json.is_discarded() || !json.contains("pins")) return out;
    for (const auto& p : json["pins"]) {
      PinView v;
      v.state = p.value("state", "");
      if (p.contains("keepers")) {
        for (const auto& k : p["keepers"]) v.keepers.insert(k.get<std::string>());
      }
      out[p.value("infoHash", "")] = std::move(v);
    }
    return out;
  }

  // `magnetar stats --json`; null when the call failed.
  nlohmann::json stats() {
    const auto r = cli({"stats", "--json"});
    if (r.exit_code != 0) return nullptr;
    const auto json = nlohmann::json::parse(r.out, nullptr, false);
    return json.is_discarded() ? nlohmann::json() : json;
  }

  // Stats lists `names` (in order), every one live, with at least one peer
  // connection summed over them.
  static bool keepers_reached(const nlohmann::json& stats, const std::vector<std::string>& names) {
    if (!stats.is_object() || !stats.contains("keepers")) return false;
    const auto& keepers = stats["keepers"];
    if (keepers.size() != names.size()) return false;
    std::int64_t incoming = 0;
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (keepers[k].value("nodeId", "") != names[k] || !keepers[k].value("live", false))
        return false;
      incoming += std::stoll(keepers[k].value("incomingConnections", "0"));
    }
    return incoming >= 1;
  }

  bool every_pin(const std::vector<std::string>& ids, const std::set<std::string>& keepers) {
    const auto all = pins();
    for (const auto& id : ids) {
      const auto it = all.find(id);
      if (it == all.end() || it->second.state != "PIN_STATE_ALIVE" ||
          it->second.keepers != keepers) {
        return false;
      }
    }
    return true;
  }

  // A fresh stock client resolves every magnet from whoever the DHT names.
  void expect_resolved(std::size_t address, const lt::udp::endpoint& node, bool forced,
                       const std::vector<GeneratedTorrent>& torrents) {
    testnet::StockClient client({.address = testnet::loopback_address(address),
                                 .dht_node = node,
                                 .forced_encryption = forced});
    for (const auto& t : torrents) client.add(t.magnet());
    const bool all = eventually(60s, [&] { return client.poll().size() >= torrents.size(); });
    EXPECT_TRUE(all) << client.poll().size() << " of " << torrents.size() << " resolved\n"
                     << keepers_output();
    for (const auto& t : torrents) {
      const auto id = to_hex(t.info_hashes.id().view());
      const auto it = client.poll().find(id);
      if (it == client.poll().end()) {
        ADD_FAILURE() << "not resolved: " << id;
        continue;
      }
      EXPECT_EQ(it->second, t.info_dict) << id;
    }
  }

  std::string keepers_output() const {
    std::string out;
    for (std::size_t k = 0; k < 2; ++k) {
      if (keepers_[k]) out += std::string("--- ") + kKeeperName[k] + "\n" + keepers_[k]->output();
    }
    return out;
  }

  testing::TestDatabase db_;
  testing::TempDir dir_{"magnetar-pin-e2e"};
  std::unique_ptr<testing::HubProcess> serve_;
  std::unique_ptr<testing::BackgroundProcess> keepers_[2];
};

TEST_F(PinKeepers, EveryPinStaysResolvableFromTheKeepersAfterTheSeederAndOneKeeperAreGone) {
  testing::TestnetProcess net(dir_, 10, 0, kTestnetFirstAddress);
  const auto nodes = parse_endpoints(net.bootstrap());
  ASSERT_FALSE(nodes.empty());
  ASSERT_NO_FATAL_FAILURE(start_serve());
  for (int k = 0; k < 2; ++k) keepers_[k] = start_keeper(k, net.bootstrap());

  const auto torrents = generate();
  auto seeder = testnet::start_seeder(testnet::loopback_address(kSeederAddress), torrents, nodes);
  std::vector<std::string> ids;
  for (const auto& t : torrents) {
    ids.push_back(to_hex(t.info_hashes.id().view()));
    const auto r = cli({"pin", t.magnet(), "--label", "e2e"});
    ASSERT_EQ(r.exit_code, 0) << r.out << serve_->process().output();
  }

  // Both keepers hold every pin, resolved from the seeder.
  const std::set<std::string> both{kKeeperName[0], kKeeperName[1]};
  ASSERT_TRUE(eventually(90s, [&] { return every_pin(ids, both); }))
      << cli({"pins"}).out << keepers_output() << serve_->process().output();

  // The last seeder leaves; the keepers alone serve the metadata, to a client
  // that requires encryption (MSE).
  seeder.reset();
  expect_resolved(kFirstClientAddress, nodes.front(), true, torrents);

  // Stats shows the pins and both keepers live and reached: the client
  // connected to them (the counters reach the hub with the next heartbeats).
  const std::vector<std::string> names{kKeeperName[0], kKeeperName[1]};
  nlohmann::json seen;
  EXPECT_TRUE(eventually(60s, [&] { return keepers_reached(seen = stats(), names); }))
      << seen.dump(2) << keepers_output();
  EXPECT_EQ(seen["pins"]["total"], std::to_string(kTorrents)) << seen.dump(2);
  EXPECT_EQ(seen["pins"]["alive"], std::to_string(kTorrents)) << seen.dump(2);

  // One keeper dies without a word; the hub moves its pins to the survivor
  // once its heartbeats stop, and a new client still resolves every pin.
  keepers_[0]->signal(SIGKILL);
  keepers_[0]->wait(30s);
  const std::set<std::string> survivor{kKeeperName[1]};
  ASSERT_TRUE(eventually(60s, [&] { return every_pin(ids, survivor); }))
      << cli({"pins"}).out << serve_->process().output();
  expect_resolved(kFirstClientAddress + 1, nodes.back(), false, torrents);

  // Unpinned, it leaves the list; the others stay.
  const auto r = cli({"unpin", ids.front()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("unpinned " + ids.front()), std::string::npos) << r.out;
  const auto left = pins();
  EXPECT_EQ(left.count(ids.front()), 0u);
  EXPECT_EQ(left.size(), ids.size() - 1);
}

}  // namespace
}  // namespace magnetar
