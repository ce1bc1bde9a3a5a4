#include "crawler/wire/metadata_fetcher.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <deque>
#include <list>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>

#include "crawler/wire/dh_group.hpp"
#include "crawler/wire/fetch_errors.hpp"
#include "crawler/wire/mse_errors.hpp"
#include "crawler/wire/mse_initiator.hpp"
#include "crawler/wire/mse_random.hpp"
#include "crawler/wire/session_errors.hpp"
#include "crawler/wire/tcp_endpoint.hpp"

namespace magnetar::crawler::wire {

namespace asio = boost::asio;
using asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

// One read syscall's worth: all connections of the thread share it, so it
// costs nothing per connection. A connection reads at most this many times
// per readiness event before yielding to others (fairness under a flood).
constexpr std::size_t kReadBufferSize = 64 * 1024;
constexpr int kMaxReadsPerWakeup = 4;

// The key of the per-IP limit: the address as IPv6 bytes (v4-mapped for IPv4).
using IpKey = std::array<std::uint8_t, 16>;

IpKey ip_key(const tcp::endpoint& ep) {
  const asio::ip::address a = ep.address();
  if (a.is_v4()) return asio::ip::make_address_v6(asio::ip::v4_mapped, a.to_v4()).to_bytes();
  return a.to_v6().to_bytes();
}

struct IpKeyHash {
  std::size_t operator()(const IpKey& k) const noexcept {
    std::uint64_t a;
    std::uint64_t b;
    std::memcpy(&a, k.data(), 8);
    std::memcpy(&b, k.data() + 8, 8);
    return static_cast<std::size_t>((a * 0x9E3779B97F4A7C15ull) ^ (b + (a >> 29)));
  }
};

// How much a connection's failure says about the torrent, to report the most
// informative one when every candidate failed: a peer that served metadata
// that does not hash right says more than one that was not there.
int informativeness(const std::error_code& code) {
  if (code.category() == make_error_code(SessionErrc::kRefused).category()) {
    switch (static_cast<SessionErrc>(code.value())) {
      case SessionErrc::kHashMismatch:
        return 10;
      case SessionErrc::kTooLarge:
        return 9;
      case SessionErrc::kRejected:
        return 8;
      case SessionErrc::kNoUtMetadata:
      case SessionErrc::kNoMetadataSize:
        return 7;
      case SessionErrc::kNoExtensionProtocol:
        return 6;
      case SessionErrc::kProtocolError:
      case SessionErrc::kMessageTooLarge:
        return 5;
      case SessionErrc::kInfohashMismatch:
      case SessionErrc::kBadHandshake:
        return 4;
      case SessionErrc::kClosed:
        return 3;
      case SessionErrc::kTimeout:
        return 2;
      case SessionErrc::kRefused:
        return 1;
      default:
        return 1;
    }
  }
  if (code.category() == make_error_code(MseErrc::kSyncNotFound).category()) return 3;
  return 0;
}

PeerId random_peer_id() {
  std::array<std::uint8_t, 20> bytes{};
  constexpr std::string_view kPrefix = "-MG0001-";  // Azureus-style client id
  std::memcpy(bytes.data(), kPrefix.data(), kPrefix.size());
  openssl_random_bytes(std::span<std::uint8_t>(bytes).subspan(kPrefix.size()));
  return PeerId(bytes);
}

}  // namespace

struct Connection;

struct Fetch {
  ExpectedInfoHash target;
  std::vector<tcp::endpoint> candidates;  // given, then from PEX; deduplicated
  std::size_t next_candidate = 0;
  std::size_t active = 0;  // connections queued or open
  std::vector<Connection*> open;
  FetchCallback done;
  bool finished = false;
  std::optional<Error> best_error;
  int best_rank = -1;
  std::list<std::shared_ptr<Fetch>>::iterator self;

  explicit Fetch(ExpectedInfoHash t) : target(std::move(t)) {}

  void note_error(const Error& e) {
    const int rank = informativeness(e.code);
    if (rank > best_rank) {
      best_rank = rank;
      best_error = e;
    }
  }
};

struct ConnectRequest {
  std::shared_ptr<Fetch> fetch;
  tcp::endpoint endpoint;
  ConnectMode mode = ConnectMode::kPlaintext;
  bool retry = false;  // already the fallback or refused retry: no other
};

