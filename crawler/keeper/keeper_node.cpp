#include "crawler/keeper/keeper_node.hpp"

#include <grpcpp/grpcpp.h>
#include <malloc.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "common/codec.hpp"
#include "common/log.hpp"
#include "crawler/dht/peer_lookup.hpp"
#include "crawler/dht/tcp_endpoint.hpp"
#include "crawler/keeper/tracker_client.hpp"
#include "crawler/state/state_error.hpp"
#include "crawler/wire/expected_info_hash.hpp"
#include "crawler/wire/extension_handshake.hpp"
#include "crawler/wire/metadata_server.hpp"
#include "crawler/wire/metadata_source.hpp"
#include "crawler/wire/mse_random.hpp"
#include "crawler/wire/mse_skey_index.hpp"
#include "crawler/wire/tcp_endpoint.hpp"
#include "magnetar/v1/keeper.grpc.pb.h"
#include "rpc/common/bearer_token.hpp"
#include "rpc/common/hub_limits.hpp"

namespace magnetar::crawler::keeper {

namespace asio = boost::asio;
using asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;

namespace {

// The network thread's housekeeping period: announces due, resolves, lookups,
// heartbeats. A 100 ms granularity is nothing next to a 30 min interval.
constexpr std::chrono::milliseconds kTick{100};
// PinCounters per heartbeat message: ~60 bytes each, so a reconnect that
// reports 100,000 pins goes in messages far below kMaxHubMessageBytes.
constexpr std::size_t kMaxCountersPerHeartbeat = 10'000;
// Heartbeats queued for the writer while the hub is slow; older ones are
// dropped (their pins are marked changed again on the next connect).
constexpr std::size_t kMaxQueuedUp = 64;
// A Keep message at least this large is followed by malloc_trim (see
// run_stream).
constexpr std::size_t kTrimAfterBytes = 1u << 20;
// A snapshot waits this long for the network thread.
constexpr std::chrono::seconds kSnapshotWait{10};

google::protobuf::Timestamp to_proto(SystemClock::time_point t) {
  google::protobuf::Timestamp ts;
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  ts.set_seconds(ns / 1'000'000'000);
  ts.set_nanos(static_cast<int>(ns % 1'000'000'000));
  return ts;
}

// "1.2.3.4:6881" or "[::1]:6881" (a magnet's x.pe); names are not resolved.
std::optional<tcp::endpoint> parse_peer(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return std::nullopt;
  unsigned port = 0;
  try {
    port = static_cast<unsigned>(std::stoul(text.substr(colon + 1)));
  } catch (...) {
    return std::nullopt;
  }
  if (port == 0 || port > 65535) return std::nullopt;
  return tcp::endpoint(address, static_cast<std::uint16_t>(port));
}

// The ids a pin is known by, and the hashes its info dict must match.
InfoHashes hashes_of(const InfoHashV1& id, const std::optional<InfoHashV2>& v2) {
  InfoHashes h;
  if (v2 && truncate(*v2) == id) {
    h.v2 = v2;
  } else {
    h.v1 = id;
    h.v2 = v2;
  }
  return h;
}

// One assignment, as the network thread applies it.
struct PinSpec {
  InfoHashV1 id;
  std::optional<InfoHashV2> v2;
  std::vector<std::string> trackers;
  std::vector<std::string> peers;
  bool cached = false;  // the info dict is in the pin cache
};

struct Update {
  bool full = false;
  std::vector<PinSpec> assign;
  std::vector<InfoHashV1> unassign;
};

struct Pin {
  std::optional<InfoHashV2> v2;
  std::vector<std::string> trackers;
  std::vector<std::string> peers;
  bool cached = false;
  bool tracker_started = false;  // event=started sent
  // Resolving.
  bool resolving_active = false;
  int resolve_failures = 0;
  SteadyClock::time_point next_resolve{};
  std::size_t sources_pending = 0;  // the lookup and tracker replies awaited
  std::vector<tcp::endpoint> candidates;
  // Counters (PinStatus) and whether they changed since the last heartbeat.
  PinStatus status;
  bool dirty = true;
};

}  // namespace

struct KeeperNode::Impl : std::enable_shared_from_this<KeeperNode::Impl>, wire::MetadataSource {
  Impl(asio::io_context& i, KeeperNodeOptions o, state::NodeState& s, KeeperDht& d)
      : io(i),
        options(std::move(o)),
        state(s),
        dht(d),
        log(logger("keeper")),
        tick_timer(i),
        trackers(i, options.tracker_timeout, options.listen_address),
        lookup(dht::PeerLookupConfig{.max_in_flight = kMaxResolvesInFlight,
                                     .deadline = options.lookup_deadline}),
        dht_schedule(options.dht_announce, SteadyClock::now()),
        tracker_schedule(options.tracker_announce, SteadyClock::now()) {
    std::array<std::uint8_t, 20> id{};
    constexpr std::string_view kPrefix = "-MG0001-";
    std::copy(kPrefix.begin(), kPrefix.end(), id.begin());
    wire::openssl_random_bytes(std::span<std::uint8_t>(id).subspan(kPrefix.size()));
    peer_id = wire::PeerId(id);
    tracker_key = static_cast<std::uint32_t>(std::random_device{}());
  }

  asio::io_context& io;
  KeeperNodeOptions options;
  state::NodeState& state;
  KeeperDht& dht;
  std::shared_ptr<spdlog::logger> log;

  // Network thread. `mu` guards `pins`, `aliases` and `totals` (read by
  // the snapshots from other threads).
  mutable std::mutex mu;
  std::unordered_map<InfoHashV1, Pin> pins;
  std::unordered_map<InfoHashV1, InfoHashV1> aliases;  // truncated v2 -> id
  KeeperStats totals;
  wire::MseSkeyIndex skey_index;
  std::unique_ptr<wire::MetadataServer> server;
  std::unique_ptr<wire::MetadataFetcher> fetcher;
  asio::steady_timer tick_timer;
  TrackerClient trackers;
  dht::PeerLookup lookup;
  AnnounceScheduler dht_schedule;
  AnnounceScheduler tracker_schedule;
  std::unordered_set<InfoHashV1> unresolved;
  std::size_t resolves_active = 0;
  SteadyClock::time_point next_heartbeat{};
  wire::PeerId peer_id;
  std::uint32_t tracker_key = 0;
  std::uint16_t port = 0;
  bool https_noted = false;
  bool stopped = false;

  // Ids whose info dict is in the pin cache: written by the stream thread
  // (assignments) and the network thread (resolves).
  std::mutex cached_mu;
  std::unordered_set<InfoHashV1> cached;

  // The Keep stream.
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::Keeper::Stub> stub;
  std::thread stream_thread;
  std::mutex stream_mu;
  std::condition_variable stream_cv;
  bool stopping = false;                          // stream_mu
  grpc::ClientContext* stream_context = nullptr;  // stream_mu
  std::deque<v1::KeeperUp> up_queue;              // stream_mu
  std::atomic<bool> connected{false};

  // ---- MetadataSource: the pin cache, for the metadata server ----
  std::shared_ptr<const std::string> find(const InfoHashV1& asked) override {
    InfoHashV1 id = asked;
    {
      std::lock_guard lock(mu);
      if (const auto a = aliases.find(asked); a != aliases.end()) id = a->second;
      const auto it = pins.find(id);
      if (it == pins.end() || !it->second.cached) return nullptr;
      ++it->second.status.incoming_connections;
      ++totals.incoming_connections;
      it->second.dirty = true;
    }
    try {
      auto dict = state.pins().get(id);
      if (!dict) return nullptr;
      return std::make_shared<const std::string>(std::move(*dict));
    } catch (const std::exception& e) {
      log->warn("pin cache read of {} failed: {}", to_hex(id.view()), e.what());
      return nullptr;
    }
  }

  void on_served(const InfoHashV1& asked) {
    std::lock_guard lock(mu);
    InfoHashV1 id = asked;
    if (const auto a = aliases.find(asked); a != aliases.end()) id = a->second;
    const auto it = pins.find(id);
    if (it == pins.end()) return;
    ++it->second.status.metadata_served;
    ++totals.metadata_served;
    it->second.dirty = true;
  }

  // ---- start / stop ----
  void start() {
    wire::MetadataServerOptions so;
    so.encryption = options.encryption;
    so.source = this;
    so.skey_index = &skey_index;
    so.on_served = [weak = weak_from_this()](const InfoHashV1& id) {
      if (auto self = weak.lock()) self->on_served(id);
    };
    server = std::make_unique<wire::MetadataServer>(io, so);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(options.listen_address, ec);
    if (ec) throw std::runtime_error("keeper: bad listen address " + options.listen_address);
    Status listening = server->listen({address, options.peer_port});
    if (!listening && options.peer_port != 0) {
      // Another process has the port (a second node on this machine): serve
      // on a free one rather than not at all; peers learn it from announces.
      log->warn("keeper: cannot listen on {}:{} ({}); using a free port instead",
                options.listen_address, options.peer_port, listening.error().message());
      server = std::make_unique<wire::MetadataServer>(io, so);
      listening = server->listen({address, 0});
    }
    if (!listening) {
      throw std::runtime_error("keeper: cannot listen on " + options.listen_address + ":" +
                               std::to_string(options.peer_port) + ": " +
                               listening.error().message());
    }
    port = server->port();
    fetcher = std::make_unique<wire::MetadataFetcher>(io, options.fetcher);

    // The ids of the cached info dicts (one scan of the pins column family).
    state.pins().scan([&](const InfoHashV1& id, std::string_view) {
      cached.insert(id);
      return true;
    });
    log->info("keeper: serving pins on port {}, {} info dicts cached", port, cached.size());

    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(rpc::kMaxHubMessageBytes);
    args.SetMaxSendMessageSize(rpc::kMaxHubMessageBytes);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, static_cast<int>(options.reconnect_max.count()));
    channel =
        grpc::CreateCustomChannel(options.hub_address, grpc::InsecureChannelCredentials(), args);
    stub = v1::Keeper::NewStub(channel);
    stream_thread = std::thread([self = shared_from_this()] { self->stream_loop(); });
    next_heartbeat = SteadyClock::now() + options.heartbeat_interval;
    arm_tick();
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    {
      std::lock_guard lock(stream_mu);
      stopping = true;
      if (stream_context) stream_context->TryCancel();
    }
    stream_cv.notify_all();
    if (stream_thread.joinable()) stream_thread.join();
    tick_timer.cancel();
    trackers.stop();
    if (fetcher) fetcher->stop();
    if (server) server->stop();
  }

  // ---- the Keep stream (its own thread) ----
  void stream_loop() {
    auto backoff = options.reconnect_min;
    while (true) {
      {
        std::lock_guard lock(stream_mu);
        if (stopping) return;
      }
      const bool received = run_stream();
      std::unique_lock lock(stream_mu);
      if (stopping) return;
      if (received) backoff = options.reconnect_min;
      stream_cv.wait_for(lock, backoff, [&] { return stopping; });
      backoff = std::min(backoff * 2, options.reconnect_max);
    }
  }

  // One stream: hello, then assignments until it breaks. True when at least
  // one assignment came (the hub was reachable).
  bool run_stream() {
    grpc::ClientContext context;
    const auto [key, value] = rpc::bearer_metadata(options.token);
    context.AddMetadata(key, value);
    {
      std::lock_guard lock(stream_mu);
      if (stopping) return false;
      stream_context = &context;
      up_queue.clear();
    }
    auto stream = stub->Keep(&context);
    v1::KeeperUp hello;
    auto* h = hello.mutable_hello();
    h->set_node_id(options.node_id);
    h->set_announce_address(options.announce_address);
    h->set_peer_port(port);
    {
      std::lock_guard lock(cached_mu);
      for (const auto& id : cached) h->add_cached(std::string(id.view()));
    }
    bool received = false;
    if (stream->Write(hello)) {
      connected = true;
      {
        std::lock_guard lock(mu);
        ++totals.connects;
      }
      // Every pin's counters go up again on a new stream (the hub may be
      // another one, or may have missed heartbeats).
      asio::post(io, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->mark_all_dirty();
      });
      bool writer_done = false;
      std::thread writer([&] {
        std::unique_lock lock(stream_mu);
        while (true) {
          stream_cv.wait(lock, [&] { return stopping || writer_done || !up_queue.empty(); });
          if (stopping || writer_done) return;
          v1::KeeperUp up = std::move(up_queue.front());
          up_queue.pop_front();
          lock.unlock();
          const bool ok = stream->Write(up);
          lock.lock();
          if (!ok) return;
        }
      });
      while (true) {
        std::size_t bytes = 0;
        {
          // A fresh message each time: a reused one keeps the capacity of
          // its largest batch of info dicts.
          v1::KeeperDown down;
          if (!stream->Read(&down)) break;
          received = true;
          bytes = down.ByteSizeLong();
          apply_down(down);
        }
        // A batch of info dicts (up to kMaxHubMessageBytes) is parsed in
        // buffers glibc keeps after they are freed; a keeper gets a few
        // such batches and then keeps 100,000 pins for days: hand them back.
        if (bytes >= kTrimAfterBytes) malloc_trim(0);
      }
      connected = false;
      {
        std::lock_guard lock(stream_mu);
        writer_done = true;
      }
      stream_cv.notify_all();
      writer.join();
      stream->WritesDone();
    }
    const grpc::Status status = stream->Finish();
    {
      std::lock_guard lock(stream_mu);
      stream_context = nullptr;
      if (stopping) return received;
    }
    log->warn("keeper: Keep stream to {} ended: {} ({})", options.hub_address,
              status.error_message(), static_cast<int>(status.error_code()));
    return received;
  }

  // On the stream thread: info dicts into the pin cache, then the change to
  // the network thread.
  void apply_down(const v1::KeeperDown& down) {
    Update update;
    update.full = down.full();
    try {
      for (const auto& a : down.assign()) {
        const auto id = InfoHashV1::from_bytes(a.id());
        if (!id) continue;
        PinSpec spec;
        spec.id = *id;
        if (!a.v2().empty()) spec.v2 = InfoHashV2::from_bytes(a.v2());
        spec.trackers.assign(a.trackers().begin(), a.trackers().end());
        spec.peers.assign(a.peers().begin(), a.peers().end());
        const std::string& dict = a.info_dict();
        if (!dict.empty()) {
          const bool fits = dict.size() <= static_cast<std::size_t>(wire::kMaxMetadataSize);
          if (fits && wire::ExpectedInfoHash::from_hashes(hashes_of(*id, spec.v2)).matches(dict)) {
            state.pins().put(*id, dict);
            std::lock_guard lock(cached_mu);
            cached.insert(*id);
          } else {
            log->warn("keeper: assignment of {} carries an info dict that does not match it",
                      to_hex(id->view()));
          }
        }
        {
          std::lock_guard lock(cached_mu);
          spec.cached = cached.count(*id) != 0;
        }
        update.assign.push_back(std::move(spec));
      }
      for (const auto& raw : down.unassign()) {
        const auto id = InfoHashV1::from_bytes(raw);
        if (!id) continue;
        state.pins().remove(*id);
        std::lock_guard lock(cached_mu);
        cached.erase(*id);
        update.unassign.push_back(*id);
      }
      if (update.full) {
        std::unordered_set<InfoHashV1> keep;
        for (const auto& s : update.assign) keep.insert(s.id);
        std::vector<InfoHashV1> drop;
        {
          std::lock_guard lock(cached_mu);
          for (const auto& id : cached) {
            if (!keep.count(id)) drop.push_back(id);
          }
          for (const auto& id : drop) cached.erase(id);
        }
        for (const auto& id : drop) state.pins().remove(id);
      }
    } catch (const std::exception& e) {
      log->error("keeper: applying an assignment failed: {}", e.what());
    }
    asio::post(io, [weak = weak_from_this(), update = std::move(update)]() mutable {
      if (auto self = weak.lock()) self->apply(std::move(update));
    });
  }

  // ---- the network thread ----
  void mark_all_dirty() {
    std::lock_guard lock(mu);
    for (auto& [id, pin] : pins) pin.dirty = true;
  }

  void apply(Update update) {
    if (stopped) return;
    std::lock_guard lock(mu);
    ++totals.assignments;
    if (update.full) {
      std::unordered_set<InfoHashV1> keep;
      for (const auto& s : update.assign) keep.insert(s.id);
      std::vector<InfoHashV1> drop;
      for (const auto& [id, pin] : pins) {
        if (!keep.count(id)) drop.push_back(id);
      }
      for (const auto& id : drop) drop_pin(id);
    }
    for (const auto& id : update.unassign) drop_pin(id);
    for (auto& spec : update.assign) {
      auto [it, inserted] = pins.try_emplace(spec.id);
      Pin& pin = it->second;
      if (inserted) pin.status.id = spec.id;
      pin.v2 = spec.v2;
      pin.trackers = std::move(spec.trackers);
      pin.peers = std::move(spec.peers);
      if (spec.cached && !pin.cached) {
        serve(spec.id, pin);
      } else if (!spec.cached && !pin.cached && inserted) {
        pin.status.resolving = true;
        pin.next_resolve = SteadyClock::now();
        unresolved.insert(spec.id);
      }
    }
    totals.pins = pins.size();
    warn_when_over_budget();
  }

  // mu held. Once per crossing: more cached pins than keeper.announce_budget
  // can announce within the interval means every announce runs late, and
  // past 45 minutes DHT nodes forget us (pitfalls.md).
  void warn_when_over_budget() {
    const std::size_t capacity = dht_schedule.capacity();
    const bool over = dht_schedule.size() > capacity;
    if (over == totals.over_budget) return;
    totals.over_budget = over;
    if (over) {
      log->warn(
          "keeper: {} pins but keeper.announce_budget={}/s announces at most {} per {} min: "
          "announces will run late and peers may stop finding these pins; raise "
          "keeper.announce_budget or add keeper nodes",
          dht_schedule.size(), dht_schedule.config().budget_per_second, capacity,
          std::chrono::duration_cast<std::chrono::minutes>(dht_schedule.config().interval).count());
    } else {
      log->info("keeper: {} pins fit keeper.announce_budget again", dht_schedule.size());
    }
  }

  // mu held.
  void serve(const InfoHashV1& id, Pin& pin) {
    pin.cached = true;
    pin.status.cached = true;
    pin.status.resolving = false;
    pin.status.resolve_error.clear();
    pin.dirty = true;
    unresolved.erase(id);
    const InfoHashes h = hashes_of(id, pin.v2);
    skey_index.add(h);
    if (h.v2 && truncate(*h.v2) != id) aliases[truncate(*h.v2)] = id;
    dht_schedule.add(id);
    if (!pin.trackers.empty()) tracker_schedule.add(id);
    ++totals.cached;
    warn_when_over_budget();
  }

  // mu held.
  void drop_pin(const InfoHashV1& id) {
    const auto it = pins.find(id);
    if (it == pins.end()) return;
    const InfoHashes h = hashes_of(id, it->second.v2);
    if (it->second.cached) {
      skey_index.remove(h);
      --totals.cached;
    }
    if (h.v2) aliases.erase(truncate(*h.v2));
    dht_schedule.remove(id);
    tracker_schedule.remove(id);
    unresolved.erase(id);
    if (it->second.resolving_active) --resolves_active;
    pins.erase(it);
  }

  void arm_tick() {
    tick_timer.expires_after(kTick);
    tick_timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      if (ec == asio::error::operation_aborted) return;
      if (auto self = weak.lock(); self && !self->stopped) {
        self->tick();
        self->arm_tick();
      }
    });
  }

