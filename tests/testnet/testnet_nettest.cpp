// The testnet against a stock libtorrent client on its own loopback address:
// metadata of v1, v2 and hybrid torrents from the seeders (plaintext and with
// encryption forced), and the seeders found through the testnet's DHT.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/torrent_info.hpp>
#include <map>
#include <set>
#include <sstream>

#include "common/sha.hpp"
#include "tests/testnet/loopback_settings.hpp"
#include "tests/testnet/testnet.hpp"
#include "tests/testnet/torrent_list.hpp"

namespace magnetar::testnet {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Bounds of the waits below: on loopback each takes well under a second,
// these only stop a broken setup from hanging the test.
constexpr auto kDeadline = 45s;
// How often a test asks again (DHT stats, repeated get_peers).
constexpr auto kRetry = 500ms;
// The client's address, away from the testnet's 127.1-127.N.
constexpr std::size_t kClientAddress = 240;

// A stock libtorrent session, as a user's client would be.
class Client {
 public:
  explicit Client(std::function<void(lt::settings_pack&)> tune = {}) {
    lt::session_params params = client_session_params(loopback_address(kClientAddress));
    if (tune) tune(params.settings);
    session_ = std::make_unique<lt::session>(std::move(params));
  }

  lt::session& session() { return *session_; }

  // Hands every alert to `on` until it returns true or the deadline passes;
  // calls `tick` every kRetry. Returns whether `on` returned true.
  bool run_until(const std::function<bool(lt::alert*)>& on,
                 const std::function<void()>& tick = {}) {
    const auto deadline = Clock::now() + kDeadline;
    auto next_tick = Clock::now();
    std::vector<lt::alert*> alerts;
    while (Clock::now() < deadline) {
      if (tick && Clock::now() >= next_tick) {
        tick();
        next_tick = Clock::now() + kRetry;
      }
      session_->wait_for_alert(std::chrono::duration_cast<lt::time_duration>(kRetry));
      session_->pop_alerts(&alerts);
      for (lt::alert* a : alerts) {
        if (on(a)) return true;
      }
    }
    return false;
  }

