// Interoperability of our MSE state machines with real libtorrent 2.0.8 on
// 127.0.0.1: our MseInitiator against a libtorrent seeder that forces
// encryption, and our MseResponder accepting libtorrent's outgoing connection.
// Every wait is bounded by kDeadline; nothing leaves the loopback interface.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/bencode.hpp>
#include <libtorrent/create_torrent.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/session_params.hpp>
#include <libtorrent/settings_pack.hpp>
#include <libtorrent/torrent_handle.hpp>
#include <libtorrent/torrent_info.hpp>
#include <libtorrent/torrent_status.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crawler/wire/mse_errors.hpp"
#include "crawler/wire/mse_initiator.hpp"
#include "crawler/wire/mse_responder.hpp"
#include "crawler/wire/mse_skey_index.hpp"
#include "tests/support/temp_dir.hpp"

namespace magnetar::crawler::wire {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kDeadline = std::chrono::seconds(20);
constexpr std::size_t kBtHandshakeSize = 68;

std::string bt_handshake(const InfoHashV1& ih) {
  std::string out =
      "\x13"
      "BitTorrent protocol";
  std::string reserved(8, '\0');
  reserved[5] = 0x10;  // BEP 10 extension protocol
  out += reserved;
  out += ih.view();
  out += "-MG0001-mse-interop1";
  return out;
}

InfoHashV1 to_v1(const lt::sha1_hash& h) {
  return *InfoHashV1::from_bytes(std::string_view(h.data(), h.size()));
}

// Settings every session here uses (testnet-notes.md): loopback only, no
// discovery, no DHT, encryption forced in both directions.
lt::settings_pack loopback_settings(int allowed_enc_level) {
  lt::settings_pack sp;
  sp.set_str(lt::settings_pack::listen_interfaces, "127.0.0.1:0");
  sp.set_str(lt::settings_pack::dht_bootstrap_nodes, "");
  sp.set_bool(lt::settings_pack::enable_dht, false);
  sp.set_bool(lt::settings_pack::enable_lsd, false);
  sp.set_bool(lt::settings_pack::enable_upnp, false);
  sp.set_bool(lt::settings_pack::enable_natpmp, false);
  sp.set_bool(lt::settings_pack::enable_ip_notifier, false);
  // TCP only: libtorrent tries uTP first and falls back to TCP after 3 s, and
  // our socket loops speak TCP.
  sp.set_bool(lt::settings_pack::enable_outgoing_utp, false);
  sp.set_bool(lt::settings_pack::enable_incoming_utp, false);
  sp.set_int(lt::settings_pack::out_enc_policy, lt::settings_pack::pe_forced);
  sp.set_int(lt::settings_pack::in_enc_policy, lt::settings_pack::pe_forced);
  sp.set_int(lt::settings_pack::allowed_enc_level, allowed_enc_level);
  sp.set_bool(lt::settings_pack::prefer_rc4, false);
  sp.set_int(lt::settings_pack::alert_mask, lt::alert_category::status | lt::alert_category::error);
  return sp;
}

// Polls `done` until it holds or the deadline passes, waking on alerts.
bool wait_until(lt::session& ses, const std::function<bool()>& done) {
  const auto end = Clock::now() + kDeadline;
  while (Clock::now() < end) {
    if (done()) return true;
    ses.wait_for_alert(std::chrono::milliseconds(50));
    std::vector<lt::alert*> alerts;
    ses.pop_alerts(&alerts);
  }
  return done();
}

// A blocking TCP socket with a deadline on every read.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  static std::unique_ptr<Socket> connect_to(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return nullptr;
    auto s = std::make_unique<Socket>(fd);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return nullptr;
    return s;
  }

  bool send_all(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Whatever arrives next; empty on EOF, error or deadline.
  std::string receive(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return {};
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return {};
    return std::string(buf, static_cast<std::size_t>(n));
  }

  int fd() const { return fd_; }

 private:
  int fd_;
};

