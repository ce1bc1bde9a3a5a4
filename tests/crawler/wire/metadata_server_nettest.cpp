// MetadataServer on loopback: a stock libtorrent 2.0.8 client resolves
// magnets from it alone (plaintext and with encryption forced), our own
// fetcher resolves v1, v2 and hybrid torrents from it (plaintext, MSE
// required on both sides, IPv6), and unknown infohashes, piece requests and
// silent peers end their connections.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/torrent_info.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crawler/wire/extension_handshake.hpp"
#include "crawler/wire/handshake.hpp"
#include "crawler/wire/message_codec.hpp"
#include "crawler/wire/metadata_fetcher.hpp"
#include "crawler/wire/metadata_server.hpp"
#include "crawler/wire/session_errors.hpp"
#include "tests/crawler/wire/net_test_support.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/testnet/loopback_settings.hpp"
#include "tests/testnet/stock_client.hpp"
#include "tests/testnet/torrent_generator.hpp"

namespace magnetar::crawler::wire {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using testing::run_until;
using testnet::GeneratedTorrent;

const std::vector<GeneratedTorrent>& torrents() {
  static const auto* all = [] {
    testnet::GeneratorOptions o;
    o.seed = 7;
    o.count = 9;  // v1, v2, hybrid in rotation
    return new std::vector<GeneratedTorrent>(testnet::generate_torrents(o));
  }();
  return *all;
}

tcp::endpoint loopback(const char* address = "127.0.0.1") {
  return {asio::ip::make_address(address), 0};
}

class MetadataServerTest : public ::testing::Test {
 protected:
  void start_server(MetadataServerOptions options, const char* address = "127.0.0.1") {
    server_.emplace(io_, options);
    const Status listening = server_->listen(loopback(address));
    ASSERT_TRUE(listening) << listening.error().message();
    for (const auto& t : torrents()) {
      const Status added = server_->add(t.info_hashes, t.info_dict);
      ASSERT_TRUE(added) << added.error().message();
    }
  }

  // Fetches every torrent from the server with our fetcher.
  void expect_fetcher_resolves_all(EncryptionPolicy policy) {
    MetadataFetcherConfig config;
    config.encryption = policy;
    MetadataFetcher fetcher(io_, config);
    std::size_t done = 0;
    std::set<testnet::TorrentVersion> versions;
    for (const auto& t : torrents()) {
      fetcher.fetch(t.info_hashes, {server_->local_endpoint()}, [&](Result<std::string> r) {
        ++done;
        ASSERT_TRUE(r) << t.name << ": " << r.error().message();
        EXPECT_EQ(*r, t.info_dict);
        versions.insert(t.version);
      });
    }
    ASSERT_TRUE(run_until(io_, [&] { return done == torrents().size(); }));
    EXPECT_EQ(versions.size(), 3u);
  }