 private:
  std::unique_ptr<lt::session> session_;
};

// Adds every torrent of the testnet as a magnet with its seeders handed in
// (no DHT), and checks that the metadata arrives and hashes to the infohash.
void expect_metadata_of_every_torrent(Testnet& net, Client& client) {
  const auto& torrents = net.torrents();
  std::map<lt::sha1_hash, std::size_t> by_id;  // v1, or truncated v2
  for (std::size_t i = 0; i < torrents.size(); ++i) {
    lt::add_torrent_params atp = lt::parse_magnet_uri(torrents[i].magnet());
    atp.save_path = ".";
    // Not auto-managed, not paused; no DHT, so only the seeders handed in count;
    // upload mode: the client never asks for piece data.
    atp.flags = lt::torrent_flags::upload_mode | lt::torrent_flags::disable_dht |
                lt::torrent_flags::disable_pex | lt::torrent_flags::disable_lsd;
    atp.peers = net.seeders_of(i);
    ASSERT_EQ(atp.peers.size(), net.options().copies);
    by_id[atp.info_hashes.get_best()] = i;
    client.session().async_add_torrent(std::move(atp));
  }

  std::set<std::size_t> received;
  std::set<TorrentVersion> versions;
  const bool done = client.run_until([&](lt::alert* a) {
    if (auto* add = lt::alert_cast<lt::add_torrent_alert>(a)) {
      EXPECT_FALSE(add->error) << add->error.message();
    }
    auto* m = lt::alert_cast<lt::metadata_received_alert>(a);
    if (!m) return false;
    const auto ti = m->handle.torrent_file();
    const auto it = by_id.find(m->handle.info_hashes().get_best());
    if (!ti || it == by_id.end()) {
      ADD_FAILURE() << "metadata of an unknown torrent";
      return false;
    }
    const GeneratedTorrent& t = torrents[it->second];
    const auto section = ti->info_section();
    const std::string info(section.data(), static_cast<std::size_t>(section.size()));
    EXPECT_EQ(info, t.info_dict) << t.name;
    if (t.info_hashes.v1) {
      EXPECT_EQ(InfoHashV1(sha1(info)), *t.info_hashes.v1) << t.name;
    }
    if (t.info_hashes.v2) {
      EXPECT_EQ(InfoHashV2(sha256(info)), *t.info_hashes.v2) << t.name;
    }
    received.insert(it->second);
    versions.insert(t.version);
    client.session().remove_torrent(m->handle);
    return received.size() == torrents.size();
  });
  std::string missing;
  for (std::size_t i = 0; i < torrents.size(); ++i) {
    if (!received.count(i)) {
      missing += " " + std::string(to_string(torrents[i].version)) + " '" + torrents[i].name + "'";
    }
  }
  EXPECT_TRUE(done) << "metadata of " << received.size() << "/" << torrents.size()
                    << " torrents; missing:" << missing;
  EXPECT_EQ(versions.size(), 3u) << "v1, v2 and hybrid";
}

TestnetOptions small_testnet() {
  TestnetOptions o;
  o.dht_nodes = 10;
  o.seeders = 3;
  o.generator.count = 20;
  o.generator.seed = 77;
  o.start_timeout = kDeadline;
  return o;
}

TEST(Testnet, StartsAndHandsOutEndpointsOnLoopback) {
  TestnetOptions o = small_testnet();
  o.copies = 2;
  Testnet net(o);
  net.start();
  EXPECT_EQ(net.torrents().size(), 20u);
  EXPECT_EQ(net.dht_bootstrap_endpoints().size(), 10u);
  EXPECT_EQ(net.dht_endpoints().size(), 13u);
  EXPECT_EQ(net.seeder_endpoints().size(), 3u);
  std::set<lt::address> addresses;
  for (const auto& ep : net.dht_endpoints()) {
    EXPECT_TRUE(ep.address().is_loopback()) << to_string(ep);
    addresses.insert(ep.address());
  }
  EXPECT_EQ(addresses.size(), 13u) << "each session on its own address";
  for (std::size_t i = 0; i < net.torrents().size(); ++i) {
    const auto seeders = net.seeders_of(i);
    ASSERT_EQ(seeders.size(), 2u);
    EXPECT_NE(seeders[0], seeders[1]);
  }
  const StartReport& r = net.start_report();
  EXPECT_GE(r.min_routing_table, 8u);

  std::ostringstream list;
  write_torrent_list(net, list);
  std::istringstream lines(list.str());
  std::size_t count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    const GeneratedTorrent& t = net.torrents()[count];
    const std::string seeders =
        to_string(net.seeders_of(count)[0]) + "," + to_string(net.seeders_of(count)[1]);
    EXPECT_EQ(line, (t.info_hashes.v1 ? t.info_hashes.v1->hex() : "-") + "\t" +
                        (t.info_hashes.v2 ? t.info_hashes.v2->hex() : "-") + "\t" +
                        std::string(to_string(t.version)) + "\t" +
                        std::to_string(t.info_dict.size()) + "\t" + seeders + "\t" + t.name);
  }
  EXPECT_EQ(count, 20u);
  // Every copy's announce of each infohash (two for a hybrid) reached a node.
  EXPECT_GE(r.announces_received, 2u * 20u);
}

TEST(Testnet, StopEndsEverySessionPromptlyAndTwiceIsHarmless) {
  Testnet net(small_testnet());
  net.start();
  const auto begin = Clock::now();
  net.stop();
  EXPECT_LT(Clock::now() - begin, 10s);
  net.stop();
  EXPECT_THROW(net.start(), TestnetError) << "a testnet starts once";
}