// A connection to try again once its timer fires; it keeps its fetch open
// (counted in Fetch::active) meanwhile.
struct DelayedRetry {
  DelayedRetry(asio::io_context& io, ConnectRequest r) : timer(io), request(std::move(r)) {}
  asio::steady_timer timer;
  ConnectRequest request;
  bool cancelled = false;  // by stop(): the handler must not touch the fetcher
  std::list<std::shared_ptr<DelayedRetry>>::iterator self;
};

struct Connection : std::enable_shared_from_this<Connection> {
  Connection(MetadataFetcher::Impl& o, ConnectRequest r, asio::io_context& io,
             MetadataSessionConfig session_config)
      : owner(&o),
        request(std::move(r)),
        socket(io),
        timer(io),
        session(request.fetch->target, std::move(session_config)) {}

  MetadataFetcher::Impl* owner;  // null once closed: the fetcher may be gone
  ConnectRequest request;
  tcp::socket socket;
  asio::steady_timer timer;
  MetadataSession session;
  std::unique_ptr<MseInitiator> mse;  // during the MSE handshake
  std::unique_ptr<MseCipher> cipher;  // after it, when RC4 was selected
  std::string writing;                // the buffer of the write in flight
  std::string pending;                // queued behind it
  bool write_in_flight = false;
  bool connected = false;
  bool fetching = false;
  std::size_t pieces = 0;
  SteadyClock::time_point deadline;
  std::list<std::shared_ptr<Connection>>::iterator self;

  bool closed() const { return owner == nullptr; }

  void start();
  void arm_timer();
  void on_timer(const boost::system::error_code& ec);
  void on_connect(const boost::system::error_code& ec);
  void wait_readable();
  void on_readable(const boost::system::error_code& ec);
  void on_data(char* data, std::size_t size);
  void flush_session();
  void send(std::string bytes);
  void on_written(const boost::system::error_code& ec);
  void after_session_step();
  void finish_with(std::optional<Error> mse_error, bool connect_failed);
  // The retry a connection that ended this way deserves, if any.
  enum class Retry { kNone, kFallback, kRefused, kRefusedNow };
  // Closes the socket and stops the timer; pending handlers return quietly.
  void shut() {
    owner = nullptr;
    boost::system::error_code ignored;
    // An abortive close (RST): a finished fetch has nothing left to say, and
    // thousands of fetches a second would otherwise each leave a local port
    // in TIME_WAIT for a minute.
    if (connected) socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
    timer.cancel();
  }
};

struct MetadataFetcher::Impl {
  Impl(asio::io_context& i, MetadataFetcherConfig c) : io(i), config(std::move(c)) {
    if (config.peer_id == PeerId()) config.peer_id = random_peer_id();
    session_config.peer_id = config.peer_id;
    session_config.client = config.client;
    session_config.ut_pex_id = config.use_pex ? kLocalUtPexId : 0;
    config.max_connections = std::max<std::size_t>(1, config.max_connections);
    config.max_connections_per_ip = std::max<std::size_t>(1, config.max_connections_per_ip);
    config.connections_per_fetch = std::max<std::size_t>(1, config.connections_per_fetch);
    config.max_candidates_per_fetch = std::max<std::size_t>(1, config.max_candidates_per_fetch);
  }

  asio::io_context& io;
  MetadataFetcherConfig config;
  MetadataSessionConfig session_config;
  RandomBytes random = openssl_random_bytes;
  DhGroup dh_group;
  std::array<char, kReadBufferSize> read_buffer;
  std::list<std::shared_ptr<Fetch>> fetches;
  std::list<std::shared_ptr<Connection>> connections;
  std::deque<ConnectRequest> queue;
  std::list<std::shared_ptr<DelayedRetry>> delayed;
  std::unordered_map<IpKey, std::size_t, IpKeyHash> per_ip;
  std::unordered_map<IpKey, std::deque<ConnectRequest>, IpKeyHash> ip_waiting;
  std::size_t queued = 0;  // in `queue` and `ip_waiting`
  bool stopped = false;
  MetadataFetcherStats stats;

  void fetch(ExpectedInfoHash target, std::vector<tcp::endpoint> candidates, FetchCallback done) {
    ++stats.fetches_started;
    if (stopped || candidates.empty()) {
      ++stats.fetches_failed;
      const Error error = stopped ? Error(FetchErrc::kCancelled) : Error(FetchErrc::kNoPeers);
      asio::post(io, [done = std::move(done), error] { done(error); });
      return;
    }
    auto f = std::make_shared<Fetch>(std::move(target));
    f->done = std::move(done);
    for (auto& ep : candidates) add_candidate(*f, ep);
    fetches.push_front(f);
    f->self = fetches.begin();
    top_up(f);
    pump();
  }

