// MetadataFetcher against hostile peers written here on raw asio sockets:
// wrong metadata, a 1 GiB metadata_size, an endless stream, a giant message,
// a slowloris, garbage after the handshake, a peer that rejects every
// request and one that accepts and never speaks. Each ends in its own error,
// and good fetches from libtorrent seeders running at the same time all
// succeed without waiting for the hostile ones (no stall of other work).
#include <utility>  // before asio's awaitable.hpp on GCC 12 (pitfalls.md)
//
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crawler/wire/extension_handshake.hpp"
#include "crawler/wire/handshake.hpp"
#include "crawler/wire/message_codec.hpp"
#include "crawler/wire/metadata_fetcher.hpp"
#include "crawler/wire/metadata_server.hpp"
#include "crawler/wire/pex.hpp"
#include "crawler/wire/session_errors.hpp"
#include "crawler/wire/ut_metadata.hpp"
#include "tests/crawler/wire/net_test_support.hpp"
#include "tests/testnet/testnet.hpp"

namespace magnetar::crawler::wire {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using testing::Clock;
using testing::run_until;

constexpr auto kTestHandshakeDeadline = std::chrono::milliseconds(1000);
constexpr auto kTestIdleDeadline = std::chrono::milliseconds(1000);
constexpr std::uint8_t kHostileUtMetadataId = 3;

enum class Behaviour {
  kWrongMetadata,     // serves a well-formed dict of another torrent
  kHugeMetadataSize,  // advertises metadata_size = 1 GiB
  kEndlessStream,     // after the handshake, 'have' messages without end
  kGiantMessage,      // a length prefix of 4 GiB - 1, then bytes
  kSlowloris,         // the extension handshake, one byte every 200 ms
  kGarbage,           // an extended message that is not bencode
  kRejectAll,         // rejects every ut_metadata request
  kSilent,            // accepts and never speaks
  kPexThenReject,     // names another peer in ut_pex (BEP 11), then rejects
};

std::string peer_handshake(const InfoHashV1& ih) {
  Handshake hs;
  hs.reserved.set_extension_protocol();
  hs.info_hash = ih;
  hs.peer_id = PeerId(std::array<std::uint8_t, 20>{'-', 'H', 'O', '0', '0', '0', '1', '-'});
  return encode_handshake(hs);
}

std::string extension_handshake(std::int64_t metadata_size) {
  // Hand-written: our encoder refuses a metadata_size above the limit.
  std::string dict = "d1:md11:ut_metadatai" + std::to_string(kHostileUtMetadataId) +
                     "ee13:metadata_sizei" + std::to_string(metadata_size) + "ee";
  std::string out;
  append_extended(out, kExtensionHandshakeId, dict);
  return out;
}

// A bencoded dict that hashes to nothing we ask for: 2 metadata pieces.
std::string fake_info_dict() {
  std::string pieces(20 * 1000, 'x');
  return "d6:lengthi1000e4:name4:fake12:piece lengthi16384e6:pieces" +
         std::to_string(pieces.size()) + ":" + pieces + "e";
}

class HostilePeer {
 public:
  HostilePeer(asio::io_context& io, Behaviour behaviour, tcp::endpoint pex_peer = {})
      : io_(io),
        acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        behaviour_(behaviour),
        pex_peer_(pex_peer) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
  }
  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
  std::size_t bytes_sent() const { return *bytes_sent_; }

