#include "crawler/pipeline/crawl_node.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/address_v6.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/codec.hpp"
#include "common/log.hpp"
#include "crawler/dht/dht_snapshot.hpp"
#include "crawler/dht/recent_set.hpp"
#include "crawler/dht/tcp_endpoint.hpp"
#include "crawler/pipeline/blocking_worker.hpp"
#include "crawler/pipeline/byte_budget.hpp"
#include "crawler/pipeline/fetch_outcome.hpp"
#include "crawler/pipeline/torrent_ids.hpp"
#include "crawler/state/state_errors.hpp"
#include "crawler/wire/expected_info_hash.hpp"

namespace magnetar::crawler::pipeline {
namespace {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

// The network thread's housekeeping period: batch ages, counters, the pump.
constexpr std::chrono::milliseconds kTick{100};
// Bytes one fetch moves besides the info dict: the BEP 3 handshakes, the BEP
// 10 extension handshakes, and the MSE exchange when encrypted (about 1 kB).
constexpr std::int64_t kFetchOverheadBytes = 1024;
// A hub that keeps failing is logged at most this often.
constexpr std::chrono::seconds kHubErrorLogInterval{30};
// A full outbox is re-checked this often (and on stop).
constexpr std::chrono::milliseconds kOutboxRoomWait{500};

state::Source to_state_source(dht::Source s) {
  switch (s) {
    case dht::Source::kSample:
      return state::Source::kDhtSample;
    case dht::Source::kAnnounce:
      return state::Source::kDhtAnnounce;
    case dht::Source::kGetPeers:
      return state::Source::kDhtGetPeers;
  }
  return state::Source::kUnknown;
}

// An infohash on its way through the stages.
struct Pending {
  InfoHashV1 id;
  state::Source source = state::Source::kDhtSample;
  std::optional<dht::Endpoint> peer;  // the announcer (kAnnounce)
  state::TimePoint seen_at{};
};

}  // namespace

PipelineBounds bounds_for(std::size_t concurrency) {
  const std::size_t c = std::max<std::size_t>(concurrency, 1);
  PipelineBounds b{};
  b.fetches_in_flight = c;
  b.fetch_queue = 64 * c;
  b.triage_batch = std::clamp<std::size_t>(8 * c, 64, ship::kMaxTriageBatch);
  b.triage_backlog = std::max(64 * c, 4 * b.triage_batch);
  b.lookups_in_flight = std::clamp<std::size_t>(c / 2, 8, 64);
  b.retries_per_scan = std::min(c, b.triage_batch);
  return b;
}

struct CrawlNode::Impl {
  explicit Impl(CrawlNodeOptions o)
      : options(std::move(o)),
        bounds(bounds_for(options.concurrency)),
        log(logger("crawler")),
        node(options.state),
        hub(options.hub),
        shipper(hub, node.outbox(), options.shipper),
        worker(bounds.triage_backlog),
        recent(options.recent_capacity),
        committed_aliases(bounds.fetch_queue) {}

  // --- network thread ---------------------------------------------------

  void on_discovery(const dht::Discovery& d) {
    ++discovered;
    if (!recent.insert(d.info_hash)) {
      ++repeats;
      return;
    }
    if (batch.empty()) batch_started = SteadyClock::now();
    batch.push_back({d.info_hash, to_state_source(d.source), d.peer, state::Clock::now()});
    if (batch.size() >= bounds.triage_batch) flush();
  }

  void flush() {
    if (batch.empty()) return;
    const std::size_t n = batch.size();
    std::vector<InfoHashV1> ids;
    ids.reserve(n);
    for (const auto& p : batch) ids.push_back(p.id);
    auto job = [this, b = std::move(batch)]() mutable { triage(std::move(b)); };
    batch = {};
    if (worker.try_post(std::move(job), n)) return;
    dropped += n;
    for (const auto& id : ids) forget(id);
  }

  // An id dropped for want of room is forgotten by the dedupe in front of
  // it, so the DHT offers it again later: dropped, not lost for the run.
  void forget(const InfoHashV1& id) {
    recent.erase(id);
    if (crawler) crawler->forget(id);
  }