  bool add_candidate(Fetch& f, const tcp::endpoint& ep) {
    if (f.candidates.size() >= config.max_candidates_per_fetch) return false;
    if (ep.port() == 0) return false;
    if (std::find(f.candidates.begin(), f.candidates.end(), ep) != f.candidates.end()) return false;
    f.candidates.push_back(ep);
    return true;
  }

  // Queues connections to untried candidates up to the per-fetch parallelism.
  void top_up(const std::shared_ptr<Fetch>& f) {
    while (f->active < config.connections_per_fetch && f->next_candidate < f->candidates.size()) {
      enqueue({f, f->candidates[f->next_candidate++], first_connect_mode(config.encryption)});
    }
  }

  void enqueue(ConnectRequest r) {
    ++r.fetch->active;
    ++queued;
    queue.push_back(std::move(r));
  }

  // Starts queued connections while global slots are free; a request whose
  // IP is at its limit waits on that IP until one of its connections ends.
  void pump() {
    while (!stopped && connections.size() < config.max_connections && !queue.empty()) {
      ConnectRequest r = std::move(queue.front());
      queue.pop_front();
      if (r.fetch->finished) {
        --queued;
        continue;
      }
      const IpKey key = ip_key(r.endpoint);
      std::size_t& n = per_ip[key];
      if (n >= config.max_connections_per_ip) {
        ip_waiting[key].push_back(std::move(r));
        continue;
      }
      --queued;
      ++n;
      auto c = std::make_shared<Connection>(*this, std::move(r), io, session_config);
      c->request.fetch->open.push_back(c.get());
      connections.push_front(c);
      c->self = connections.begin();
      ++stats.connections_started;
      c->start();
    }
  }

  // Forgets a connection that ended (or is being cancelled): frees its slot
  // and lets a request waiting on its IP go first.
  void release(Connection& c) {
    const IpKey key = ip_key(c.request.endpoint);
    auto it = per_ip.find(key);
    if (it != per_ip.end() && --it->second == 0) per_ip.erase(it);
    auto waiting = ip_waiting.find(key);
    if (waiting != ip_waiting.end()) {
      queue.push_front(std::move(waiting->second.front()));
      waiting->second.pop_front();
      if (waiting->second.empty()) ip_waiting.erase(waiting);
    }
    Fetch& f = *c.request.fetch;
    --f.active;
    auto pos = std::find(f.open.begin(), f.open.end(), &c);
    if (pos != f.open.end()) f.open.erase(pos);
    connections.erase(c.self);  // may drop the last owner: `c` dies with the handler
  }

  // A connection ended with the session finished (or an MSE failure).
  void connection_done(const std::shared_ptr<Connection>& c, Result<std::string> result,
                       Connection::Retry retry) {
    std::shared_ptr<Fetch> f = c->request.fetch;
    const ConnectRequest request = c->request;
    c->shut();
    release(*c);
    if (f->finished) return pump();
    if (result) return succeed(f, std::move(*result));
    f->note_error(result.error());
    if (!request.retry) {
      // The other mode first: a peer that closes on our mode may want the
      // other one.
      std::optional<ConnectMode> mode;
      if (retry != Connection::Retry::kNone) {
        mode = fallback_connect_mode(config.encryption, request.mode);
      }
      if (mode) {
        ++stats.fallback_retries;
        enqueue({f, request.endpoint, *mode, true});
      } else if (retry == Connection::Retry::kRefused || retry == Connection::Retry::kRefusedNow) {
        ++stats.refused_retries;
        const bool now = retry == Connection::Retry::kRefusedNow;
        retry_later({f, request.endpoint, request.mode, true},
                    now ? std::chrono::milliseconds(0) : config.refused_retry_delay);
      }
    }
    top_up(f);
    pump();
    if (f->active == 0) fail(f);
  }

  // Queues `r` after `delay` (at once when zero).
  void retry_later(ConnectRequest r, std::chrono::milliseconds delay) {
    if (delay <= std::chrono::milliseconds(0)) return enqueue(std::move(r));
    ++r.fetch->active;
    auto d = std::make_shared<DelayedRetry>(io, std::move(r));
    delayed.push_front(d);
    d->self = delayed.begin();
    d->timer.expires_after(delay);
    d->timer.async_wait([this, d](const boost::system::error_code&) {
      if (d->cancelled) return;  // stop() ran; `this` may be gone
      delayed.erase(d->self);
      ConnectRequest request = std::move(d->request);
      std::shared_ptr<Fetch> f = request.fetch;
      --f->active;
      if (f->finished) return;
      enqueue(std::move(request));
      pump();
    });
  }