TEST(Testnet, StartFailsWithinItsDeadlineWhenAnnouncesCannotLand) {
  // Nobody joins anybody: the seeder's routing table stays empty, so its
  // announces (BEP 5) reach no node, and start() must give up on time.
  TestnetOptions o;
  o.dht_nodes = 2;
  o.seeders = 1;
  o.join_degree = 0;
  o.generator.count = 2;
  o.start_timeout = 3s;
  Testnet net(o);
  const auto begin = Clock::now();
  try {
    net.start();
    ADD_FAILURE() << "started without announcing";
  } catch (const TestnetError& e) {
    EXPECT_NE(std::string(e.what()).find("DHT announces"), std::string::npos) << e.what();
  }
  EXPECT_LT(Clock::now() - begin, 3s + 5s);
}

TEST(Testnet, RefusesToAnnounceWithoutAnyOtherNode) {
  TestnetOptions o;
  o.dht_nodes = 0;
  o.seeders = 1;
  o.generator.count = 1;
  Testnet net(o);
  EXPECT_THROW(net.start(), TestnetError);
}

TEST(Testnet, StockClientGetsMetadataOfV1V2AndHybridTorrentsFromSeeders) {
  Testnet net(small_testnet());
  net.start();
  Client client([](lt::settings_pack& s) { s.set_bool(lt::settings_pack::enable_dht, false); });
  expect_metadata_of_every_torrent(net, client);
}

TEST(Testnet, StockClientGetsMetadataFromSeedersThatForceEncryption) {
  TestnetOptions o = small_testnet();
  o.generator.count = 9;
  o.encryption = Encryption::kForced;
  o.announce = false;
  Testnet net(o);
  net.start();
  Client client([](lt::settings_pack& s) {
    s.set_bool(lt::settings_pack::enable_dht, false);
    s.set_int(lt::settings_pack::out_enc_policy, lt::settings_pack::pe_forced);
    s.set_int(lt::settings_pack::in_enc_policy, lt::settings_pack::pe_forced);
    s.set_int(lt::settings_pack::allowed_enc_level, lt::settings_pack::pe_rc4);
  });
  expect_metadata_of_every_torrent(net, client);
}

TEST(Testnet, SeedersThatForceEncryptionRefuseAPlaintextClient) {
  TestnetOptions o = small_testnet();
  o.generator.count = 1;
  o.encryption = Encryption::kForced;
  o.announce = false;
  Testnet net(o);
  net.start();
  Client client([](lt::settings_pack& s) {
    s.set_bool(lt::settings_pack::enable_dht, false);
    s.set_int(lt::settings_pack::out_enc_policy, lt::settings_pack::pe_disabled);
    s.set_int(lt::settings_pack::in_enc_policy, lt::settings_pack::pe_disabled);
    s.set_int(
        lt::settings_pack::alert_mask,
        static_cast<int>(static_cast<std::uint32_t>(
            lt::alert_category::status | lt::alert_category::error | lt::alert_category::connect)));
  });
  lt::add_torrent_params atp = lt::parse_magnet_uri(net.torrents()[0].magnet());
  atp.save_path = ".";
  atp.flags = lt::torrent_flags::upload_mode | lt::torrent_flags::disable_dht;
  atp.peers = net.seeders_of(0);
  client.session().async_add_torrent(std::move(atp));
  bool metadata = false;
  const bool refused = client.run_until([&](lt::alert* a) {
    metadata |= lt::alert_cast<lt::metadata_received_alert>(a) != nullptr;
    return lt::alert_cast<lt::peer_disconnected_alert>(a) != nullptr;
  });
  EXPECT_TRUE(refused) << "the seeder never closed the plaintext connection";
  EXPECT_FALSE(metadata);
}