  void enqueue_fetches(std::vector<Pending> ids) {
    for (auto& p : ids) {
      if (fetch_queue.size() >= bounds.fetch_queue) {
        ++dropped;
        forget(p.id);
        continue;
      }
      fetch_queue.push_back(std::move(p));
    }
    pump();
  }

  void pump() {
    while (!stopping_net && !outbox_full.load() && in_flight < bounds.fetches_in_flight &&
           !fetch_queue.empty() && wire_budget.allows(SteadyClock::now())) {
      Pending p = std::move(fetch_queue.front());
      fetch_queue.pop_front();
      // Fetched meanwhile under its other id (a hybrid torrent, BEP 52).
      if (committed_aliases.contains(p.id)) {
        ++skipped_seen;
        continue;
      }
      ++in_flight;
      if (crawler->find_peers(p.id)) {
        const auto id = p.id;
        looking_up.emplace(id, std::move(p));
      } else {
        start_fetch(std::move(p), {});
      }
    }
  }

  void on_lookup(const dht::LookupResult& result) {
    const auto it = looking_up.find(result.info_hash);
    if (it == looking_up.end()) return;
    Pending p = std::move(it->second);
    looking_up.erase(it);
    start_fetch(std::move(p), result.peers);
  }

  void start_fetch(Pending p, const std::vector<dht::Endpoint>& peers) {
    if (stopping_net) {
      release();
      return;
    }
    if (committed_aliases.contains(p.id)) {  // fetched under its other id meanwhile
      ++skipped_seen;
      release();
      return;
    }
    std::vector<asio::ip::tcp::endpoint> candidates;
    candidates.reserve(peers.size() + 1);
    // A real crawler connects to public addresses only: a hostile announce
    // or get_peers reply could point it at hosts of its own network.
    const auto usable = [&](const dht::Endpoint& e) {
      if (options.session.loopback || dht::is_global(e.ip)) return true;
      ++local_peers_dropped;
      return false;
    };
    if (p.peer && usable(*p.peer)) candidates.push_back(to_tcp(*p.peer));
    for (const auto& e : peers) {
      if (usable(e)) candidates.push_back(to_tcp(e));
    }
    const auto target = wire::ExpectedInfoHash::from_id(p.id);
    fetcher->fetch(target, std::move(candidates),
                   [this, p = std::move(p)](Result<std::string> r) mutable {
                     on_fetched(std::move(p), std::move(r));
                   });
  }

  void on_fetched(Pending p, Result<std::string> r) {
    // What the fetch moved, for crawler.bandwidth: the info dict, and the
    // handshakes every attempt costs.
    wire_budget.spend(
        kFetchOverheadBytes + (r.ok() ? static_cast<std::int64_t>(r.value().size()) : 0),
        SteadyClock::now());
    if (r.ok()) {
      // The slot is held until the dict is committed: a full outbox stops
      // the fetching through it.
      worker.post([this, p = std::move(p), dict = std::move(r).value()] {
        auto aliases = commit(p, dict);
        asio::post(io, [this, aliases = std::move(aliases)] {
          for (const auto& id : aliases) committed_aliases.insert(id);
          release();
        });
      });
      return;
    }
    const auto& code = r.error().code;
    if (!is_cancelled(code)) {
      const auto outcome = outcome_of(code);
      log->debug("fetch of {} (source {}) failed: {} ({})", to_hex(p.id.view()),
                 static_cast<int>(p.source), r.error().message(), state::to_string(outcome));
      ++failed[static_cast<std::size_t>(outcome)];
      // The source is kept with the failure, for its retry.
      worker.post([this, attempt = state::SeenAttempt{p.id, outcome, p.source}] {
        node.seen().record_attempts(std::span(&attempt, 1), state::Clock::now());
      });
    }
    release();
  }

  void release() {
    --in_flight;
    pump();
  }