  void add_pex_peers(const std::shared_ptr<Fetch>& f, const std::vector<PeerEndpoint>& peers) {
    if (f->finished) return;
    for (const PeerEndpoint& p : peers) {
      if (add_candidate(*f, to_tcp(p))) ++stats.pex_candidates;
    }
    top_up(f);
    pump();
  }

  void close_fetch(const std::shared_ptr<Fetch>& f) {
    f->finished = true;
    // Its other connections are cancelled; requests still queued are
    // dropped when they reach the front.
    std::vector<Connection*> open = std::move(f->open);
    for (Connection* other : open) {
      std::shared_ptr<Connection> keep = other->shared_from_this();
      other->shut();
      release(*other);
    }
    fetches.erase(f->self);
  }

  void succeed(const std::shared_ptr<Fetch>& f, std::string info) {
    ++stats.fetches_succeeded;
    close_fetch(f);
    pump();
    FetchCallback done = std::move(f->done);
    done(std::move(info));
  }

  void fail(const std::shared_ptr<Fetch>& f) {
    ++stats.fetches_failed;
    close_fetch(f);
    FetchCallback done = std::move(f->done);
    done(f->best_error ? *f->best_error : Error(SessionErrc::kRefused));
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    auto open = std::move(connections);
    connections.clear();
    for (auto& c : open) c->shut();
    for (auto& d : delayed) {
      d->cancelled = true;
      d->timer.cancel();
    }
    delayed.clear();
    queue.clear();
    ip_waiting.clear();
    per_ip.clear();
    queued = 0;
    auto pending = std::move(fetches);
    fetches.clear();
    for (auto& f : pending) {
      f->finished = true;
      f->open.clear();
      ++stats.fetches_failed;
      asio::post(io, [done = std::move(f->done)] { done(Error(FetchErrc::kCancelled)); });
    }
  }
};

void Connection::start() {
  deadline = SteadyClock::now() + owner->config.handshake_deadline;
  arm_timer();
  socket.async_connect(
      request.endpoint,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_connect(ec); });
}

void Connection::arm_timer() {
  timer.expires_at(deadline);
  timer.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_timer(ec); });
}

void Connection::on_timer(const boost::system::error_code& ec) {
  if (closed() || ec == asio::error::operation_aborted) return;
  // Deadlines only move later; the timer re-arms instead of being cancelled
  // on every piece.
  if (SteadyClock::now() < deadline) return arm_timer();
  session.on_deadline();
  finish_with(std::nullopt, false);
}

void Connection::on_connect(const boost::system::error_code& ec) {
  if (closed()) return;
  if (ec) {
    session.on_closed();  // kRefused
    return finish_with(std::nullopt, true);
  }
  connected = true;
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  socket.non_blocking(true, ignored);
  if (request.mode == ConnectMode::kMse) {
    // The BitTorrent handshake rides in the MSE initial payload (IA).
    MseOptions options;
    options.max_pad = owner->config.mse_max_pad;
    options.dh_group = &owner->dh_group;
    mse = std::make_unique<MseInitiator>(request.fetch->target.id(), owner->config.encryption,
                                         owner->random, session.take_output(), options);
    send(mse->start());
  } else {
    flush_session();
  }
  wait_readable();
}