  void tick() {
    const auto now = SteadyClock::now();
    std::vector<InfoHashV1> tracker_due;
    std::vector<InfoHashV1> to_resolve;
    {
      std::lock_guard lock(mu);
      const std::vector<InfoHashV1> dht_due =
          dht.ready() ? dht_schedule.due(now) : std::vector<InfoHashV1>();
      for (const auto& id : dht_due) {
        if (!dht.announce(id, port)) continue;
        auto& pin = pins.at(id);
        pin.status.last_dht_announce = SystemClock::now();
        ++pin.status.dht_announces;
        pin.dirty = true;
        ++totals.dht_announces;
      }
      totals.announces_waiting = dht_schedule.waiting(now);
      tracker_due = tracker_schedule.due(now);
      for (const auto& id : unresolved) {
        if (resolves_active + to_resolve.size() >= kMaxResolvesInFlight) break;
        const Pin& pin = pins.at(id);
        if (!pin.resolving_active && pin.next_resolve <= now) to_resolve.push_back(id);
      }
    }
    for (const auto& id : tracker_due) announce_to_trackers(id, /*seed=*/true);
    for (const auto& id : to_resolve) start_resolve(id);
    for (const auto& id : lookup.start(now)) dht.get_peers(id);
    for (auto& result : lookup.finished(now)) on_lookup_done(result);
    if (now >= next_heartbeat) {
      next_heartbeat = now + options.heartbeat_interval;
      heartbeat();
    }
  }

