#include "rpc/hub/keeper_service.hpp"

#include <algorithm>
#include <optional>
#include <pqxx/pqxx>
#include <unordered_map>

#include "common/log.hpp"
#include "rpc/common/bearer_token.hpp"
#include "rpc/hub/pg_pin_store.hpp"

namespace magnetar::rpc {

using Reactor = grpc::ServerBidiReactor<v1::KeeperUp, v1::KeeperDown>;

// Shared by a stream's reactor (gRPC threads) and the worker. The reactor's
// I/O flags are guarded by mu; the rest belongs to the worker alone.
struct KeeperService::Stream {
  std::mutex mu;
  Reactor* reactor = nullptr;  // valid until Finish: OnDone comes only after it
  bool reading = false;
  bool writing = false;
  bool reads_done = false;  // the client closed its side or went away
  bool cancelled = false;
  bool finished = false;
  bool has_input = false;  // `in` holds a message the worker has not handled
  std::optional<grpc::Status> failure;
  v1::KeeperUp in;
  v1::KeeperDown out;

  // Worker only.
  bool registered = false;
  bool hello = false;
  std::string node_id;
  std::unordered_set<InfoHashV1> cached;  // honoured in the first (full) message only
  bool full_sent = false;
  std::unordered_map<InfoHashV1, std::int64_t> sent;  // id -> revision the node has
  std::uint64_t desired_generation = 0;
  std::vector<InfoHashV1> desired;
  std::uint64_t checked_generation = 0;  // nothing to send until the next reload...
  bool more = false;                     // ...unless the last message was cut short

  // Finishes the call once no write is in flight and reading is over (or
  // the call was cancelled, or failed). Decides under the lock,
  // acts outside it (a reaction may run inline).
  void act() {
    Reactor* r = nullptr;
    grpc::Status status;
    {
      std::lock_guard lock(mu);
      // A pending read may stay: it ends (not ok) once the call is finished.
      if (finished || reactor == nullptr || writing) return;
      if (!reads_done && !cancelled && !failure) return;
      finished = true;
      r = reactor;
      status = failure ? *failure : grpc::Status::OK;
    }
    r->Finish(status);
  }

  void start_read() {
    Reactor* r = nullptr;
    {
      std::lock_guard lock(mu);
      if (finished || reads_done || cancelled || failure || reading) return;
      reading = true;
      r = reactor;
    }
    r->StartRead(&in);
  }

  // False when the stream is over or a write is in flight.
  bool start_write(v1::KeeperDown message) {
    Reactor* r = nullptr;
    {
      std::lock_guard lock(mu);
      if (finished || cancelled || failure || writing) return false;
      writing = true;
      out = std::move(message);
      r = reactor;
    }
    r->StartWrite(&out);
    return true;
  }

  void fail(grpc::Status status) {
    {
      std::lock_guard lock(mu);
      if (!failure) failure = std::move(status);
    }
    act();
  }

  bool can_write() {
    std::lock_guard lock(mu);
    return !finished && !cancelled && !failure && !writing;
  }

  bool over() {
    std::lock_guard lock(mu);
    return finished;
  }
};

namespace {

namespace db = pin_store;

// Bytes of an assignment besides its info dict and strings (ids, tags).
constexpr std::size_t kAssignmentOverhead = 64;
// Pins whose details (without info dicts) are loaded per query while
// filling a message: ~100 bytes each; the info dicts of those that fit the
// message are loaded in a second query.
constexpr std::size_t kDetailChunk = 1000;
// After a failed statement, the worker waits this long before the next try.
constexpr auto kRetryDelay = std::chrono::seconds(1);

class RejectReactor final : public Reactor {
 public:
  explicit RejectReactor(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

std::int64_t micros(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1'000'000 + t.nanos() / 1000;
}

grpc::Status invalid(std::string what) {
  return {grpc::StatusCode::INVALID_ARGUMENT, std::move(what)};
}

}  // namespace

class KeepReactor final : public Reactor {
 public:
  KeepReactor(std::shared_ptr<KeeperService::Stream> stream, std::function<void()> notify)
      : stream_(std::move(stream)), notify_(std::move(notify)) {
    {
      std::lock_guard lock(stream_->mu);
      stream_->reactor = this;
      stream_->reading = true;
    }
    StartRead(&stream_->in);
  }

  void OnReadDone(bool ok) override {
    {
      std::lock_guard lock(stream_->mu);
      stream_->reading = false;
      if (ok)
        stream_->has_input = true;
      else
        stream_->reads_done = true;
    }
    stream_->act();
    notify_();
  }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard lock(stream_->mu);
      stream_->writing = false;
      if (!ok) stream_->cancelled = true;  // the client is gone
    }
    stream_->act();
    notify_();
  }

