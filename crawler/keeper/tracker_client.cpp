#include "crawler/keeper/tracker_client.hpp"

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <list>
#include <optional>
#include <random>
#include <utility>

#include "crawler/keeper/http_tracker.hpp"
#include "crawler/keeper/tracker_errors.hpp"
#include "crawler/keeper/tracker_url.hpp"
#include "crawler/keeper/udp_tracker.hpp"

namespace magnetar::crawler::keeper {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace {

// A UDP reply is small (20 bytes + 6 per peer; we keep kMaxTrackerPeers).
constexpr std::size_t kUdpReceiveBuffer = 64 * 1024;

Error system_error(const boost::system::error_code& ec) {
  return Error(std::error_code(ec.value(), std::system_category()));
}

}  // namespace

struct TrackerOp;

struct TrackerClient::Impl : std::enable_shared_from_this<TrackerClient::Impl> {
  Impl(asio::io_context& i, std::chrono::milliseconds t) : io(i), timeout(t) {}
  asio::io_context& io;
  std::chrono::milliseconds timeout;
  std::optional<asio::ip::address> bind_address;
  std::list<std::shared_ptr<TrackerOp>> ops;
  TrackerClientStats stats;
  std::mt19937 transaction_ids{std::random_device{}()};
  bool stopped = false;

  void finish(TrackerOp& op, Result<TrackerReply> result);
};

struct TrackerOp : std::enable_shared_from_this<TrackerOp> {
  TrackerOp(TrackerClient::Impl& o, TrackerUrl u, TrackerAnnounce a, TrackerCallback d)
      : owner(&o),
        url(std::move(u)),
        announce(std::move(a)),
        done(std::move(d)),
        timer(o.io),
        tcp_resolver(o.io),
        udp_resolver(o.io),
        tcp_socket(o.io),
        udp_socket(o.io) {}

  TrackerClient::Impl* owner;  // null once finished
  TrackerUrl url;
  TrackerAnnounce announce;
  TrackerCallback done;
  asio::steady_timer timer;
  tcp::resolver tcp_resolver;
  udp::resolver udp_resolver;
  tcp::socket tcp_socket;
  udp::socket udp_socket;
  udp::endpoint udp_peer;
  udp::endpoint udp_from;
  std::string request;
  std::string response;
  std::array<char, 4096> chunk;
  std::vector<char> udp_buffer;
  std::uint32_t transaction = 0;
  std::list<std::shared_ptr<TrackerOp>>::iterator self;