  // Announces a pin to each of its trackers. A seed announces left=0; a
  // resolving pin left=1 (it wants the metadata) and collects the peers.
  void announce_to_trackers(const InfoHashV1& id, bool seed) {
    std::vector<std::string> urls;
    TrackerAnnounce a;
    {
      std::lock_guard lock(mu);
      const auto it = pins.find(id);
      if (it == pins.end()) return;
      urls = it->second.trackers;
      a.event = it->second.tracker_started ? AnnounceEvent::kNone : AnnounceEvent::kStarted;
      if (seed) it->second.tracker_started = true;
    }
    a.info_hash = id;
    a.peer_id = peer_id;
    a.port = port;
    a.left = seed ? 0 : 1;
    a.key = tracker_key;
    a.ip = options.announce_address;
    for (const auto& url : urls) {
      if (url.rfind("https://", 0) == 0) {
        if (!https_noted) {
          log->info("keeper: https trackers are skipped (no TLS to trackers), e.g. {}", url);
          https_noted = true;
        }
        continue;
      }
      if (!seed) {
        std::lock_guard lock(mu);
        ++pins.at(id).sources_pending;
      }
      trackers.announce(url, a, [weak = weak_from_this(), id, seed, url](Result<TrackerReply> r) {
        if (auto self = weak.lock()) self->on_tracker_reply(id, seed, url, std::move(r));
      });
    }
  }