  void OnCancel() override {
    {
      std::lock_guard lock(stream_->mu);
      stream_->cancelled = true;
    }
    stream_->act();
    notify_();
  }

  void OnDone() override {
    {
      std::lock_guard lock(stream_->mu);
      stream_->reactor = nullptr;
    }
    delete this;
  }

 private:
  std::shared_ptr<KeeperService::Stream> stream_;
  std::function<void()> notify_;
};

class KeeperService::Worker {
 public:
  explicit Worker(KeeperService& service) : service_(service), options_(service.options_) {
    thread_ = std::thread([this] { run(); });
  }

  ~Worker() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
    for (auto& s : streams_) s->fail({grpc::StatusCode::UNAVAILABLE, "the hub is stopping"});
  }

  void enqueue(std::shared_ptr<Stream> s) {
    {
      std::lock_guard lock(mu_);
      inbox_.push_back(std::move(s));
    }
    cv_.notify_one();
  }

  void kick() {
    {
      std::lock_guard lock(mu_);
      kicked_ = true;
    }
    cv_.notify_one();
  }

  void close_streams() {
    {
      std::lock_guard lock(mu_);
      closing_ = true;
    }
    cv_.notify_one();
  }

 private:
  void run() {
    auto log = logger("keeper");
    auto next_reload = std::chrono::steady_clock::now();
    for (;;) {
      std::vector<std::shared_ptr<Stream>> events;
      bool reload = false;
      {
        std::unique_lock lock(mu_);
        cv_.wait_until(lock, next_reload, [&] {
          return stopping_ || kicked_ || !inbox_.empty() || (closing_ && !closed_);
        });
        if (stopping_) return;
        if (closing_ && !closed_) {
          closed_ = true;
          for (auto& s : streams_) s->fail({grpc::StatusCode::UNAVAILABLE, "the hub is stopping"});
        }
        events.assign(inbox_.begin(), inbox_.end());
        inbox_.clear();
        reload = kicked_ || std::chrono::steady_clock::now() >= next_reload;
        kicked_ = false;
      }
      try {
        for (auto& s : events) {
          if (!s->registered) {
            s->registered = true;
            streams_.push_back(s);
            if (closed_) s->fail({grpc::StatusCode::UNAVAILABLE, "the hub is stopping"});
          }
          bool input = false;
          {
            std::lock_guard lock(s->mu);
            input = s->has_input;
            s->has_input = false;
          }
          if (!input) continue;
          try {
            if (handle_input(*s)) reload = true;
          } catch (const std::exception& e) {
            // That node reconnects and says hello again; the others go on.
            log->warn("keeper {}: {}", s->node_id.empty() ? "(hello)" : s->node_id, e.what());
            conn_.reset();
            s->fail({grpc::StatusCode::UNAVAILABLE, std::string("hub database: ") + e.what()});
          }
        }
        if (reload) {
          this->reload();
          next_reload = std::chrono::steady_clock::now() + options_.tick_interval;
        }
        std::erase_if(streams_, [](const auto& s) { return s->over(); });
        for (auto& s : streams_)
          if (s->hello && s->can_write()) send_next(*s);
      } catch (const std::exception& e) {
        log->warn("keeper coordination: {} (retrying)", e.what());
        conn_.reset();
        next_reload = std::chrono::steady_clock::now() + kRetryDelay;
      }
    }
  }

  pqxx::connection& conn() {
    if (conn_ && !conn_->is_open()) conn_.reset();
    if (!conn_) conn_ = std::make_unique<pqxx::connection>(options_.dsn);
    return *conn_;
  }

