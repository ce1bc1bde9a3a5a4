#include "crawler/wire/metadata_server.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <list>
#include <span>
#include <utility>

#include "crawler/wire/dh_group.hpp"
#include "crawler/wire/metadata_server_session.hpp"
#include "crawler/wire/metadata_store.hpp"
#include "crawler/wire/mse_random.hpp"
#include "crawler/wire/mse_responder.hpp"

namespace magnetar::crawler::wire {

namespace asio = boost::asio;
using asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

// Shared by every connection of the server (one thread): no per-connection
// read buffer.
constexpr std::size_t kServerReadBufferSize = 16 * 1024;
// Input handed to the session at a time, so that output is checked against
// kMaxServerOutput every few requests (a ut_metadata request is ~50 bytes).
constexpr std::size_t kFeedSlice = 256;

PeerId random_server_peer_id() {
  std::array<std::uint8_t, 20> bytes{};
  constexpr std::string_view kPrefix = "-MG0001-";
  std::memcpy(bytes.data(), kPrefix.data(), kPrefix.size());
  openssl_random_bytes(std::span<std::uint8_t>(bytes).subspan(kPrefix.size()));
  return PeerId(bytes);
}

}  // namespace

struct ServerConnection;

struct MetadataServer::Impl : std::enable_shared_from_this<MetadataServer::Impl> {
  Impl(asio::io_context& i, MetadataServerOptions o) : io(i), options(std::move(o)), acceptor(i) {
    if (options.peer_id == PeerId()) options.peer_id = random_server_peer_id();
    session_config.peer_id = options.peer_id;
    session_config.client = options.client;
  }

  asio::io_context& io;
  MetadataServerOptions options;
  MetadataServerConfig session_config;
  MetadataStore store;
  RandomBytes random = openssl_random_bytes;
  tcp::acceptor acceptor;
  std::array<char, kServerReadBufferSize> read_buffer;
  std::list<std::shared_ptr<ServerConnection>> connections;
  bool stopped = false;
  MetadataServerStats stats;
  // The MSE group with its precomputed tables, made once: the server's
  // handshakes all run on its one thread.
  DhGroup dh_group;

  void accept();
  void on_accept(const boost::system::error_code& ec, tcp::socket socket);
  void release(ServerConnection& c);
  void stop();
  MetadataSource& source() { return options.source ? *options.source : store; }
  const MseSkeyIndex& skey_index() const {
    return options.skey_index ? *options.skey_index : store.skey_index();
  }
};

struct ServerConnection : std::enable_shared_from_this<ServerConnection> {
  ServerConnection(MetadataServer::Impl& o, tcp::socket s)
      : owner(&o),
        socket(std::move(s)),
        timer(o.io),
        responder(std::make_unique<MseResponder>(o.skey_index().lookup(), o.options.encryption,
                                                 o.random,
                                                 MseOptions{o.options.mse_max_pad, &o.dh_group})),
        session(o.source(), o.session_config) {}

  MetadataServer::Impl* owner;  // null once closed
  tcp::socket socket;
  asio::steady_timer timer;
  std::unique_ptr<MseResponder> responder;  // until the first handshake is done
  std::unique_ptr<MseCipher> cipher;        // RC4 after MSE, when selected
  MetadataServerSession session;
  std::string unfed;  // received, decrypted, not yet given to the session
  std::string writing;
  std::string pending;
  bool write_in_flight = false;
  bool reading = false;
  bool closing = false;  // close once the queued output is written
  bool handshake_seen = false;
  std::size_t pieces = 0;
  SteadyClock::time_point deadline;
  std::list<std::shared_ptr<ServerConnection>>::iterator self;

  bool closed() const { return owner == nullptr; }
  std::size_t queued_output() const { return writing.size() + pending.size(); }

  void start() {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    socket.non_blocking(true, ignored);
    deadline = SteadyClock::now() + owner->options.handshake_deadline;
    arm_timer();
    wait_readable();
  }

