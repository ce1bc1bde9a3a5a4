// MetadataFetcher's one more try for a peer that accepts the TCP connection
// and closes it before its BitTorrent handshake (as libtorrent 2.0.8 does on
// 1 MSE exchange in 256, and as a busy peer does): a doorman in front of our
// MetadataServer closes the first connections it accepts and relays the
// others, so the test knows exactly how many attempts were made and when.
#include <utility>  // before asio's awaitable.hpp on GCC 12 (pitfalls.md)
//
#include <gtest/gtest.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crawler/wire/fetch_errors.hpp"
#include "crawler/wire/metadata_fetcher.hpp"
#include "crawler/wire/metadata_server.hpp"
#include "crawler/wire/session_errors.hpp"
#include "tests/crawler/wire/net_test_support.hpp"
#include "tests/crawler/wire/wire_test_support.hpp"

namespace magnetar::crawler::wire {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using testing::Clock;
using testing::run_until;

constexpr auto kTestRetryDelay = std::chrono::milliseconds(200);

// 2 metadata pieces, served under its v1 hash.
struct Torrent {
  std::string info_dict = testing::make_info_dict(20'000);
  InfoHashes info_hashes{testing::v1_of(info_dict), std::nullopt};
};

const Torrent& torrent() {
  static const Torrent one;
  return one;
}

// Accepts connections; closes the first `closes` of them at once, relays the
// others to `upstream` both ways.
class Doorman {
 public:
  Doorman(asio::io_context& io, tcp::endpoint upstream, std::size_t closes)
      : io_(io),
        acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        upstream_(upstream),
        closes_(closes) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
  }
  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
  const std::vector<Clock::time_point>& accepted() const { return accepted_; }
  void close() { acceptor_.close(); }

 private:
  awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket socket = co_await acceptor_.async_accept(use_awaitable);
      accepted_.push_back(Clock::now());
      if (accepted_.size() <= closes_) {
        socket.close();
        continue;
      }
      auto down = std::make_shared<tcp::socket>(std::move(socket));
      auto up = std::make_shared<tcp::socket>(io_);
      co_await up->async_connect(upstream_, use_awaitable);
      asio::co_spawn(io_, pipe(down, up), asio::detached);
      asio::co_spawn(io_, pipe(up, down), asio::detached);
    }
  }

  // Copies `from` to `to` until `from` ends, then closes both.
  static awaitable<void> pipe(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
    std::array<char, 16 * 1024> buffer;
    try {
      for (;;) {
        const std::size_t n = co_await from->async_read_some(asio::buffer(buffer), use_awaitable);
        co_await asio::async_write(*to, asio::buffer(buffer, n), use_awaitable);
      }
    } catch (const boost::system::system_error&) {
    }
    boost::system::error_code ignored;
    from->close(ignored);
    to->close(ignored);
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  tcp::endpoint upstream_;
  std::size_t closes_;
  std::vector<Clock::time_point> accepted_;
};

class MetadataFetcherRetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MetadataServerOptions options;
    options.encryption = EncryptionPolicy::kPreferEncrypted;  // plaintext and MSE
    server_.emplace(io_, options);
    const Status listening = server_->listen({asio::ip::make_address("127.0.0.1"), 0});
    ASSERT_TRUE(listening) << listening.error().message();
    const Status added = server_->add(torrent().info_hashes, torrent().info_dict);
    ASSERT_TRUE(added) << added.error().message();
  }

  MetadataFetcherConfig config(EncryptionPolicy policy) const {
    MetadataFetcherConfig c;
    c.encryption = policy;
    c.refused_retry_delay = kTestRetryDelay;
    return c;
  }

  // One fetch through a doorman closing the first `closes` connections.
  Result<std::string> fetch_through(Doorman& doorman, MetadataFetcher& fetcher) {
    std::optional<Result<std::string>> result;
    fetcher.fetch(torrent().info_hashes, {doorman.endpoint()},
                  [&](Result<std::string> r) { result = std::move(r); });
    EXPECT_TRUE(run_until(io_, [&] { return result.has_value(); }));
    return result ? std::move(*result) : Result<std::string>(Error(FetchErrc::kCancelled));
  }

  asio::io_context io_;
  std::optional<MetadataServer> server_;
};