  // One message from a node. True when the live keepers may have changed.
  // Throws when PostgreSQL fails (the caller ends the stream).
  bool handle_input(Stream& s) {
    const v1::KeeperUp& up = s.in;
    bool changed = false;
    if (up.has_hello()) {
      const auto& h = up.hello();
      if (s.hello) return s.fail(invalid("hello twice")), false;
      if (h.node_id().empty() || h.node_id().size() > kMaxNodeIdBytes)
        return s.fail(invalid("node_id: 1 to " + std::to_string(kMaxNodeIdBytes) + " bytes")),
               false;
      if (h.announce_address().size() > kMaxAnnounceAddressBytes)
        return s.fail(invalid("announce_address too long")), false;
      if (h.peer_port() > 65535) return s.fail(invalid("peer_port above 65535")), false;
      std::unordered_set<InfoHashV1> cached;
      for (int i = 0; i < h.cached_size(); ++i) {
        auto id = InfoHashV1::from_bytes(h.cached(i));
        if (!id) return s.fail(invalid("cached[" + std::to_string(i) + "] is not 20 bytes")), false;
        cached.insert(*id);
      }
      db::record_hello(conn(), h.node_id(), h.announce_address(), h.peer_port());
      s.hello = true;
      s.node_id = h.node_id();
      s.cached = std::move(cached);
      logger("keeper")->info("keeper {} connected ({}:{}, {} pins cached)", s.node_id,
                             h.announce_address(), h.peer_port(), s.cached.size());
      changed = true;
    } else if (up.has_heartbeat()) {
      if (!s.hello) return s.fail(invalid("hello first")), false;
      const auto& hb = up.heartbeat();
      if (static_cast<std::size_t>(hb.pins_size()) > kMaxHeartbeatPins)
        return s.fail(invalid("at most " + std::to_string(kMaxHeartbeatPins) +
                              " pin counters per heartbeat")),
               false;
      std::vector<db::PinCounters> counters;
      counters.reserve(hb.pins_size());
      for (int i = 0; i < hb.pins_size(); ++i) {
        const auto& p = hb.pins(i);
        auto id = InfoHashV1::from_bytes(p.id());
        if (!id)
          return s.fail(invalid("pins[" + std::to_string(i) + "].id is not 20 bytes")), false;
        counters.push_back({*id, micros(p.last_dht_announce()), micros(p.last_tracker_announce()),
                            p.metadata_served(), p.incoming_connections(),
                            p.resolve_error().substr(0, db::kMaxResolveErrorBytes * 4)});
      }
      db::record_heartbeat(conn(), s.node_id, counters);
    } else {
      return s.fail(invalid("expected hello or heartbeat")), false;
    }
    s.start_read();
    return changed;
  }

  void reload() {
    auto& c = conn();
    if (const auto n = db::fail_overdue(c, options_.resolve_timeout); n > 0)
      logger("keeper")->info("{} pins failed to resolve within {} s", n,
                             options_.resolve_timeout.count());
    const auto pins = db::load_pins(c);
    const auto live = db::live_keepers(c, options_.heartbeat_interval * kKeeperMissedHeartbeats);
    active_.clear();
    revisions_.clear();
    revisions_.reserve(pins.size());
    std::unordered_set<InfoHashV1> all;
    all.reserve(pins.size());
    for (const auto& p : pins) {
      all.insert(p.id);
      if (p.state == db::PinState::kFailed) continue;
      active_.push_back(p.id);
      revisions_.emplace(p.id, p.revision);
    }
    {
      std::lock_guard lock(service_.pinned_mu_);
      service_.pinned_.swap(all);
    }
    assignment_.emplace(live, options_.replication);
    ++generation_;
  }