  void on_tracker_reply(const InfoHashV1& id, bool seed, const std::string& url,
                        Result<TrackerReply> r) {
    bool fetch_now = false;
    {
      std::lock_guard lock(mu);
      const auto it = pins.find(id);
      if (it == pins.end()) return;
      Pin& pin = it->second;
      if (r && r->failure_reason.empty()) {
        pin.status.last_tracker_announce = SystemClock::now();
        ++pin.status.tracker_announces;
        pin.status.tracker_error.clear();
        pin.dirty = true;
        ++totals.tracker_announces;
        if (!seed) {
          for (const auto& p : r->peers) pin.candidates.push_back(to_tcp(p));
        }
      } else {
        ++totals.tracker_failures;
        pin.status.tracker_error = url + ": " + (r ? r->failure_reason : r.error().message());
        if (seed) tracker_schedule.retry(id, SteadyClock::now() + options.tracker_retry);
        log->debug("keeper: tracker {} for {}: {}", url, to_hex(id.view()),
                   r ? r->failure_reason : r.error().message());
      }
      if (!seed && pin.resolving_active && pin.sources_pending > 0) {
        fetch_now = --pin.sources_pending == 0;
      }
    }
    if (fetch_now) fetch(id);
  }

  void start_resolve(const InfoHashV1& id) {
    {
      std::lock_guard lock(mu);
      Pin& pin = pins.at(id);
      pin.resolving_active = true;
      ++resolves_active;
      pin.candidates.clear();
      for (const auto& text : pin.peers) {
        if (auto e = parse_peer(text)) pin.candidates.push_back(*e);
      }
      pin.sources_pending = 1;  // the lookup
    }
    announce_to_trackers(id, /*seed=*/false);
    if (!lookup.request(id)) {
      dht::LookupResult none;
      none.info_hash = id;
      on_lookup_done(none);
    }
  }