 private:
  awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket socket = co_await acceptor_.async_accept(use_awaitable);
      asio::co_spawn(io_, serve(std::move(socket), behaviour_, pex_peer_, bytes_sent_),
                     [](std::exception_ptr) {});  // a closed peer ends the coroutine
    }
  }

  static awaitable<void> pause(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(use_awaitable);
  }

  static awaitable<void> serve(tcp::socket socket, Behaviour behaviour, tcp::endpoint pex_peer,
                               std::shared_ptr<std::size_t> sent) {
    if (behaviour == Behaviour::kSilent) {
      // Hold the connection open until the fetcher gives up.
      std::array<char, 1024> sink;
      for (;;) co_await socket.async_read_some(asio::buffer(sink), use_awaitable);
    }
    std::string theirs(kHandshakeSize, '\0');
    co_await asio::async_read(socket, asio::buffer(theirs), use_awaitable);
    auto decoded = decode_handshake(theirs);
    if (!decoded || !*decoded) co_return;
    const InfoHashV1 ih = (**decoded).info_hash;
    auto send = [&](std::string bytes) -> awaitable<void> {
      *sent += bytes.size();
      co_await asio::async_write(socket, asio::buffer(bytes), use_awaitable);
    };
    co_await send(peer_handshake(ih));

    switch (behaviour) {
      case Behaviour::kEndlessStream: {
        std::string haves;
        for (std::uint32_t i = 0; i < 1000; ++i) {
          std::string index;
          for (int shift = 24; shift >= 0; shift -= 8)
            index.push_back(static_cast<char>(i >> shift));
          append_message(haves, MessageId::kHave, index);
        }
        for (;;) co_await send(haves);
      }
      case Behaviour::kGiantMessage: {
        co_await send(std::string("\xff\xff\xff\xff\x14", 5));
        const std::string junk(64 * 1024, 'j');
        for (;;) co_await send(junk);
      }
      case Behaviour::kSlowloris: {
        const std::string ext = extension_handshake(1000);
        for (char c : ext) {
          co_await send(std::string(1, c));
          co_await pause(std::chrono::milliseconds(200));
        }
        co_return;
      }
      case Behaviour::kGarbage: {
        std::string out;
        append_extended(out, kExtensionHandshakeId, "this is not bencode at all");
        co_await send(out);
        break;
      }
      case Behaviour::kHugeMetadataSize:
        co_await send(extension_handshake(std::int64_t{1} << 30));
        break;
      case Behaviour::kWrongMetadata:
        co_await send(extension_handshake(static_cast<std::int64_t>(fake_info_dict().size())));
        break;
      case Behaviour::kRejectAll:
      case Behaviour::kPexThenReject:
        co_await send(extension_handshake(20'000));
        break;
      case Behaviour::kSilent:
        break;
    }

    // Answer ut_metadata requests as the behaviour says, until closed.
    const std::string fake = fake_info_dict();
    MessageReader reader;
    std::uint8_t their_ut_metadata = 0;
    std::array<char, 4096> buffer;
    for (;;) {
      const std::size_t n = co_await socket.async_read_some(asio::buffer(buffer), use_awaitable);
      reader.feed(std::string_view(buffer.data(), n));
      for (;;) {
        auto m = reader.next();
        if (!m || !*m) break;
        const Message& msg = **m;
        if (msg.id != static_cast<std::uint8_t>(MessageId::kExtended) || msg.payload.empty()) {
          continue;
        }
        const auto ext_id = static_cast<std::uint8_t>(msg.payload[0]);
        if (ext_id == kExtensionHandshakeId) {
          auto ext = decode_extension_handshake(msg.payload.substr(1));
          if (!ext) continue;
          their_ut_metadata = ext->id_of(kUtMetadata).value_or(0);
          const auto their_pex = ext->id_of(kUtPex);
          if (behaviour == Behaviour::kPexThenReject && their_pex) {
            PexMessage pex;
            const auto bytes = pex_peer.address().to_v4().to_bytes();
            pex.added.push_back({PeerEndpoint::v4_from(bytes, pex_peer.port()), 0});
            std::string out;
            append_extended(out, *their_pex, encode_pex(pex));
            co_await send(out);
          }
          continue;
        }
        if (ext_id != kHostileUtMetadataId) continue;
        auto request = decode_ut_metadata(msg.payload.substr(1));
        if (!request || request->type != UtMetadataType::kRequest) continue;
        std::string out;
        if (behaviour == Behaviour::kWrongMetadata) {
          const std::size_t begin = std::size_t{request->piece} * kMetadataPieceSize;
          append_extended(out, their_ut_metadata,
                          encode_ut_metadata_data(
                              request->piece, static_cast<std::int64_t>(fake.size()),
                              std::string_view(fake).substr(
                                  begin, metadata_piece_length(fake.size(), request->piece))));
        } else {
          append_extended(out, their_ut_metadata, encode_ut_metadata_reject(request->piece));
        }
        co_await send(out);
      }
    }
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  Behaviour behaviour_;
  tcp::endpoint pex_peer_;
  std::shared_ptr<std::size_t> bytes_sent_ = std::make_shared<std::size_t>(0);
};

TEST(HostilePeerTest, EachHostilePeerEndsInItsErrorWhileGoodFetchesSucceed) {
  testnet::Testnet net(testing::seeders_only(3, 30, 1));
  net.start();
  asio::io_context io;

  const std::map<Behaviour, SessionErrc> expected = {
      {Behaviour::kWrongMetadata, SessionErrc::kHashMismatch},
      {Behaviour::kHugeMetadataSize, SessionErrc::kTooLarge},
      {Behaviour::kEndlessStream, SessionErrc::kTimeout},
      {Behaviour::kGiantMessage, SessionErrc::kMessageTooLarge},
      {Behaviour::kSlowloris, SessionErrc::kTimeout},
      {Behaviour::kGarbage, SessionErrc::kProtocolError},
      {Behaviour::kRejectAll, SessionErrc::kRejected},
      {Behaviour::kSilent, SessionErrc::kTimeout},
  };
  std::vector<std::unique_ptr<HostilePeer>> peers;
  for (const auto& [behaviour, errc] : expected) {
    peers.push_back(std::make_unique<HostilePeer>(io, behaviour));
  }

  MetadataFetcherConfig config;
  config.handshake_deadline = kTestHandshakeDeadline;
  config.idle_deadline = kTestIdleDeadline;
  MetadataFetcher fetcher(io, config);

  // Each hostile peer is asked for a different real torrent (a hostile
  // peer answers for whatever infohash it is asked).
  const auto& torrents = net.torrents();
  std::map<Behaviour, std::optional<Result<std::string>>> hostile_results;
  std::size_t index = 0;
  for (const auto& [behaviour, errc] : expected) {
    hostile_results[behaviour];  // the slot exists from now on
    fetcher.fetch(torrents[index].info_hashes, {peers[index]->endpoint()},
                  [&, b = behaviour](Result<std::string> r) { hostile_results[b] = std::move(r); });
    ++index;
  }
  // The good fetches start after the hostile ones and share the thread.
  std::size_t good_ok = 0;
  std::size_t good_done = 0;
  Clock::duration last_good{};
  const auto start = Clock::now();
  const std::size_t first_good = index;
  for (std::size_t i = first_good; i < torrents.size(); ++i) {
    std::vector<tcp::endpoint> seeders;
    for (const auto& ep : net.seeders_of(i)) seeders.push_back(ep);
    fetcher.fetch(torrents[i].info_hashes, seeders, [&, i](Result<std::string> r) {
      ++good_done;
      last_good = Clock::now() - start;
      if (r && *r == torrents[i].info_dict) ++good_ok;
    });
  }

  auto all_done = [&] {
    if (good_done != torrents.size() - first_good) return false;
    for (const auto& [b, r] : hostile_results) {
      if (!r) return false;
    }
    return true;
  };
  ASSERT_TRUE(run_until(io, all_done, std::chrono::seconds(30)));

  EXPECT_EQ(good_ok, torrents.size() - first_good);
  // Good fetches did not wait for the hostile peers' deadlines.
  EXPECT_LT(last_good, kTestHandshakeDeadline)
      << std::chrono::duration_cast<std::chrono::milliseconds>(last_good).count() << " ms";
  for (const auto& [behaviour, errc] : expected) {
    const auto& r = hostile_results[behaviour];
    ASSERT_TRUE(r.has_value());
    ASSERT_FALSE(*r) << "behaviour " << static_cast<int>(behaviour) << " gave metadata";
    EXPECT_EQ(r->error().code, make_error_code(errc))
        << "behaviour " << static_cast<int>(behaviour) << ": " << r->error().message();
  }
  const auto stats = fetcher.stats();
  EXPECT_EQ(stats.open_connections, 0u);
  EXPECT_EQ(stats.active_fetches, 0u);
  fetcher.stop();
}

TEST(HostilePeerTest, APeerNamedInPexServesTheMetadataAnotherPeerRejects) {
  asio::io_context io;
  testnet::GeneratorOptions generator;
  generator.count = 1;
  const auto torrent = testnet::generate_torrents(generator).front();
  MetadataServer server(io);
  ASSERT_TRUE(server.listen({asio::ip::make_address("127.0.0.1"), 0}));
  ASSERT_TRUE(server.add(torrent.info_hashes, torrent.info_dict));
  HostilePeer rejecting(io, Behaviour::kPexThenReject, server.local_endpoint());

  MetadataFetcher fetcher(io);
  std::optional<Result<std::string>> result;
  fetcher.fetch(torrent.info_hashes, {rejecting.endpoint()},
                [&](Result<std::string> r) { result = std::move(r); });
  ASSERT_TRUE(run_until(
      io, [&] { return result.has_value(); }, std::chrono::seconds(10)));
  ASSERT_TRUE(*result) << result->error().message();
  EXPECT_EQ(**result, torrent.info_dict);
  EXPECT_EQ(fetcher.stats().pex_candidates, 1u);
}

TEST(HostilePeerTest, WithoutAnotherPeerARejectingPeerEndsInRejected) {
  asio::io_context io;
  testnet::GeneratorOptions generator;
  generator.count = 1;
  const auto torrent = testnet::generate_torrents(generator).front();
  HostilePeer rejecting(io, Behaviour::kRejectAll);
  MetadataFetcherConfig config;
  config.use_pex = false;
  MetadataFetcher fetcher(io, config);
  std::optional<Result<std::string>> result;
  fetcher.fetch(torrent.info_hashes, {rejecting.endpoint()},
                [&](Result<std::string> r) { result = std::move(r); });
  ASSERT_TRUE(run_until(
      io, [&] { return result.has_value(); }, std::chrono::seconds(10)));
  ASSERT_FALSE(*result);
  EXPECT_EQ(result->error().code, make_error_code(SessionErrc::kRejected));
  EXPECT_EQ(fetcher.stats().pex_candidates, 0u);
}

}  // namespace
}  // namespace magnetar::crawler::wire