  void arm() {
    timer.expires_after(owner->timeout);
    timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      auto op = weak.lock();
      if (!op || !op->owner || ec == asio::error::operation_aborted) return;
      op->fail(Error(std::make_error_code(std::errc::timed_out)));
    });
  }

  void fail(Error e) {
    if (owner) owner->finish(*this, std::move(e));
  }

  void shut() {
    owner = nullptr;
    boost::system::error_code ignored;
    timer.cancel();
    tcp_resolver.cancel();
    udp_resolver.cancel();
    tcp_socket.close(ignored);
    udp_socket.close(ignored);
  }

  void start() {
    arm();
    if (url.scheme == TrackerScheme::kHttp) {
      request = http_announce_request(url, announce);
      tcp_resolver.async_resolve(url.host, std::to_string(url.port),
                                 [self = shared_from_this()](const boost::system::error_code& ec,
                                                             tcp::resolver::results_type results) {
                                   if (!self->owner) return;
                                   if (ec) return self->fail(system_error(ec));
                                   self->http_connect(results);
                                 });
    } else {
      udp_resolver.async_resolve(
          url.host, std::to_string(url.port),
          [self = shared_from_this()](const boost::system::error_code& ec,
                                      udp::resolver::results_type results) {
            if (!self->owner) return;
            if (ec || results.empty()) {
              return self->fail(ec ? system_error(ec) : Error(TrackerErrc::kBadUrl));
            }
            self->udp_start(results.begin()->endpoint());
          });
    }
  }

  // A local address of the peer's family to bind to, if any.
  std::optional<asio::ip::address> local_for(const asio::ip::address& peer) const {
    const auto& b = owner->bind_address;
    if (!b || b->is_unspecified() || b->is_v4() != peer.is_v4()) return std::nullopt;
    return b;
  }

  // HTTP: connect, write the GET, read until the tracker closes.
  void http_connect(const tcp::resolver::results_type& results) {
    arm();
    if (results.empty()) return fail(Error(TrackerErrc::kBadUrl));
    const tcp::endpoint peer = results.begin()->endpoint();
    boost::system::error_code ec;
    tcp_socket.open(peer.protocol(), ec);
    if (const auto local = local_for(peer.address()); local && !ec) {
      tcp_socket.bind({*local, 0}, ec);
    }
    if (ec) return fail(system_error(ec));
    tcp_socket.async_connect(
        peer, [self = shared_from_this()](const boost::system::error_code& ec) {
          if (!self->owner) return;
          if (ec) return self->fail(system_error(ec));
          self->arm();
          asio::async_write(self->tcp_socket, asio::buffer(self->request),
                            [self](const boost::system::error_code& wec, std::size_t) {
                              if (!self->owner) return;
                              if (wec) return self->fail(system_error(wec));
                              self->http_read();
                            });
        });
  }

  void http_read() {
    tcp_socket.async_read_some(
        asio::buffer(chunk),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
          if (!self->owner) return;
          self->response.append(self->chunk.data(), n);
          if (self->response.size() > kMaxTrackerReplyBytes + 16 * 1024) {
            return self->fail(Error(TrackerErrc::kTooLarge));
          }
          if (ec == asio::error::eof) return self->http_done();
          if (ec) return self->fail(system_error(ec));
          self->http_read();
        });
  }

  void http_done() {
    auto body = http_response_body(response);
    if (!body) return fail(body.error());
    auto reply = parse_http_announce_reply(*body);
    if (!reply) return fail(reply.error());
    owner->finish(*this, std::move(*reply));
  }

  // UDP: connect, then announce, each waiting for its reply.
  void udp_start(const udp::endpoint& peer) {
    udp_peer = peer;
    boost::system::error_code ec;
    udp_socket.open(peer.protocol(), ec);
    if (const auto local = local_for(peer.address()); local && !ec) {
      udp_socket.bind({*local, 0}, ec);
    }
    if (ec) return fail(system_error(ec));
    udp_buffer.resize(kUdpReceiveBuffer);
    transaction = static_cast<std::uint32_t>(owner->transaction_ids());
    udp_exchange(encode_udp_connect(transaction), [](TrackerOp& op, std::string_view reply) {
      auto id = parse_udp_connect_reply(reply, op.transaction);
      if (!id) return op.fail(id.error());
      op.transaction = static_cast<std::uint32_t>(op.owner->transaction_ids());
      op.udp_exchange(encode_udp_announce(*id, op.transaction, op.announce),
                      [](TrackerOp& op2, std::string_view reply2) {
                        auto r = parse_udp_announce_reply(reply2, op2.transaction,
                                                          op2.udp_peer.address().is_v6());
                        if (!r) return op2.fail(r.error());
                        op2.owner->finish(op2, std::move(*r));
                      });
    });
  }

  template <class OnReply>
  void udp_exchange(std::string packet, OnReply on_reply) {
    arm();
    request = std::move(packet);
    udp_socket.async_send_to(
        asio::buffer(request), udp_peer,
        [self = shared_from_this(), on_reply](const boost::system::error_code& ec, std::size_t) {
          if (!self->owner) return;
          if (ec) return self->fail(system_error(ec));
          self->udp_receive(on_reply);
        });
  }

  template <class OnReply>
  void udp_receive(OnReply on_reply) {
    udp_socket.async_receive_from(
        asio::buffer(udp_buffer), udp_from,
        [self = shared_from_this(), on_reply](const boost::system::error_code& ec, std::size_t n) {
          if (!self->owner) return;
          if (ec) return self->fail(system_error(ec));
          // Only the tracker's replies, and only ours (an old reply or a
          // stranger's packet is ignored while the timer runs).
          if (self->udp_from != self->udp_peer) return self->udp_receive(on_reply);
          const std::string_view reply(self->udp_buffer.data(), n);
          if (reply.size() >= 8) {
            std::uint32_t tid = 0;
            for (int i = 4; i < 8; ++i) tid = (tid << 8) | static_cast<std::uint8_t>(reply[i]);
            if (tid != self->transaction) return self->udp_receive(on_reply);
          }
          on_reply(*self, reply);
        });
  }
};

void TrackerClient::Impl::finish(TrackerOp& op, Result<TrackerReply> result) {
  auto keep = op.shared_from_this();
  ops.erase(op.self);
  op.shut();
  if (result) {
    ++stats.succeeded;
  } else {
    ++stats.failed;
  }
  auto done = std::move(op.done);
  done(std::move(result));
}

TrackerClient::TrackerClient(asio::io_context& io, std::chrono::milliseconds timeout,
                             const std::string& bind_address)
    : impl_(std::make_shared<Impl>(io, timeout)) {
  boost::system::error_code ec;
  if (!bind_address.empty()) {
    const auto a = asio::ip::make_address(bind_address, ec);
    if (!ec) impl_->bind_address = a;
  }
}

TrackerClient::~TrackerClient() { stop(); }

void TrackerClient::announce(const std::string& url_text, const TrackerAnnounce& announce,
                             TrackerCallback done) {
  ++impl_->stats.started;
  auto url = parse_tracker_url(url_text);
  if (impl_->stopped || !url || url->scheme == TrackerScheme::kHttps) {
    Error e = !url ? url.error() : Error(TrackerErrc::kUnsupportedScheme);
    if (impl_->stopped) return;
    ++impl_->stats.failed;
    asio::post(impl_->io, [done = std::move(done), e] { done(e); });
    return;
  }
  auto op = std::make_shared<TrackerOp>(*impl_, std::move(*url), announce, std::move(done));
  impl_->ops.push_front(op);
  op->self = impl_->ops.begin();
  op->start();
}

void TrackerClient::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  auto ops = std::move(impl_->ops);
  impl_->ops.clear();
  for (auto& op : ops) op->shut();
}

TrackerClientStats TrackerClient::stats() const { return impl_->stats; }

}  // namespace magnetar::crawler::keeper