  void on_get_peers_reply(const InfoHashV1& id, const std::vector<dht::Endpoint>& peers) {
    lookup.on_peers(id, peers);
  }

  void on_lookup_done(const dht::LookupResult& result) {
    bool fetch_now = false;
    {
      std::lock_guard lock(mu);
      const auto it = pins.find(result.info_hash);
      if (it == pins.end() || !it->second.resolving_active) return;
      for (const auto& p : result.peers) it->second.candidates.push_back(to_tcp(p));
      if (it->second.sources_pending > 0) fetch_now = --it->second.sources_pending == 0;
    }
    if (fetch_now) fetch(result.info_hash);
  }

  void fetch(const InfoHashV1& id) {
    std::vector<tcp::endpoint> candidates;
    InfoHashes hashes;
    {
      std::lock_guard lock(mu);
      const auto it = pins.find(id);
      if (it == pins.end()) return;
      candidates = std::move(it->second.candidates);
      it->second.candidates.clear();
      hashes = hashes_of(id, it->second.v2);
    }
    if (candidates.empty()) {
      return resolve_failed(id, "no peers found (DHT, trackers, x.pe)");
    }
    fetcher->fetch(hashes, std::move(candidates),
                   [weak = weak_from_this(), id](Result<std::string> r) {
                     auto self = weak.lock();
                     if (!self || self->stopped) return;
                     if (r) {
                       self->resolved(id, std::move(*r));
                     } else {
                       self->resolve_failed(id, r.error().message());
                     }
                   });
  }