TEST_F(MetadataFetcherRetryTest, PeerClosingBeforeItsHandshakeIsTriedOnceMoreAfterTheDelay) {
  Doorman doorman(io_, server_->local_endpoint(), 1);
  MetadataFetcher fetcher(io_, config(EncryptionPolicy::kRequire));
  const Result<std::string> r = fetch_through(doorman, fetcher);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, torrent().info_dict);
  ASSERT_EQ(doorman.accepted().size(), 2u);
  EXPECT_GE(doorman.accepted()[1] - doorman.accepted()[0], kTestRetryDelay);
  EXPECT_EQ(fetcher.stats().refused_retries, 1u);
  EXPECT_EQ(fetcher.stats().fallback_retries, 0u);
  EXPECT_EQ(server_->stats().mse_connections, 1u);
}

TEST_F(MetadataFetcherRetryTest, SecondCloseBeforeTheHandshakeIsFinal) {
  Doorman doorman(io_, server_->local_endpoint(), 2);
  MetadataFetcher fetcher(io_, config(EncryptionPolicy::kRequire));
  const Result<std::string> r = fetch_through(doorman, fetcher);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(SessionErrc::kRefused));
  EXPECT_EQ(doorman.accepted().size(), 2u);
  EXPECT_EQ(fetcher.stats().refused_retries, 1u);
}

TEST_F(MetadataFetcherRetryTest, PlaintextFirstRetriesInMseInsteadOfWaiting) {
  // The fallback to the other mode is the one retry: a peer closing on our
  // plaintext handshake may want MSE, and gets it without the delay.
  Doorman doorman(io_, server_->local_endpoint(), 1);
  MetadataFetcher fetcher(io_, config(EncryptionPolicy::kPreferPlaintext));
  const Result<std::string> r = fetch_through(doorman, fetcher);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, torrent().info_dict);
  EXPECT_EQ(fetcher.stats().fallback_retries, 1u);
  EXPECT_EQ(fetcher.stats().refused_retries, 0u);
  EXPECT_EQ(server_->stats().mse_connections, 1u);
}

TEST_F(MetadataFetcherRetryTest, FailedTcpConnectIsNotRetried) {
  Doorman doorman(io_, server_->local_endpoint(), 0);
  const tcp::endpoint nobody = doorman.endpoint();
  doorman.close();
  MetadataFetcher fetcher(io_, config(EncryptionPolicy::kRequire));
  std::optional<Result<std::string>> result;
  fetcher.fetch(torrent().info_hashes, {nobody}, [&](Result<std::string> r) { result = r; });
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  ASSERT_FALSE(*result);
  EXPECT_EQ(result->error().code, make_error_code(SessionErrc::kRefused));
  EXPECT_EQ(fetcher.stats().refused_retries, 0u);
  EXPECT_EQ(fetcher.stats().connections_started, 1u);
}

TEST_F(MetadataFetcherRetryTest, StopDuringTheRetryDelayCancelsTheFetch) {
  Doorman doorman(io_, server_->local_endpoint(), 1);
  auto fetcher = std::make_unique<MetadataFetcher>(io_, config(EncryptionPolicy::kRequire));
  std::optional<Result<std::string>> result;
  fetcher->fetch(torrent().info_hashes, {doorman.endpoint()},
                 [&](Result<std::string> r) { result = std::move(r); });
  ASSERT_TRUE(run_until(io_, [&] { return fetcher->stats().refused_retries == 1; }));
  EXPECT_FALSE(result.has_value());  // waiting for the retry
  fetcher.reset();                   // stop() and destroy with the timer pending
  ASSERT_TRUE(run_until(
      io_, [&] { return result.has_value(); }, std::chrono::seconds(5)));
  ASSERT_FALSE(*result);
  EXPECT_EQ(result->error().code, make_error_code(FetchErrc::kCancelled));
  // The timer's time passes without the destroyed fetcher being touched.
  const auto until = Clock::now() + 2 * kTestRetryDelay;
  run_until(
      io_, [&] { return Clock::now() >= until; }, 4 * kTestRetryDelay);
  EXPECT_EQ(doorman.accepted().size(), 1u);
}

}  // namespace
}  // namespace magnetar::crawler::wire