TEST(Testnet, DhtGetPeersFromAClientBootstrappedToOneNodeFindsTheSeeders) {
  TestnetOptions o = small_testnet();
  o.generator.count = 6;
  o.copies = 2;
  Testnet net(o);
  net.start();
  // Bootstrapped at construction, as a user would configure a client: it
  // starts with a find_node lookup of its own id through that node (BEP 5).
  const std::string bootstrap = to_string(net.dht_bootstrap_endpoints().front());
  Client client(
      [&](lt::settings_pack& s) { s.set_str(lt::settings_pack::dht_bootstrap_nodes, bootstrap); });

  // The client's table fills from that one node.
  const bool joined = client.run_until(
      [&](lt::alert* a) {
        auto* stats = lt::alert_cast<lt::dht_stats_alert>(a);
        if (!stats) return false;
        int nodes = 0;
        for (const auto& b : stats->routing_table) nodes += b.num_nodes;
        return nodes >= 8;
      },
      [&] { client.session().post_dht_stats(); });
  ASSERT_TRUE(joined) << "the client's routing table stayed short";

  // Every infohash: v1, truncated v2 of v2-only and hybrid torrents (BEP 52).
  std::map<lt::sha1_hash, std::set<lt::tcp::endpoint>> missing;
  for (std::size_t i = 0; i < net.torrents().size(); ++i) {
    const auto& h = net.torrents()[i].info_hashes;
    const auto seeders = net.seeders_of(i);
    if (h.v1) missing[lt::sha1_hash(h.v1->view().data())].insert(seeders.begin(), seeders.end());
    if (h.v2)
      missing[lt::sha1_hash(truncate(*h.v2).view().data())].insert(seeders.begin(), seeders.end());
  }
  const std::size_t lookups = missing.size();
  const bool found = client.run_until(
      [&](lt::alert* a) {
        auto* reply = lt::alert_cast<lt::dht_get_peers_reply_alert>(a);
        if (!reply) return false;
        auto it = missing.find(reply->info_hash);
        if (it == missing.end()) return false;
        for (const auto& peer : reply->peers()) it->second.erase(peer);
        if (it->second.empty()) missing.erase(it);
        return missing.empty();
      },
      // A lookup ends silently (pitfalls.md): ask again for what is missing.
      [&] {
        for (const auto& [ih, _] : missing) client.session().dht_get_peers(ih);
      });
  EXPECT_TRUE(found) << missing.size() << " of " << lookups << " infohashes lack seeders";
}

TEST(Testnet, NodesSampleEveryAnnouncedInfohashToACrawler) {
  TestnetOptions o = small_testnet();
  o.sample_infohashes_interval = 0;  // a fresh sample per query
  Testnet net(o);
  net.start();
  Client client([](lt::settings_pack& s) {
    s.set_bool(lt::settings_pack::enable_dht, true);  // BEP 51 queries go out through the DHT
  });
  // The DHT needs its socket before a query can leave.
  ASSERT_TRUE(client.run_until([](lt::alert* a) {
    auto* listen = lt::alert_cast<lt::listen_succeeded_alert>(a);
    return listen && listen->socket_type == lt::socket_type_t::utp;
  }));

  std::set<lt::sha1_hash> missing;
  for (const auto& t : net.torrents()) {
    if (t.info_hashes.v1) missing.insert(lt::sha1_hash(t.info_hashes.v1->view().data()));
    if (t.info_hashes.v2) missing.insert(lt::sha1_hash(truncate(*t.info_hashes.v2).view().data()));
  }
  const std::size_t all = missing.size();
  int replies = 0;
  const auto nodes = net.dht_endpoints();
  const bool found = client.run_until(
      [&](lt::alert* a) {
        auto* reply = lt::alert_cast<lt::dht_sample_infohashes_alert>(a);
        if (!reply) return false;
        ++replies;
        EXPECT_EQ(reply->interval, lt::seconds(0));
        EXPECT_LE(reply->num_samples(), 20) << "BEP 51 samples fit one packet";
        for (const auto& ih : reply->samples()) missing.erase(ih);
        return missing.empty();
      },
      // Samples are random subsets of what a node stores: ask every node again.
      [&] {
        for (const auto& ep : nodes) client.session().dht_sample_infohashes(ep, lt::sha1_hash());
      });
  EXPECT_TRUE(found) << missing.size() << " of " << all << " infohashes never sampled in "
                     << replies << " replies";
}

}  // namespace
}  // namespace magnetar::testnet