  void resolved(const InfoHashV1& id, std::string info_dict) {
    std::optional<InfoHashV2> v2;
    {
      std::lock_guard lock(mu);
      const auto it = pins.find(id);
      if (it == pins.end()) return;  // unassigned meanwhile
      v2 = it->second.v2;
    }
    try {
      state.pins().put(id, info_dict);
      const InfoHashes h = hashes_of(id, v2);
      std::vector<InfoHashV1> also;
      if (h.v2 && truncate(*h.v2) != id) also.push_back(truncate(*h.v2));
      const auto queued =
          state.commit_fetch(id, info_dict, state::Source::kPin, state::Clock::now(), also);
      if (!queued) {
        log->warn("keeper: resolved pin {} not queued for the hub: {}", to_hex(id.view()),
                  queued.error().message());
      }
    } catch (const std::exception& e) {
      return resolve_failed(id, std::string("pin cache write failed: ") + e.what());
    }
    {
      std::lock_guard lock(cached_mu);
      cached.insert(id);
    }
    std::lock_guard lock(mu);
    const auto it = pins.find(id);
    if (it == pins.end()) return;
    it->second.resolving_active = false;
    --resolves_active;
    it->second.resolve_failures = 0;
    ++totals.resolved;
    serve(id, it->second);
    log->info("keeper: pin {} resolved from the swarm ({} bytes)", to_hex(id.view()),
              info_dict.size());
  }