  // Failures whose retry time has come are fetched again by the node itself,
  // not only when the DHT offers them again: once per kRetryScanInterval,
  // at most retries_per_scan of them, and only while the fetch queue has
  // room for them (a retry dropped there would wait out its lease).
  void maybe_scan_retries(SteadyClock::time_point now) {
    if (now < next_retry_scan || retry_scan_pending || outbox_full.load() ||
        fetch_queue.size() + bounds.retries_per_scan > bounds.fetch_queue) {
      return;
    }
    next_retry_scan = now + kRetryScanInterval;
    retry_scan_pending = true;
    const bool queued = worker.try_post(
        [this] {
          retry_due();
          asio::post(io, [this] { retry_scan_pending = false; });
        },
        bounds.retries_per_scan);
    if (!queued) retry_scan_pending = false;
  }

  void schedule_tick() {
    timer->expires_after(kTick);
    timer->async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopping_net) return;
      tick();
      schedule_tick();
    });
  }

  void tick() {
    const auto now = SteadyClock::now();
    if (!batch.empty() && now - batch_started >= options.batch_delay) flush();
    pump();
    maybe_scan_retries(now);
    if (now >= next_state_save) {
      next_state_save = now + kDhtStateSaveInterval;
      worker.post([this, snapshot = crawler->snapshot()] {
        node.dht().save_dht_state(dht::encode_snapshot(snapshot));
      });
    }
    CrawlCounters c;
    c.routing_table_nodes = crawler->routing_table().nodes;
    c.frontier_nodes = crawler->sampler().size();
    c.samples_sent = crawler->sampler().stats().sent;
    c.sample_replies = crawler->sampler().stats().replies;
    c.harvested = crawler->harvester().stats().new_from_announces +
                  crawler->harvester().stats().new_from_lookups;
    c.fetches_in_flight = in_flight;
    c.fetch_queue = fetch_queue.size();
    dht_port = crawler->session().listen_port();
    std::lock_guard lock(snapshot_mu);
    net_snapshot = c;
  }

  // --- worker thread ----------------------------------------------------

  // Retries skip the seen set (it handed them out: they are due); fresh
  // discoveries go through it.
  void triage(std::vector<Pending> batch_in, bool check_seen = true) {
    const auto now = state::Clock::now();
    std::vector<InfoHashV1> ids;
    ids.reserve(batch_in.size());
    for (const auto& p : batch_in) ids.push_back(p.id);
    const auto wanted =
        check_seen ? node.seen().should_fetch(ids, now) : std::vector<bool>(ids.size(), true);
    std::vector<Pending> candidates;
    ids.clear();
    for (std::size_t i = 0; i < batch_in.size(); ++i) {
      if (!wanted[i]) {
        ++skipped_seen;
        continue;
      }
      ids.push_back(batch_in[i].id);
      candidates.push_back(std::move(batch_in[i]));
    }
    if (candidates.empty()) return;

    std::vector<ship::Verdict> verdicts;
    try {
      verdicts = hub.triage(ids);
    } catch (const std::exception& e) {
      // Without the hub's answer, fetch anyway (DESIGN.md: a node whose hub
      // is down keeps fetching into its outbox); the hub's ingest dedupes.
      ++triage_failures;
      log_hub_error(e);
      verdicts.assign(ids.size(), ship::Verdict::kNew);
    }
    std::vector<state::SeenAttempt> skipped;
    std::vector<Pending> fresh;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const auto v = i < verdicts.size() ? verdicts[i] : ship::Verdict::kNew;
      if (v == ship::Verdict::kNew) {
        fresh.push_back(std::move(candidates[i]));
        continue;
      }
      (v == ship::Verdict::kKnown ? skipped_known : skipped_blocked)++;
      skipped.push_back({candidates[i].id, state::FetchOutcome::kSkipped});
    }
    if (!skipped.empty()) node.seen().record_attempts(skipped, now);
    if (fresh.empty()) return;
    new_infohashes += fresh.size();
    asio::post(io,
               [this, fresh = std::move(fresh)]() mutable { enqueue_fetches(std::move(fresh)); });
  }

  void retry_due() {
    const auto due = node.seen().take_due_retries(state::Clock::now(), bounds.retries_per_scan,
                                                  options.retry_lease);
    if (due.empty()) return;
    retried += due.size();
    std::vector<Pending> batch_out;
    batch_out.reserve(due.size());
    for (const auto& d : due) {
      batch_out.push_back({d.id, d.source, std::nullopt, state::Clock::now()});
    }
    log->debug("retrying {} failed infohashes", due.size());
    triage(std::move(batch_out), false);
  }

  void log_hub_error(const std::exception& e) {
    const auto now = SteadyClock::now();
    if (last_hub_log != SteadyClock::time_point{} && now - last_hub_log < kHubErrorLogInterval) {
      return;
    }
    last_hub_log = now;
    const auto* hub_error = dynamic_cast<const ship::HubError*>(&e);
    if (hub_error && hub_error->unauthenticated()) {
      log->error(
          "hub {} refuses our cluster token (check --token / crawler.token); fetching "
          "into the outbox meanwhile",
          options.hub.address);
    } else {
      log->warn("hub {} triage failed ({}); fetching without it meanwhile", options.hub.address,
                e.what());
    }
  }

  // Returns the torrent's other ids marked fetched with it (a hybrid's).
  std::vector<InfoHashV1> commit(const Pending& p, const std::string& dict) {
    // A hybrid torrent's other id is marked fetched too (BEP 52).
    auto ids = dht_ids(dict);
    for (;;) {
      const auto r = node.commit_fetch(p.id, dict, p.source, p.seen_at, ids);
      if (r.ok()) {
        ++fetch_ok;
        if (outbox_full.exchange(false)) {
          log->info("outbox has room again ({} items): fetching resumes", node.outbox().size());
        }
        std::erase(ids, p.id);
        return ids;
      }
      if (r.error().code == state::Errc::kOutboxFull) {
        if (!outbox_full.exchange(true)) {
          log->warn("outbox full ({} items, {} bytes): fetching paused until the hub takes items",
                    node.outbox().size(), node.outbox().bytes());
        }
        if (worker.stopping()) return {};  // not recorded: fetched again next run
        node.outbox().wait_for_room(dict.size(), kOutboxRoomWait);
        continue;
      }
      // Too large for the outbox ever: as good as unusable metadata.
      ++failed[static_cast<std::size_t>(state::FetchOutcome::kBadMetadata)];
      node.seen().record_attempt(p.id, state::FetchOutcome::kBadMetadata, state::Clock::now());
      return {};
    }
  }

  // --- reporter thread ----------------------------------------------------

  ship::NodeReport make_report() {
    const auto c = counters();
    return {options.shipper.node_id, started_at, report_counters(c), report_gauges(c)};
  }

  void send_report(std::optional<std::chrono::milliseconds> deadline = {}) {
    try {
      hub.report(make_report(), deadline);
      ++reports_sent;
    } catch (const std::exception& e) {
      ++report_failures;
      const auto now = SteadyClock::now();
      if (last_report_log == SteadyClock::time_point{} ||
          now - last_report_log >= kHubErrorLogInterval) {
        last_report_log = now;
        log->warn("hub {}: counters not reported ({})", options.hub.address, e.what());
      }
    }
  }

  void run_reporter() {
    std::unique_lock lock(report_mu);
    while (!report_stop) {
      if (report_cv.wait_for(lock, options.report_interval, [this] { return report_stop; })) break;
      lock.unlock();
      send_report();
      lock.lock();
    }
  }

  CrawlCounters counters() {
    CrawlCounters c;
    {
      std::lock_guard lock(snapshot_mu);
      c = net_snapshot;
    }
    c.discovered = discovered;
    c.repeats = repeats;
    c.dropped = dropped;
    c.skipped_seen = skipped_seen;
    c.skipped_known = skipped_known;
    c.skipped_blocked = skipped_blocked;
    c.new_infohashes = new_infohashes;
    c.triage_failures = triage_failures;
    c.retried = retried;
    c.fetch_ok = fetch_ok;
    for (std::size_t i = 0; i < kOutcomeSlots; ++i) c.fetch_failed[i] = failed[i];
    c.outbox_full = outbox_full;
    const auto s = shipper.counters();
    c.outbox_depth = node.outbox().size();
    c.outbox_bytes = node.outbox().bytes();
    c.shipped = s.shipped;
    c.acked = s.acked;
    c.ship_auth_failures = s.auth_failures;
    c.reports_sent = reports_sent;
    c.report_failures = report_failures;
    return c;
  }

  CrawlNodeOptions options;
  const PipelineBounds bounds;
  std::shared_ptr<spdlog::logger> log;
  state::NodeState node;
  ship::HubClient hub;
  ship::OutboxShipper shipper;
  BlockingWorker worker;

  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::unique_ptr<dht::DhtCrawler> crawler;
  std::unique_ptr<wire::MetadataFetcher> fetcher;
  std::unique_ptr<keeper::DhtSessionKeeperDht> keeper_dht;
  std::unique_ptr<keeper::KeeperNode> keeper;
  std::unique_ptr<asio::steady_timer> timer;
  // The peer wire's part of crawler.bandwidth (no cap by default).
  ByteBudget wire_budget{0};
  std::thread net_thread;

  // Network thread only.
  dht::RecentSet recent;
  // Ids committed as a fetched torrent's other id (a hybrid's), so a fetch
  // of it still queued is skipped; as many as the fetch queue holds.
  dht::RecentSet committed_aliases;
  std::vector<Pending> batch;
  SteadyClock::time_point batch_started{};
  std::deque<Pending> fetch_queue;
  std::unordered_map<InfoHashV1, Pending> looking_up;
  std::size_t in_flight = 0;
  std::uint64_t local_peers_dropped = 0;
  bool stopping_net = false;
  bool retry_scan_pending = false;
  SteadyClock::time_point next_retry_scan{};
  SteadyClock::time_point next_state_save{};

  // Worker thread only.
  SteadyClock::time_point last_hub_log{};

  // Shared.
  std::atomic<bool> outbox_full{false};
  std::atomic<std::uint64_t> discovered{0}, repeats{0}, dropped{0}, skipped_seen{0},
      skipped_known{0}, skipped_blocked{0}, new_infohashes{0}, triage_failures{0}, fetch_ok{0};
  std::atomic<std::uint64_t> retried{0};
  std::array<std::atomic<std::uint64_t>, kOutcomeSlots> failed{};
  mutable std::mutex snapshot_mu;
  CrawlCounters net_snapshot;
  std::atomic<std::uint16_t> dht_port{0};
  bool started = false;
  bool stopped = false;

  // Reports to the hub.
  std::chrono::system_clock::time_point started_at{};
  std::thread reporter;
  std::mutex report_mu;
  std::condition_variable report_cv;
  bool report_stop = false;                   // guarded by report_mu
  SteadyClock::time_point last_report_log{};  // reporter thread, then stop()
  std::atomic<std::uint64_t> reports_sent{0}, report_failures{0};
};