void Connection::wait_readable() {
  socket.async_wait(
      tcp::socket::wait_read,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void Connection::on_readable(const boost::system::error_code& ec) {
  if (closed()) return;
  if (ec) {
    session.on_closed();
    return finish_with(std::nullopt, false);
  }
  auto keep = shared_from_this();
  for (int reads = 0; reads < kMaxReadsPerWakeup; ++reads) {
    boost::system::error_code read_ec;
    char* buffer = owner->read_buffer.data();
    const std::size_t n = socket.read_some(asio::buffer(owner->read_buffer), read_ec);
    if (read_ec == asio::error::would_block || read_ec == asio::error::try_again) break;
    if (read_ec) {
      session.on_closed();
      return finish_with(std::nullopt, false);
    }
    on_data(buffer, n);
    if (closed()) return;
    if (n < kReadBufferSize) break;
  }
  wait_readable();
}

void Connection::on_data(char* data, std::size_t size) {
  if (mse) {
    MseStep step = mse->feed(std::string_view(data, size));
    if (!step.to_send.empty()) send(std::move(step.to_send));
    if (step.status == MseStatus::kFailed) {
      return finish_with(mse->error(), false);
    }
    if (step.status == MseStatus::kNeedMore) return;
    MseOutcome& outcome = mse->outcome();
    if (outcome.cipher.encrypted()) cipher = std::make_unique<MseCipher>(std::move(outcome.cipher));
    std::string payload = std::move(outcome.payload);
    mse.reset();
    session.on_bytes(payload);
  } else {
    if (cipher) cipher->decrypt(std::span<char>(data, size));
    session.on_bytes(std::string_view(data, size));
  }
  after_session_step();
}

void Connection::after_session_step() {
  flush_session();
  if (closed()) return;
  if (request.fetch->finished) return;
  if (auto peers = session.take_peers(); !peers.empty()) {
    owner->add_pex_peers(request.fetch, peers);
    if (closed()) return;
  }
  if (session.finished()) return finish_with(std::nullopt, false);
  // The handshake deadline covers connect to the extension handshake; from
  // then on each metadata piece buys another idle period.
  if (session.phase() == MetadataSession::Phase::kFetching) {
    const std::size_t now_pieces = session.pieces_received();
    if (!fetching || now_pieces != pieces) {
      fetching = true;
      pieces = now_pieces;
      deadline = SteadyClock::now() + owner->config.idle_deadline;
    }
  }
}

void Connection::flush_session() {
  if (!session.has_output()) return;
  std::string out = session.take_output();
  if (cipher) cipher->encrypt(std::span<char>(out));
  send(std::move(out));
}

void Connection::send(std::string bytes) {
  if (bytes.empty()) return;
  if (write_in_flight) {
    pending += bytes;
    return;
  }
  writing = std::move(bytes);
  write_in_flight = true;
  asio::async_write(socket, asio::buffer(writing),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->on_written(ec);
                    });
}

void Connection::on_written(const boost::system::error_code& ec) {
  write_in_flight = false;
  if (closed()) return;
  if (ec) {
    session.on_closed();
    return finish_with(std::nullopt, false);
  }
  writing.clear();
  if (!pending.empty()) {
    std::string next = std::move(pending);
    pending.clear();
    send(std::move(next));
  }
}

// The connection is over: the session finished (done or failed), or the MSE
// handshake failed. A failure before the peer's BitTorrent handshake may be
// our mode's fault (the peer refuses plaintext, or MSE), so it may be retried
// in the other mode; a peer that closed before its handshake may only have
// been busy, so it may be retried in the same mode; a refused TCP connect is
// not retried.
void Connection::finish_with(std::optional<Error> mse_error, bool connect_failed) {
  if (closed()) return;
  auto keep = shared_from_this();
  MetadataFetcher::Impl* impl = owner;
  if (mse_error) {
    impl->connection_done(keep, *mse_error, Retry::kFallback);
    return;
  }
  if (!session.finished()) session.on_closed();
  const bool before_handshake = !session.peer_handshake().has_value();
  Result<std::string> result = session.take_result();
  Retry retry = Retry::kNone;
  if (connected && !connect_failed && before_handshake && !result) {
    retry = Retry::kFallback;
    if (result.error().code == make_error_code(SessionErrc::kRefused)) {
      retry = mse && mse->secret_has_leading_zero() ? Retry::kRefusedNow : Retry::kRefused;
    }
  }
  impl->connection_done(keep, std::move(result), retry);
}

MetadataFetcher::MetadataFetcher(asio::io_context& io, MetadataFetcherConfig config)
    : impl_(std::make_shared<Impl>(io, std::move(config))) {}

MetadataFetcher::~MetadataFetcher() { stop(); }

void MetadataFetcher::fetch(ExpectedInfoHash target, std::vector<tcp::endpoint> candidates,
                            FetchCallback done) {
  impl_->fetch(std::move(target), std::move(candidates), std::move(done));
}

void MetadataFetcher::stop() { impl_->stop(); }

MetadataFetcherStats MetadataFetcher::stats() const {
  MetadataFetcherStats s = impl_->stats;
  s.active_fetches = impl_->fetches.size();
  s.open_connections = impl_->connections.size();
  s.queued_connections = impl_->queued;
  return s;
}

const MetadataFetcherConfig& MetadataFetcher::config() const { return impl_->config; }

}  // namespace magnetar::crawler::wire