  void resolve_failed(const InfoHashV1& id, std::string reason) {
    std::lock_guard lock(mu);
    const auto it = pins.find(id);
    if (it == pins.end()) return;
    Pin& pin = it->second;
    if (pin.resolving_active) --resolves_active;
    pin.resolving_active = false;
    ++pin.resolve_failures;
    ++totals.resolve_failures;
    auto wait = options.resolve_retry_min;
    for (int i = 1; i < pin.resolve_failures && wait < options.resolve_retry_max; ++i) wait *= 2;
    pin.next_resolve = SteadyClock::now() + std::min(wait, options.resolve_retry_max);
    pin.status.resolve_error = std::move(reason);
    pin.dirty = true;
  }

  void heartbeat() {
    if (!connected) return;
    std::vector<v1::KeeperUp> messages;
    {
      std::lock_guard lock(mu);
      v1::KeeperUp up;
      for (auto& [id, pin] : pins) {
        if (!pin.dirty) continue;
        pin.dirty = false;
        auto* c = up.mutable_heartbeat()->add_pins();
        c->set_id(std::string(id.view()));
        if (pin.status.last_dht_announce) {
          *c->mutable_last_dht_announce() = to_proto(*pin.status.last_dht_announce);
        }
        if (pin.status.last_tracker_announce) {
          *c->mutable_last_tracker_announce() = to_proto(*pin.status.last_tracker_announce);
        }
        c->set_metadata_served(pin.status.metadata_served);
        c->set_incoming_connections(pin.status.incoming_connections);
        c->set_resolve_error(pin.status.resolve_error);
        if (static_cast<std::size_t>(up.heartbeat().pins_size()) >= kMaxCountersPerHeartbeat) {
          messages.push_back(std::move(up));
          up = v1::KeeperUp();
        }
      }
      // A heartbeat goes even without changes: it is the liveness signal.
      if (messages.empty() || up.has_heartbeat()) messages.push_back(std::move(up));
      totals.heartbeats += messages.size();
    }
    const auto sent_at = to_proto(SystemClock::now());
    {
      std::lock_guard lock(stream_mu);
      for (auto& m : messages) {
        *m.mutable_heartbeat()->mutable_sent_at() = sent_at;
        if (up_queue.size() >= kMaxQueuedUp) up_queue.pop_front();
        up_queue.push_back(std::move(m));
      }
    }
    stream_cv.notify_all();
  }