CrawlNode::CrawlNode(CrawlNodeOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

CrawlNode::~CrawlNode() { stop(); }

void CrawlNode::start() {
  auto& m = *impl_;
  if (m.started || m.stopped) return;
  auto session = m.options.session;
  auto dht_config = m.options.dht;
  // The DHT side of the last run: node id, routing table, sampling schedule.
  if (const auto saved = m.node.dht().load_dht_state()) {
    if (auto snapshot = dht::decode_snapshot(*saved); snapshot.ok()) {
      if (session.saved_state.empty()) session.saved_state = std::move(snapshot->session_state);
      if (dht_config.restore.empty()) dht_config.restore = std::move(snapshot->schedule);
    } else {
      m.log->warn("saved DHT state unreadable ({}): starting afresh", snapshot.error().message());
    }
  }
  dht_config.lookups.max_in_flight = m.bounds.lookups_in_flight;
  dht_config.lookups.max_queued =
      std::max(dht_config.lookups.max_queued, m.bounds.fetches_in_flight);
  m.crawler =
      std::make_unique<dht::DhtCrawler>(m.io, std::move(session), std::move(dht_config),
                                        [&m](const dht::Discovery& d) { m.on_discovery(d); });
  m.crawler->set_lookup_handler([&m](const dht::LookupResult& r) { m.on_lookup(r); });
  m.wire_budget = ByteBudget(m.crawler->session().peer_wire_rate_limit());
  m.fetcher = std::make_unique<wire::MetadataFetcher>(m.io, m.options.fetcher);
  m.timer = std::make_unique<asio::steady_timer>(m.io);
  m.next_state_save = SteadyClock::now() + kDhtStateSaveInterval;
  m.crawler->start();
  if (m.options.keeper) {
    keeper::KeeperNodeOptions k = *m.options.keeper;
    if (k.node_id.empty()) k.node_id = m.options.shipper.node_id;
    if (k.hub_address.empty()) k.hub_address = m.options.hub.address;
    if (k.token.empty()) k.token = m.options.hub.token;
    m.keeper_dht = std::make_unique<keeper::DhtSessionKeeperDht>(m.crawler->session());
    m.keeper = std::make_unique<keeper::KeeperNode>(m.io, std::move(k), m.node, *m.keeper_dht);
    m.crawler->set_peers_observer(
        [&m](const InfoHashV1& id, const std::vector<dht::Endpoint>& peers) {
          m.keeper->on_get_peers_reply(id, peers);
        });
    m.keeper->start();  // throws when the peer port cannot be bound
    m.crawler->session().map_tcp_port(m.keeper->peer_port());
  }
  m.schedule_tick();
  m.worker.start();
  m.shipper.start();
  m.guard.emplace(m.io.get_executor());
  m.net_thread = std::thread([&m] { m.io.run(); });
  m.started_at = std::chrono::system_clock::now();
  if (m.options.report_interval.count() > 0) {
    m.reporter = std::thread([&m] { m.run_reporter(); });
  }
  m.started = true;
  m.log->info("crawl node started: hub {}, concurrency {}, data in {}", m.options.hub.address,
              m.bounds.fetches_in_flight, m.node.path().string());
}

void CrawlNode::stop() {
  auto& m = *impl_;
  if (!m.started || m.stopped) return;
  m.stopped = true;
  asio::post(m.io, [&m] {
    m.stopping_net = true;
    m.flush();  // nothing is lost by dropping it, but triage is cheap
    m.timer->cancel();
    if (m.keeper) m.keeper->stop();
    m.crawler->stop();
    m.fetcher->stop();  // pending fetches complete with kCancelled, posted
    asio::post(m.io, [&m] {
      m.guard.reset();
      m.io.stop();
    });
  });
  if (m.net_thread.joinable()) m.net_thread.join();
  // The io_context no longer runs: the DHT parts may be used from here.
  try {
    m.node.dht().save_dht_state(dht::encode_snapshot(m.crawler->snapshot()));
  } catch (const std::exception& e) {
    m.log->warn("could not save the DHT state: {}", e.what());
  }
  m.timer.reset();
  m.fetcher.reset();
  m.keeper.reset();
  m.keeper_dht.reset();
  m.crawler.reset();
  m.worker.stop();  // commits what was fetched
  m.shipper.stop();
  if (m.reporter.joinable()) {
    {
      std::lock_guard lock(m.report_mu);
      m.report_stop = true;
    }
    m.report_cv.notify_all();
    m.reporter.join();
    m.send_report(kFinalReportDeadline);  // the final figures of this run
  }
  m.log->info("crawl node stopped: {} fetched, outbox {}", m.fetch_ok.load(),
              m.node.outbox().size());
}

CrawlCounters CrawlNode::counters() const { return impl_->counters(); }

state::NodeState& CrawlNode::state() { return impl_->node; }

std::uint16_t CrawlNode::dht_port() const { return impl_->dht_port; }

const PipelineBounds& CrawlNode::bounds() const { return impl_->bounds; }

keeper::KeeperNode* CrawlNode::keeper() { return impl_->keeper.get(); }

}  // namespace magnetar::crawler::pipeline