  void arm_timer() {
    timer.expires_at(deadline);
    timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (self->closed() || ec == asio::error::operation_aborted) return;
      if (SteadyClock::now() < self->deadline) return self->arm_timer();
      self->session.on_deadline();
      self->close();
    });
  }

  void wait_readable() {
    if (reading || closed() || closing) return;
    reading = true;
    socket.async_wait(tcp::socket::wait_read,
                      [self = shared_from_this()](const boost::system::error_code& ec) {
                        self->reading = false;
                        self->on_readable(ec);
                      });
  }

  void on_readable(const boost::system::error_code& ec) {
    if (closed()) return;
    if (ec) return close();
    boost::system::error_code read_ec;
    const std::size_t n = socket.read_some(asio::buffer(owner->read_buffer), read_ec);
    if (read_ec == asio::error::would_block || read_ec == asio::error::try_again) {
      return wait_readable();
    }
    if (read_ec) {
      session.on_closed();
      return close();
    }
    on_data(owner->read_buffer.data(), n);
    if (closed()) return;
    if (unfed.empty() && queued_output() < kMaxServerOutput) wait_readable();
  }

  void on_data(char* data, std::size_t size) {
    if (responder) {
      MseStep step = responder->feed(std::string_view(data, size));
      if (!step.to_send.empty()) send(std::move(step.to_send));
      if (step.status == MseStatus::kFailed) return close();
      if (step.status == MseStatus::kNeedMore) return;
      MseOutcome& outcome = responder->outcome();
      if (outcome.mse) ++owner->stats.mse_connections;
      if (outcome.cipher.encrypted()) {
        cipher = std::make_unique<MseCipher>(std::move(outcome.cipher));
      }
      unfed = std::move(outcome.payload);
      responder.reset();
    } else {
      if (cipher) cipher->decrypt(std::span<char>(data, size));
      unfed.append(data, size);
    }
    feed_session();
  }

  // Gives buffered input to the session while the queued output is under
  // its cap; the rest waits until the socket drained.
  void feed_session() {
    std::size_t fed = 0;
    while (fed < unfed.size() && !session.finished() && queued_output() < kMaxServerOutput) {
      const std::size_t take = std::min(kFeedSlice, unfed.size() - fed);
      session.on_bytes(std::string_view(unfed).substr(fed, take));
      fed += take;
      flush_session();
      if (closed()) return;
    }
    unfed.erase(0, fed);
    if (session.info_hash() && !handshake_seen) {
      handshake_seen = true;
      deadline = SteadyClock::now() + owner->options.idle_deadline;
    }
    if (session.pieces_served() != pieces) {
      if (pieces == 0 && owner->options.on_served && session.info_hash()) {
        owner->options.on_served(*session.info_hash());
      }
      owner->stats.pieces_served += session.pieces_served() - pieces;
      pieces = session.pieces_served();
      deadline = SteadyClock::now() + owner->options.idle_deadline;
    }
    if (session.finished()) {
      if (session.close_reason() == SessionErrc::kUnknownInfohash) {
        ++owner->stats.unknown_infohash;
      }
      closing = true;
      if (!write_in_flight) close();
    }
  }

  void flush_session() {
    if (!session.has_output()) return;
    std::string out = session.take_output();
    if (cipher) cipher->encrypt(std::span<char>(out));
    send(std::move(out));
  }

  void send(std::string bytes) {
    if (bytes.empty()) return;
    if (write_in_flight) {
      pending += bytes;
      return;
    }
    writing = std::move(bytes);
    write_in_flight = true;
    asio::async_write(socket, asio::buffer(writing),
                      [self = shared_from_this()](const boost::system::error_code& ec,
                                                  std::size_t) { self->on_written(ec); });
  }

  void on_written(const boost::system::error_code& ec) {
    write_in_flight = false;
    if (closed()) return;
    if (ec) return close();
    writing.clear();
    if (!pending.empty()) {
      std::string next = std::move(pending);
      pending.clear();
      send(std::move(next));
      return;
    }
    if (closing) return close();
    // Output drained: continue with input held back by the cap.
    if (!unfed.empty()) {
      feed_session();
      if (closed()) return;
    }
    if (unfed.empty() && queued_output() < kMaxServerOutput) wait_readable();
  }

  void close() {
    if (closed()) return;
    auto keep = shared_from_this();
    MetadataServer::Impl* impl = owner;
    shut();
    impl->release(*this);
  }

  void shut() {
    owner = nullptr;
    boost::system::error_code ignored;
    socket.close(ignored);
    timer.cancel();
  }
};

void MetadataServer::Impl::accept() {
  // The handler may run after the server is gone (stop() cancels it).
  acceptor.async_accept(
      [weak = weak_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
        if (auto self = weak.lock()) self->on_accept(ec, std::move(socket));
      });
}

void MetadataServer::Impl::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
  if (stopped || ec == asio::error::operation_aborted) return;
  if (!ec) {
    ++stats.accepted;
    if (connections.size() >= options.max_connections) {
      ++stats.refused_over_limit;
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      auto c = std::make_shared<ServerConnection>(*this, std::move(socket));
      connections.push_front(c);
      c->self = connections.begin();
      c->start();
    }
  }
  // Errors such as EMFILE are transient: keep accepting.
  accept();
}

void MetadataServer::Impl::release(ServerConnection& c) { connections.erase(c.self); }

void MetadataServer::Impl::stop() {
  if (stopped) return;
  stopped = true;
  boost::system::error_code ignored;
  acceptor.close(ignored);
  auto open = std::move(connections);
  connections.clear();
  for (auto& c : open) c->shut();
}

MetadataServer::MetadataServer(asio::io_context& io, MetadataServerOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

MetadataServer::~MetadataServer() { stop(); }

Status MetadataServer::listen(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  tcp::acceptor& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(tcp::acceptor::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    a.close(ignored);
    return Error(std::error_code(ec.value(), std::system_category()));
  }
  impl_->accept();
  return Ok{};
}

tcp::endpoint MetadataServer::local_endpoint() const {
  boost::system::error_code ec;
  return impl_->acceptor.local_endpoint(ec);
}

Status MetadataServer::add(const InfoHashes& hashes, std::string info_dict) {
  return impl_->store.add(hashes, std::move(info_dict));
}

void MetadataServer::remove(const InfoHashes& hashes) { impl_->store.remove(hashes); }

bool MetadataServer::serves(const InfoHashV1& id) const { return impl_->store.contains(id); }

void MetadataServer::stop() { impl_->stop(); }

MetadataServerStats MetadataServer::stats() const {
  MetadataServerStats s = impl_->stats;
  s.open_connections = impl_->connections.size();
  return s;
}

}  // namespace magnetar::crawler::wire