  template <class T, class F>
  T on_io(F f) const {
    auto task = std::make_shared<std::packaged_task<T()>>(std::move(f));
    auto result = task->get_future();
    asio::post(io, [task] { (*task)(); });
    if (result.wait_for(kSnapshotWait) != std::future_status::ready) return T{};
    return result.get();
  }
};

KeeperNode::KeeperNode(asio::io_context& io, KeeperNodeOptions options, state::NodeState& state,
                       KeeperDht& dht)
    : impl_(std::make_shared<Impl>(io, std::move(options), state, dht)) {
  if (impl_->options.node_id.empty()) throw std::invalid_argument("keeper: node_id is empty");
}

KeeperNode::~KeeperNode() { stop(); }

void KeeperNode::start() { impl_->start(); }
void KeeperNode::stop() { impl_->stop(); }

void KeeperNode::on_get_peers_reply(const InfoHashV1& id, const std::vector<dht::Endpoint>& peers) {
  impl_->on_get_peers_reply(id, peers);
}

std::uint16_t KeeperNode::peer_port() const { return impl_->port; }

KeeperStats KeeperNode::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->totals;
}

std::optional<PinStatus> KeeperNode::pin(const InfoHashV1& id) const {
  std::lock_guard lock(impl_->mu);
  const auto it = impl_->pins.find(id);
  if (it == impl_->pins.end()) return std::nullopt;
  return it->second.status;
}

}  // namespace magnetar::crawler::keeper