  asio::io_context io_;
  std::optional<MetadataServer> server_;
};

TEST_F(MetadataServerTest, FetcherResolvesV1V2AndHybridInPlaintext) {
  start_server({});
  expect_fetcher_resolves_all(EncryptionPolicy::kPreferPlaintext);
  EXPECT_EQ(server_->stats().mse_connections, 0u);
  EXPECT_GE(server_->stats().pieces_served, torrents().size());
}

TEST_F(MetadataServerTest, FetcherResolvesWithMseRequiredOnBothSides) {
  MetadataServerOptions options;
  options.encryption = EncryptionPolicy::kRequire;
  start_server(options);
  expect_fetcher_resolves_all(EncryptionPolicy::kRequire);
  EXPECT_EQ(server_->stats().mse_connections, torrents().size());
}

TEST_F(MetadataServerTest, FetcherResolvesOverIpv6Loopback) {
  boost::system::error_code ec;
  tcp::acceptor probe(io_);
  probe.open(tcp::v6(), ec);
  if (!ec) probe.bind(loopback("::1"), ec);
  if (ec) GTEST_SKIP() << "no IPv6 loopback: " << ec.message();
  probe.close();
  start_server({}, "::1");
  expect_fetcher_resolves_all(EncryptionPolicy::kPreferEncrypted);
}

TEST_F(MetadataServerTest, RequiredEncryptionRefusesPlaintextButFallbackSucceeds) {
  MetadataServerOptions options;
  options.encryption = EncryptionPolicy::kRequire;
  start_server(options);
  MetadataFetcher fetcher(io_);  // plaintext first, MSE on failure
  std::optional<Result<std::string>> result;
  fetcher.fetch(torrents()[0].info_hashes, {server_->local_endpoint()},
                [&](Result<std::string> r) { result = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  ASSERT_TRUE(*result) << result->error().message();
  EXPECT_EQ(fetcher.stats().fallback_retries, 1u);
}

TEST_F(MetadataServerTest, UnknownAndRemovedInfohashesAreRefused) {
  start_server({});
  server_->remove(torrents()[1].info_hashes);
  EXPECT_FALSE(server_->serves(torrents()[1].info_hashes.id()));
  MetadataFetcher fetcher(io_);
  std::optional<Result<std::string>> removed;
  std::optional<Result<std::string>> unknown;
  fetcher.fetch(torrents()[1].info_hashes, {server_->local_endpoint()},
                [&](Result<std::string> r) { removed = std::move(r); });
  fetcher.fetch(ExpectedInfoHash::from_id(InfoHashV1(std::array<std::uint8_t, 20>{7})),
                {server_->local_endpoint()},
                [&](Result<std::string> r) { unknown = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return removed && unknown; }));
  ASSERT_FALSE(*removed);
  ASSERT_FALSE(*unknown);
  EXPECT_EQ(removed->error().code, make_error_code(SessionErrc::kRefused));
  EXPECT_EQ(unknown->error().code, make_error_code(SessionErrc::kRefused));
  EXPECT_GE(server_->stats().unknown_infohash, 2u);
}

TEST_F(MetadataServerTest, RejectsAnInfoDictThatDoesNotMatchItsHashes) {
  start_server({});
  const Status added = server_->add(torrents()[0].info_hashes, torrents()[1].info_dict);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, make_error_code(SessionErrc::kHashMismatch));
}

// A raw client: handshake for `ih`, then whatever the test writes.
struct RawClient {
  explicit RawClient(asio::io_context& io, const tcp::endpoint& server) : socket(io) {
    socket.connect(server);
  }
  // Reads until EOF (the server closed) or `limit`; returns whether it closed.
  bool closed_within(asio::io_context& io, std::chrono::milliseconds limit) {
    bool closed = false;
    std::function<void()> read_more = [&] {
      socket.async_read_some(asio::buffer(buffer),
                             [&](const boost::system::error_code& ec, std::size_t n) {
                               received.append(buffer.data(), n);
                               if (ec) {
                                 closed = true;
                                 return;
                               }
                               read_more();
                             });
    };
    read_more();
    const bool ok = run_until(
        io, [&] { return closed; }, limit);
    if (!ok) socket.close();
    run_until(
        io, [&] { return closed; }, std::chrono::seconds(1));
    return ok;
  }
  tcp::socket socket;
  std::array<char, 4096> buffer;
  std::string received;
};

TEST_F(MetadataServerTest, ClosesOnPieceRequestsAndNeverSendsPieceData) {
  start_server({});
  RawClient client(io_, server_->local_endpoint());
  Handshake hs;
  hs.reserved.set_extension_protocol().set_fast_extension();
  hs.info_hash = torrents()[0].info_hashes.id();
  std::string out = encode_handshake(hs);
  // request: index 0, begin 0, length 16 KiB (BEP 3).
  std::string request;
  for (std::uint32_t v : {0u, 0u, 16384u}) {
    for (int shift = 24; shift >= 0; shift -= 8) request.push_back(static_cast<char>(v >> shift));
  }
  append_message(out, MessageId::kRequest, request);
  asio::write(client.socket, asio::buffer(out));
  ASSERT_TRUE(client.closed_within(io_, std::chrono::seconds(5)));
  // Our handshake, extension handshake and have_none, and nothing else.
  MessageReader reader;
  ASSERT_GE(client.received.size(), kHandshakeSize);
  reader.feed(std::string_view(client.received).substr(kHandshakeSize));
  std::vector<int> ids;
  while (true) {
    auto m = reader.next();
    ASSERT_TRUE(m);
    if (!*m) break;
    ids.push_back((*m)->id);
  }
  EXPECT_EQ(ids, (std::vector<int>{static_cast<int>(MessageId::kExtended),
                                   static_cast<int>(MessageId::kHaveNone)}));
}

TEST_F(MetadataServerTest, SilentPeersAreCutAtTheHandshakeDeadline) {
  MetadataServerOptions options;
  options.handshake_deadline = std::chrono::milliseconds(300);
  start_server(options);
  RawClient client(io_, server_->local_endpoint());
  const auto before = testing::Clock::now();
  EXPECT_TRUE(client.closed_within(io_, std::chrono::seconds(5)));
  EXPECT_GE(testing::Clock::now() - before, std::chrono::milliseconds(250));
  EXPECT_TRUE(client.received.empty());
}

TEST_F(MetadataServerTest, ConnectionsOverTheLimitAreClosedOnAccept) {
  MetadataServerOptions options;
  options.max_connections = 2;
  start_server(options);
  RawClient a(io_, server_->local_endpoint());
  RawClient b(io_, server_->local_endpoint());
  ASSERT_TRUE(run_until(io_, [&] { return server_->stats().open_connections == 2; }));
  RawClient c(io_, server_->local_endpoint());
  EXPECT_TRUE(c.closed_within(io_, std::chrono::seconds(5)));
  EXPECT_EQ(server_->stats().refused_over_limit, 1u);
}

// A stock libtorrent client with the server as its only peer: no DHT, no
// trackers, no other discovery.
void expect_libtorrent_resolves_from(asio::io_context& io, MetadataServer& server,
                                     bool forced_encryption) {
  magnetar::testing::TempDir dir("magnetar-server-nettest");
  lt::session_params params = testnet::client_session_params("127.0.0.1");
  lt::settings_pack& s = params.settings;
  s.set_bool(lt::settings_pack::enable_dht, false);
  testnet::set_client_encryption(s, forced_encryption);
  s.set_int(lt::settings_pack::alert_mask, lt::alert_category::status | lt::alert_category::error);
  lt::session session(std::move(params));

  std::set<lt::sha1_hash> pending;
  for (const auto& t : torrents()) {
    lt::add_torrent_params atp = lt::parse_magnet_uri(t.magnet());
    atp.save_path = dir.path().string();
    atp.flags = lt::torrent_flags::upload_mode | lt::torrent_flags::disable_dht |
                lt::torrent_flags::disable_pex | lt::torrent_flags::disable_lsd;
    atp.flags &= ~(lt::torrent_flags::auto_managed | lt::torrent_flags::paused);
    atp.peers = {server.local_endpoint()};
    pending.insert(atp.info_hashes.get_best());
    session.async_add_torrent(std::move(atp));
  }
  std::size_t received = 0;
  const bool done = run_until(io, [&] {
    std::vector<lt::alert*> alerts;
    session.pop_alerts(&alerts);
    for (lt::alert* a : alerts) {
      auto* m = lt::alert_cast<lt::metadata_received_alert>(a);
      if (!m) continue;
      const auto ti = m->handle.torrent_file();
      if (!ti) continue;
      const auto section = ti->info_section();
      const std::string info(section.data(), static_cast<std::size_t>(section.size()));
      bool known = false;
      for (const auto& t : torrents()) known = known || info == t.info_dict;
      EXPECT_TRUE(known) << "metadata that is none of the served info dicts";
      ++received;
    }
    return received == torrents().size();
  });
  EXPECT_TRUE(done) << received << " of " << torrents().size() << " magnets resolved";
}

TEST_F(MetadataServerTest, StockLibtorrentClientResolvesMagnetsFromItAloneInPlaintext) {
  start_server({});
  expect_libtorrent_resolves_from(io_, *server_, /*forced_encryption=*/false);
  EXPECT_EQ(server_->stats().mse_connections, 0u);
}

TEST_F(MetadataServerTest, StockLibtorrentClientResolvesMagnetsFromItAloneWithEncryptionForced) {
  MetadataServerOptions options;
  options.encryption = EncryptionPolicy::kRequire;
  start_server(options);
  expect_libtorrent_resolves_from(io_, *server_, /*forced_encryption=*/true);
  EXPECT_GE(server_->stats().mse_connections, torrents().size());
}

}  // namespace
}  // namespace magnetar::crawler::wire