// A listening socket on 127.0.0.1 and an ephemeral port.
class Listener {
 public:
  Listener() : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(socket_.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::listen(socket_.fd(), 8) == 0 &&
        ::getsockname(socket_.fd(), reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  int port() const { return port_; }

  std::unique_ptr<Socket> accept(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{socket_.fd(), POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return nullptr;
    const int fd = ::accept(socket_.fd(), nullptr, nullptr);
    if (fd < 0) return nullptr;
    return std::make_unique<Socket>(fd);
  }

 private:
  Socket socket_;
  int port_ = 0;
};

// A hybrid (v1 + v2) torrent of two small files generated in a temp dir.
struct GeneratedTorrent {
  testing::TempDir dir{"magnetar-mse-lt"};
  std::shared_ptr<lt::torrent_info> info;

  GeneratedTorrent() {
    std::string data(100000, '\0');
    for (std::size_t n = 0; n < data.size(); ++n) data[n] = static_cast<char>(n * 7 + n / 251);
    dir.write("content/a.bin", data);
    dir.write("content/sub/b.txt", "magnetar mse interop\n");
    lt::file_storage fs;
    lt::add_files(fs, (dir.path() / "content").string());
    lt::create_torrent ct(fs, 16384);
    lt::set_piece_hashes(ct, dir.path().string());
    std::vector<char> buf;
    lt::bencode(std::back_inserter(buf), ct.generate());
    info = std::make_shared<lt::torrent_info>(buf, lt::from_span);
  }
};

// One libtorrent session seeding one generated torrent, encryption forced.
class Seeder {
 public:
  explicit Seeder(int allowed_enc_level)
      : session_(lt::session_params(loopback_settings(allowed_enc_level))) {
    lt::add_torrent_params atp;
    atp.ti = torrent_.info;
    atp.save_path = torrent_.dir.path().string();
    atp.flags = lt::torrent_flags::seed_mode;  // not auto-managed, not paused
    handle_ = session_.add_torrent(std::move(atp));
  }

  bool ready() {
    return wait_until(session_, [&] {
      return session_.listen_port() != 0 && handle_.status().state == lt::torrent_status::seeding;
    });
  }
  int port() { return session_.listen_port(); }
  InfoHashV1 v1() const { return to_v1(torrent_.info->info_hashes().v1); }
  const lt::info_hash_t& hashes() const { return torrent_.info->info_hashes(); }

 private:
  GeneratedTorrent torrent_;
  lt::session session_;
  lt::torrent_handle handle_;
};

InfoHashV1 truncated(const lt::sha256_hash& v2) {
  return *InfoHashV1::from_bytes(std::string_view(v2.data(), 20));
}

// Decrypted bytes from `s` until `want` of them arrived (or the deadline).
bool read_at_least(Socket& s, MseCipher& cipher, std::string& got, std::size_t want,
                   Clock::time_point deadline) {
  while (got.size() < want) {
    std::string chunk = s.receive(deadline);
    if (chunk.empty()) return false;
    cipher.decrypt(std::span<char>(chunk));
    got += chunk;
  }
  return true;
}

// A peer-wire message header that libtorrent would send right after its
// handshake: a sane length and a BEP 3/6/10 message id.
void expect_plausible_message(std::string_view bytes) {
  ASSERT_GE(bytes.size(), 5u);
  const std::uint32_t length = (std::uint32_t{static_cast<std::uint8_t>(bytes[0])} << 24) |
                               (std::uint32_t{static_cast<std::uint8_t>(bytes[1])} << 16) |
                               (std::uint32_t{static_cast<std::uint8_t>(bytes[2])} << 8) |
                               static_cast<std::uint8_t>(bytes[3]);
  EXPECT_GT(length, 0u);
  EXPECT_LT(length, 1u << 20);
  const int id = static_cast<std::uint8_t>(bytes[4]);
  EXPECT_TRUE(id <= 9 || (id >= 13 && id <= 17) || id == 20) << "message id " << id;
}

struct OutgoingCase {
  const char* name;
  int allowed_enc_level;
  EncryptionPolicy policy;
  CryptoMethod expected;
  bool handshake_as_ia;
  bool v2_skey;
};

class MseAgainstLibtorrentSeeder : public ::testing::TestWithParam<OutgoingCase> {};

TEST_P(MseAgainstLibtorrentSeeder, HandshakeAndBitTorrentHandshakeRoundTrip) {
  const OutgoingCase& c = GetParam();
  Seeder seeder(c.allowed_enc_level);
  ASSERT_TRUE(seeder.ready()) << "libtorrent did not start seeding within the deadline";
  const InfoHashV1 skey = c.v2_skey ? truncated(seeder.hashes().v2) : seeder.v1();

  auto socket = Socket::connect_to(seeder.port());
  ASSERT_NE(socket, nullptr);
  const auto deadline = Clock::now() + kDeadline;

  MseInitiator mse(skey, c.policy, openssl_random_bytes,
                   c.handshake_as_ia ? bt_handshake(skey) : std::string());
  ASSERT_TRUE(socket->send_all(mse.start()));
  MseStatus status = MseStatus::kNeedMore;
  while (status == MseStatus::kNeedMore) {
    const std::string chunk = socket->receive(deadline);
    ASSERT_FALSE(chunk.empty()) << "libtorrent closed or went silent during MSE";
    MseStep step = mse.feed(chunk);
    status = step.status;
    ASSERT_TRUE(socket->send_all(step.to_send));
  }
  ASSERT_EQ(status, MseStatus::kDone) << mse.error().message();
  MseOutcome& outcome = mse.outcome();
  EXPECT_EQ(outcome.method, c.expected);

  if (!c.handshake_as_ia) {
    std::string hs = bt_handshake(skey);
    outcome.cipher.encrypt(std::span<char>(hs));
    ASSERT_TRUE(socket->send_all(hs));
  }
  std::string got = outcome.payload;
  ASSERT_TRUE(read_at_least(*socket, outcome.cipher, got, kBtHandshakeSize + 5, deadline))
      << "no BitTorrent handshake from libtorrent; got " << got.size() << " bytes";
  EXPECT_EQ(got.substr(0, 20),
            "\x13"
            "BitTorrent protocol");
  EXPECT_EQ(got.substr(28, 20), skey.view());
  EXPECT_NE(static_cast<std::uint8_t>(got[25]) & 0x10, 0) << "libtorrent advertises BEP 10";
  expect_plausible_message(std::string_view(got).substr(kBtHandshakeSize));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MseAgainstLibtorrentSeeder,
    ::testing::Values(
        OutgoingCase{"Rc4HandshakeAsInitialPayload", lt::settings_pack::pe_rc4,
                     EncryptionPolicy::kRequire, CryptoMethod::kRc4, true, false},
        OutgoingCase{"Rc4HandshakeAfterMse", lt::settings_pack::pe_rc4,
                     EncryptionPolicy::kPreferEncrypted, CryptoMethod::kRc4, false, false},
        OutgoingCase{"Rc4TruncatedV2Skey", lt::settings_pack::pe_rc4, EncryptionPolicy::kRequire,
                     CryptoMethod::kRc4, true, true},
        OutgoingCase{"PlaintextSelectedByLibtorrent", lt::settings_pack::pe_both,
                     EncryptionPolicy::kPreferPlaintext, CryptoMethod::kPlaintext, true, false},
        OutgoingCase{"PlaintextAfterMseHandshakeNotInIa", lt::settings_pack::pe_plaintext,
                     EncryptionPolicy::kPreferEncrypted, CryptoMethod::kPlaintext, false, false}),
    [](const ::testing::TestParamInfo<OutgoingCase>& info) {
      return std::string(info.param.name);
    });

TEST(MseAgainstLibtorrentSeeder, UnknownInfohashIsDropped) {
  Seeder seeder(lt::settings_pack::pe_rc4);
  ASSERT_TRUE(seeder.ready());
  auto socket = Socket::connect_to(seeder.port());
  ASSERT_NE(socket, nullptr);
  const auto deadline = Clock::now() + kDeadline;
  const InfoHashV1 unknown = *InfoHashV1::from_hex("00000000000000000000000000000000000000aa");
  MseInitiator mse(unknown, EncryptionPolicy::kRequire, openssl_random_bytes,
                   bt_handshake(unknown));
  ASSERT_TRUE(socket->send_all(mse.start()));
  MseStatus status = MseStatus::kNeedMore;
  bool closed = false;
  while (status == MseStatus::kNeedMore) {
    const std::string chunk = socket->receive(deadline);
    if (chunk.empty()) {
      closed = true;
      break;
    }
    MseStep step = mse.feed(chunk);
    status = step.status;
    socket->send_all(step.to_send);
  }
  EXPECT_TRUE(closed) << "libtorrent accepted an infohash it does not have";
  EXPECT_LT(Clock::now(), deadline);
}

struct IncomingCase {
  const char* name;
  int allowed_enc_level;
  EncryptionPolicy policy;
  CryptoMethod expected;
  bool v2_only_magnet;
};

// A libtorrent session that knows only a torrent's infohash (as from a magnet
// link) and is told to connect to our listener.
class Leecher {
 public:
  Leecher(int allowed_enc_level, bool v2_only_magnet)
      : session_(lt::session_params(loopback_settings(allowed_enc_level))) {
    const lt::info_hash_t hashes = torrent_.info->info_hashes();
    skey_ = v2_only_magnet ? truncated(hashes.v2) : to_v1(hashes.v1);
    lt::add_torrent_params atp;
    if (v2_only_magnet) {
      atp.info_hashes.v2 = hashes.v2;
    } else {
      atp.info_hashes.v1 = hashes.v1;
    }
    atp.save_path = save_.path().string();
    atp.flags = {};  // not auto-managed, not paused
    lt::torrent_handle handle = session_.add_torrent(std::move(atp));
    handle.connect_peer(lt::tcp::endpoint(lt::make_address_v4("127.0.0.1"),
                                          static_cast<std::uint16_t>(listener_.port())));
  }

  const InfoHashV1& skey() const { return skey_; }
  std::unique_ptr<Socket> accept(Clock::time_point deadline) { return listener_.accept(deadline); }

 private:
  GeneratedTorrent torrent_;  // libtorrent never sees its files
  Listener listener_;
  testing::TempDir save_{"magnetar-mse-lt-leech"};
  InfoHashV1 skey_;
  lt::session session_;
};

class LibtorrentAgainstMseResponder : public ::testing::TestWithParam<IncomingCase> {};

TEST_P(LibtorrentAgainstMseResponder, DecryptsLibtorrentsHandshakeAndAnswers) {
  const IncomingCase& c = GetParam();
  Leecher leecher(c.allowed_enc_level, c.v2_only_magnet);
  const InfoHashV1& skey = leecher.skey();
  MseSkeyIndex index;
  index.add(skey);

  const auto deadline = Clock::now() + kDeadline;
  auto socket = leecher.accept(deadline);
  ASSERT_NE(socket, nullptr) << "libtorrent did not connect within the deadline";

  MseResponder mse(index.lookup(), c.policy, openssl_random_bytes);
  MseStatus status = MseStatus::kNeedMore;
  while (status == MseStatus::kNeedMore) {
    const std::string chunk = socket->receive(deadline);
    ASSERT_FALSE(chunk.empty()) << "libtorrent closed or went silent during MSE";
    MseStep step = mse.feed(chunk);
    status = step.status;
    ASSERT_TRUE(socket->send_all(step.to_send));
  }
  ASSERT_EQ(status, MseStatus::kDone) << mse.error().message();
  MseOutcome& outcome = mse.outcome();
  EXPECT_TRUE(outcome.mse);
  EXPECT_EQ(outcome.method, c.expected);
  EXPECT_EQ(outcome.skey, skey);

  // libtorrent sends its BitTorrent handshake as the initial payload.
  std::string got = outcome.payload;
  ASSERT_TRUE(read_at_least(*socket, outcome.cipher, got, kBtHandshakeSize, deadline));
  EXPECT_EQ(got.substr(0, 20),
            "\x13"
            "BitTorrent protocol");
  EXPECT_EQ(got.substr(28, 20), skey.view());

  // Answer it through the cipher: libtorrent goes on with the peer-wire
  // protocol (extension handshake, have_none...), which we decrypt.
  std::string hs = bt_handshake(skey);
  outcome.cipher.encrypt(std::span<char>(hs));
  ASSERT_TRUE(socket->send_all(hs));
  ASSERT_TRUE(read_at_least(*socket, outcome.cipher, got, kBtHandshakeSize + 5, deadline))
      << "libtorrent sent nothing after our handshake";
  expect_plausible_message(std::string_view(got).substr(kBtHandshakeSize));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LibtorrentAgainstMseResponder,
    ::testing::Values(IncomingCase{"Rc4", lt::settings_pack::pe_rc4, EncryptionPolicy::kRequire,
                                   CryptoMethod::kRc4, false},
                      IncomingCase{"Rc4V2OnlyMagnet", lt::settings_pack::pe_rc4,
                                   EncryptionPolicy::kPreferEncrypted, CryptoMethod::kRc4, true},
                      IncomingCase{"PlaintextSelectedByUs", lt::settings_pack::pe_both,
                                   EncryptionPolicy::kPreferPlaintext, CryptoMethod::kPlaintext,
                                   false}),
    [](const ::testing::TestParamInfo<IncomingCase>& info) {
      return std::string(info.param.name);
    });

TEST(LibtorrentAgainstMseResponder, RequireRefusesAPeerOfferingOnlyPlaintext) {
  Leecher leecher(lt::settings_pack::pe_plaintext, false);
  MseSkeyIndex index;
  index.add(leecher.skey());
  const auto deadline = Clock::now() + kDeadline;
  auto socket = leecher.accept(deadline);
  ASSERT_NE(socket, nullptr) << "libtorrent did not connect within the deadline";
  MseResponder mse(index.lookup(), EncryptionPolicy::kRequire, openssl_random_bytes);
  MseStatus status = MseStatus::kNeedMore;
  while (status == MseStatus::kNeedMore) {
    const std::string chunk = socket->receive(deadline);
    ASSERT_FALSE(chunk.empty()) << "libtorrent closed or went silent during MSE";
    MseStep step = mse.feed(chunk);
    status = step.status;
    socket->send_all(step.to_send);
  }
  ASSERT_EQ(status, MseStatus::kFailed);
  EXPECT_EQ(mse.error().code, make_error_code(MseErrc::kNoCommonCryptoMethod));
}

TEST(MseAgainstLibtorrentSeeder, RequireAgainstAPlaintextOnlyPeerEndsWithoutFallback) {
  Seeder seeder(lt::settings_pack::pe_plaintext);
  ASSERT_TRUE(seeder.ready());
  auto socket = Socket::connect_to(seeder.port());
  ASSERT_NE(socket, nullptr);
  const auto deadline = Clock::now() + kDeadline;
  MseInitiator mse(seeder.v1(), EncryptionPolicy::kRequire, openssl_random_bytes,
                   bt_handshake(seeder.v1()));
  ASSERT_TRUE(socket->send_all(mse.start()));
  bool closed = false;
  while (mse.status() == MseStatus::kNeedMore) {
    const std::string chunk = socket->receive(deadline);
    if (chunk.empty()) {
      closed = true;
      break;
    }
    socket->send_all(mse.feed(chunk).to_send);
  }
  // libtorrent finds no method it allows in our crypto_provide and hangs up.
  EXPECT_TRUE(closed);
  EXPECT_EQ(mse.status(), MseStatus::kNeedMore);
  EXPECT_LT(Clock::now(), deadline);
  EXPECT_EQ(fallback_connect_mode(EncryptionPolicy::kRequire, ConnectMode::kMse), std::nullopt);
}

}  // namespace
}  // namespace magnetar::crawler::wire