  // The stream's next message, if it has one: the full set first, then
  // what changed. Bounded by kMaxAssignmentMessageBytes.
  void send_next(Stream& s) {
    if (!assignment_) return;
    if (s.full_sent && !s.more && s.checked_generation == generation_) return;
    if (s.desired_generation != generation_) {
      s.desired = assignment_->pins_of(s.node_id, active_);
      s.desired_generation = generation_;
    }
    v1::KeeperDown message;
    std::vector<InfoHashV1> todo;
    std::size_t cached_count = 0;
    if (!s.full_sent) {
      message.set_full(true);
      // Pins the node has cached first: they cost no info dict, so they all
      // fit in the full message and the node keeps its cache.
      for (const auto& id : s.desired)
        if (s.cached.contains(id)) todo.push_back(id);
      cached_count = todo.size();
      for (const auto& id : s.desired)
        if (!s.cached.contains(id)) todo.push_back(id);
    } else {
      const std::unordered_set<InfoHashV1> desired(s.desired.begin(), s.desired.end());
      for (auto it = s.sent.begin(); it != s.sent.end();) {
        if (!desired.contains(it->first)) {
          message.add_unassign(std::string(it->first.view()));
          it = s.sent.erase(it);
        } else {
          ++it;
        }
      }
      for (const auto& id : s.desired) {
        const auto sent = s.sent.find(id);
        const auto rev = revisions_.find(id);
        if (sent == s.sent.end() || (rev != revisions_.end() && rev->second > sent->second))
          todo.push_back(id);
      }
    }
    std::size_t bytes = static_cast<std::size_t>(message.unassign_size()) * 24;
    std::size_t start = 0;
    bool cut = false;
    while (start < todo.size() && !cut) {
      const std::size_t end = std::min(todo.size(), start + kDetailChunk);
      const std::span<const InfoHashV1> chunk(todo.data() + start, end - start);
      auto rows = db::load_assignments(conn(), chunk);
      std::unordered_map<InfoHashV1, db::AssignmentRow*> by_id;
      for (auto& r : rows) by_id.emplace(r.id, &r);
      // Take pins in order while the message has room (at least one: a
      // single info dict may be larger than the budget, and alone it stays
      // under the channel's limit).
      struct Taken {
        db::AssignmentRow* row;
        bool with_info;  // its info dict goes in the message
      };
      std::vector<Taken> taken;
      std::vector<InfoHashV1> want_info;
      std::size_t k = start;
      for (; k < end; ++k) {
        const auto it = by_id.find(todo[k]);
        if (it == by_id.end()) {
          // Unpinned since the reload: nothing to send; the next reload
          // drops it from the set (and unassigns it, harmlessly).
          const auto rev = revisions_.find(todo[k]);
          s.sent[todo[k]] = rev == revisions_.end() ? 0 : rev->second;
          continue;
        }
        auto& r = *it->second;
        const bool with_info = !r.resolving && k >= cached_count;
        std::size_t size = kAssignmentOverhead + r.name.size() + (with_info ? r.info_size : 0);
        for (const auto& t : r.trackers) size += t.size();
        for (const auto& w : r.web_seeds) size += w.size();
        for (const auto& p : r.peers) size += p.size();
        const std::size_t limit =
            k < cached_count ? kMaxFullCachedBytes : kMaxAssignmentMessageBytes;
        if (message.assign_size() + taken.size() > 0 && bytes + size > limit) {
          cut = true;
          break;
        }
        bytes += size;
        if (with_info) want_info.push_back(r.id);
        taken.push_back({&r, with_info});
      }
      std::unordered_map<InfoHashV1, std::string> dicts;
      for (auto& [id, dict] : db::load_info_dicts(conn(), want_info))
        dicts.emplace(id, std::move(dict));
      for (auto [r, with_info] : taken) {
        auto* a = message.add_assign();
        a->set_id(std::string(r->id.view()));
        if (r->v2) a->set_v2(std::string(r->v2->view()));
        if (const auto d = dicts.find(r->id); d != dicts.end()) {
          a->set_info_dict(std::move(d->second));
        } else if (with_info) {
          r->resolving = true;  // deleted meanwhile: fetch it again
        }
        a->set_resolving(r->resolving);
        for (auto& t : r->trackers) a->add_trackers(std::move(t));
        for (auto& w : r->web_seeds) a->add_web_seeds(std::move(w));
        for (auto& p : r->peers) a->add_peers(std::move(p));
        a->set_name(std::move(r->name));
        s.sent[r->id] = r->revision;
      }
      start = k;
    }
    s.checked_generation = generation_;
    s.more = start < todo.size();
    if (!s.full_sent) {
      s.full_sent = true;
      s.cached.clear();  // later messages always carry the info dict
    } else if (message.assign_size() == 0 && message.unassign_size() == 0) {
      return;
    }
    s.start_write(std::move(message));
  }

  KeeperService& service_;
  const KeeperServiceOptions& options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Stream>> inbox_;
  bool kicked_ = false;
  bool stopping_ = false;
  bool closing_ = false;  // close_streams() was called
  bool closed_ = false;   // worker: the streams were ended

  // Worker thread only.
  std::unique_ptr<pqxx::connection> conn_;
  std::vector<std::shared_ptr<Stream>> streams_;
  std::vector<InfoHashV1> active_;  // RESOLVING and ALIVE pins
  std::unordered_map<InfoHashV1, std::int64_t> revisions_;
  std::optional<PinAssignment> assignment_;
  std::uint64_t generation_ = 0;
  std::thread thread_;
};

KeeperService::KeeperService(KeeperServiceOptions options)
    : options_(std::move(options)), worker_(std::make_unique<Worker>(*this)) {}

KeeperService::~KeeperService() = default;

grpc::ServerBidiReactor<v1::KeeperUp, v1::KeeperDown>* KeeperService::Keep(
    grpc::CallbackServerContext* context) {
  if (auto auth = check_bearer(*context, options_.cluster_token); !auth.ok())
    return new RejectReactor(auth);
  auto stream = std::make_shared<Stream>();
  auto* reactor = new KeepReactor(stream, [this, weak = std::weak_ptr<Stream>(stream)] {
    if (auto s = weak.lock()) enqueue(std::move(s));
  });
  enqueue(stream);
  return reactor;
}

bool KeeperService::is_pinned(const InfoHashV1& id) const {
  std::lock_guard lock(pinned_mu_);
  return pinned_.contains(id);
}

void KeeperService::note_pinned(const InfoHashV1& id) {
  {
    std::lock_guard lock(pinned_mu_);
    pinned_.insert(id);
  }
  kick();
}

void KeeperService::kick() { worker_->kick(); }

void KeeperService::close_streams() { worker_->close_streams(); }

void KeeperService::enqueue(std::shared_ptr<Stream> stream) { worker_->enqueue(std::move(stream)); }

}  // namespace magnetar::rpc
