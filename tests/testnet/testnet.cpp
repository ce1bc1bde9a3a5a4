#include "tests/testnet/testnet.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/disk_interface.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/torrent_info.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "tests/testnet/loopback_settings.hpp"
#include "tests/testnet/rng.hpp"

namespace magnetar::testnet {

namespace {

using Clock = std::chrono::steady_clock;

// How often start() asks every node for its routing table size.
constexpr auto kDhtStatsPeriod = std::chrono::milliseconds(50);
// How often a node whose table is still short is joined to others again
// (a ping can be lost while the other side is still starting).
constexpr auto kRejoinPeriod = std::chrono::seconds(2);
// How long start() waits for an announce to land before asking again.
constexpr auto kReannouncePeriod = std::chrono::seconds(3);
// Forced announces a seeder starts per second, and at once (see
// release_announces).
constexpr double kAnnouncesPerSecond = 500;
constexpr double kAnnounceBurst = 100;
// Threads constructing sessions at start.
constexpr std::size_t kSessionBuilders = 8;
// Longest the pump sleeps without a notification: alerts are drained on
// libtorrent's notify, this only bounds a missed wake-up.
constexpr auto kPumpIdle = std::chrono::milliseconds(50);

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

InfoHashV1 to_id(const lt::sha1_hash& h) {
  return *InfoHashV1::from_bytes(std::string_view(h.data(), lt::sha1_hash::size()));
}

}  // namespace

struct Testnet::Impl {
  struct Node {
    std::size_t index = 0;
    bool seeder = false;
    std::string address;
    std::unique_ptr<lt::session> session;
    std::atomic<bool> pending{false};
    // Guarded by Impl::mutex.
    std::optional<lt::tcp::endpoint> tcp;
    std::optional<lt::udp::endpoint> udp;
    std::size_t routing_nodes = 0;
    std::deque<lt::torrent_handle> announce_queue;  // checked, not yet announced
    double announce_tokens = kAnnounceBurst;
  };

  explicit Impl(TestnetOptions o) : options(std::move(o)) {}

  TestnetOptions options;
  std::vector<std::unique_ptr<Node>> nodes;
  StartReport report;
  // Read-only once the sessions exist.
  std::map<lt::address, std::size_t> seeder_by_ip;
  std::unordered_map<InfoHashV1, std::pair<std::size_t, int>> torrent_by_id;  // kind 0 v1, 1 v2

  // Everything below is guarded by `mutex` and signalled by `changed`.
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::string failure;
  std::size_t added = 0;
  std::size_t checked = 0;
  bool announce_on_check = false;
  std::unordered_set<std::uint64_t> announced;                    // (torrent, seeder node, kind)
  std::unordered_map<std::uint64_t, lt::torrent_handle> handles;  // (torrent, seeder node, 0)
  std::size_t announces = 0;
  std::size_t get_peers = 0;

  std::mutex wake_mutex;
  std::condition_variable wake_cv;
  bool wake = false;
  std::atomic<bool> stopping{false};
  std::thread pump;
  bool running = false;
  bool started = false;  // start() was called: a testnet starts once

  std::uint64_t announce_key(std::size_t torrent, std::size_t node, int kind) const {
    return (static_cast<std::uint64_t>(torrent) * nodes.size() + node) * 2 +
           static_cast<std::uint64_t>(kind);
  }

  void notify() {
    {
      std::lock_guard lock(wake_mutex);
      wake = true;
    }
    wake_cv.notify_one();
  }

  void pump_loop() {
    std::vector<lt::alert*> alerts;
    auto last_full_drain = Clock::now();
    auto last_release = Clock::now();
    while (!stopping.load()) {
      {
        std::unique_lock lock(wake_mutex);
        wake_cv.wait_for(lock, kPumpIdle, [&] { return wake || stopping.load(); });
        wake = false;
      }
      const bool drain_all = Clock::now() - last_full_drain > kPumpIdle;
      if (drain_all) last_full_drain = Clock::now();
      for (auto& node : nodes) {
        if (!node->pending.exchange(false) && !drain_all) continue;
        node->session->pop_alerts(&alerts);
        if (alerts.empty()) continue;
        std::lock_guard lock(mutex);
        for (lt::alert* a : alerts) handle(*node, a);
        changed.notify_all();
      }
      release_announces(last_release);
    }
  }

  // Forces the announces of checked torrents, at most kAnnouncesPerSecond
  // per seeder: each is a get_peers lookup whose replies come back at once,
  // and thousands together overflow the seeder's UDP buffer.
  void release_announces(Clock::time_point& last) {
    const auto now = Clock::now();
    const double refill = std::chrono::duration<double>(now - last).count() * kAnnouncesPerSecond;
    last = now;
    std::vector<lt::torrent_handle> release;
    {
      std::lock_guard lock(mutex);
      for (auto& node : nodes) {
        node->announce_tokens = std::min<double>(kAnnounceBurst, node->announce_tokens + refill);
        while (!node->announce_queue.empty() && node->announce_tokens >= 1) {
          release.push_back(std::move(node->announce_queue.front()));
          node->announce_queue.pop_front();
          node->announce_tokens -= 1;
        }
      }
    }
    for (const auto& h : release) h.force_dht_announce();
  }

  // Called with `mutex` held, on the pump thread.
  void handle(Node& node, lt::alert* a) {
    if (auto* ok = lt::alert_cast<lt::listen_succeeded_alert>(a)) {
      if (ok->socket_type == lt::socket_type_t::tcp)
        node.tcp = lt::tcp::endpoint(ok->address, static_cast<std::uint16_t>(ok->port));
      if (ok->socket_type == lt::socket_type_t::utp)
        node.udp = lt::udp::endpoint(ok->address, static_cast<std::uint16_t>(ok->port));
    } else if (auto* failed = lt::alert_cast<lt::listen_failed_alert>(a)) {
      // A failed accept() (EAGAIN, ECONNABORTED: the peer reset first) is
      // transient and the socket keeps listening; only bind/listen failures are.
      if (failed->op != lt::operation_t::sock_accept) {
        failure = "session " + node.address + ": " + failed->message();
      }
    } else if (auto* stats = lt::alert_cast<lt::dht_stats_alert>(a)) {
      std::size_t n = 0;
      for (const auto& bucket : stats->routing_table)
        n += static_cast<std::size_t>(bucket.num_nodes);
      node.routing_nodes = n;
    } else if (auto* add = lt::alert_cast<lt::add_torrent_alert>(a)) {
      if (add->error) failure = "adding a torrent to " + node.address + ": " + add->error.message();
      ++added;
      const lt::info_hash_t ih =
          add->params.ti ? add->params.ti->info_hashes() : add->params.info_hashes;
      const auto torrent = torrent_by_id.find(to_id(ih.get_best()));
      if (!add->error && torrent != torrent_by_id.end()) {
        handles[announce_key(torrent->second.first, node.index, 0)] = add->handle;
      }
    } else if (auto* check = lt::alert_cast<lt::torrent_checked_alert>(a)) {
      ++checked;
      // BEP 5 announce soon rather than in libtorrent's queue of one a second.
      if (announce_on_check) node.announce_queue.push_back(check->handle);
    } else if (auto* announce = lt::alert_cast<lt::dht_announce_alert>(a)) {
      ++announces;
      const auto seeder = seeder_by_ip.find(announce->ip);
      const auto torrent = torrent_by_id.find(to_id(announce->info_hash));
      if (seeder != seeder_by_ip.end() && torrent != torrent_by_id.end()) {
        announced.insert(
            announce_key(torrent->second.first, seeder->second, torrent->second.second));
      }
    } else if (lt::alert_cast<lt::dht_get_peers_alert>(a)) {
      ++get_peers;
    }
  }

  // Waits on `changed` until `ready` holds, calling `tick` about every
  // kDhtStatsPeriod with the lock released. Throws on failure or deadline.
  void wait(std::unique_lock<std::mutex>& lock, Clock::time_point deadline, const std::string& what,
            const std::function<bool()>& ready, const std::function<std::string()>& progress,
            const std::function<void()>& tick = {}) {
    auto next_tick = Clock::now();
    while (true) {
      if (!failure.empty()) throw TestnetError("testnet: " + failure);
      if (ready()) return;
      const auto now = Clock::now();
      if (now >= deadline) {
        throw TestnetError("testnet: timed out waiting for " + what + " (" + progress() + ")");
      }
      if (tick && now >= next_tick) {
        lock.unlock();
        tick();
        lock.lock();
        next_tick = now + kDhtStatsPeriod;
        continue;
      }
      changed.wait_until(lock, std::min(deadline, tick ? next_tick : deadline));
    }
  }

  lt::settings_pack node_settings(const Node& node) const {
    lt::settings_pack s = loopback_settings(node.address, options.port);
    s.set_int(lt::settings_pack::dht_sample_infohashes_interval,
              options.sample_infohashes_interval);
    s.set_int(lt::settings_pack::dht_max_torrents, options.dht_max_torrents);
    s.set_int(lt::settings_pack::dht_announce_interval, options.dht_announce_interval);
    if (node.seeder && options.encryption == Encryption::kForced) {
      s.set_int(lt::settings_pack::in_enc_policy, lt::settings_pack::pe_forced);
      s.set_int(lt::settings_pack::out_enc_policy, lt::settings_pack::pe_forced);
      s.set_int(lt::settings_pack::allowed_enc_level, lt::settings_pack::pe_rc4);
      s.set_bool(lt::settings_pack::prefer_rc4, true);
    } else {
      s.set_int(lt::settings_pack::in_enc_policy, lt::settings_pack::pe_enabled);
      s.set_int(lt::settings_pack::out_enc_policy, lt::settings_pack::pe_enabled);
      s.set_int(lt::settings_pack::allowed_enc_level, lt::settings_pack::pe_both);
    }
    return s;
  }

  void create_sessions() {
    const std::size_t total = options.dht_nodes + options.seeders;
    nodes.reserve(total);
    for (std::size_t i = 0; i < total; ++i) {
      auto node = std::make_unique<Node>();
      node->index = i;
      node->seeder = i >= options.dht_nodes;
      node->address = loopback_address(options.first_address + i);
      if (node->seeder) seeder_by_ip.emplace(lt::make_address(node->address), i);
      nodes.push_back(std::move(node));
    }
    // Sessions are independent: build several at once.
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> builders;
    std::mutex error_mutex;
    std::string error;
    std::optional<EmptyCaBundle> no_certificates;
    if (options.skip_ca_bundle) no_certificates.emplace();
    for (std::size_t b = 0; b < std::min(kSessionBuilders, total); ++b) {
      builders.emplace_back([&] {
        for (std::size_t i = next++; i < total; i = next++) {
          try {
            nodes[i]->session =
                std::make_unique<lt::session>(disk_less_session_params(node_settings(*nodes[i])));
          } catch (const std::exception& e) {
            std::lock_guard lock(error_mutex);
            error = "session " + nodes[i]->address + ": " + e.what();
          }
        }
      });
    }
    for (auto& b : builders) b.join();
    if (!error.empty()) throw TestnetError("testnet: " + error);
    // The pump reads `nodes`: start it only once the vector is complete.
    for (auto& node : nodes) {
      Node* n = node.get();
      n->session->set_alert_notify([this, n] {
        n->pending.store(true);
        notify();
      });
      n->pending.store(true);  // alerts posted before the callback was set
    }
    pump = std::thread([this] { pump_loop(); });
  }

  void join(Rng& rng, Node& node) {
    const std::size_t total = nodes.size();
    if (total < 2) return;
    std::vector<std::size_t> others;
    if (total - 1 <= options.join_degree) {
      for (std::size_t j = 0; j < total; ++j) {
        if (j != node.index) others.push_back(j);
      }
    } else {
      while (others.size() < options.join_degree) {
        const std::size_t j = rng.between(0, total - 1);
        if (j != node.index && std::find(others.begin(), others.end(), j) == others.end()) {
          others.push_back(j);
        }
      }
    }
    std::vector<lt::udp::endpoint> targets;
    {
      std::lock_guard lock(mutex);
      for (const std::size_t j : others) targets.push_back(*nodes[j]->udp);
    }
    for (const auto& ep : targets)
      node.session->add_dht_node({ep.address().to_string(), ep.port()});
  }

  void add_torrents() {
    const auto& torrents = options.torrents;
    const std::size_t copies = options.copies;
    // Parsing the .torrent files is most of the work (v2 piece layers are
    // checked against their roots): spread it over threads, then hand each
    // torrent to its seeder.
    std::vector<lt::add_torrent_params> params(torrents.size() * copies);
    std::atomic<std::size_t> next{0};
    std::mutex error_mutex;
    std::string error;
    auto work = [&] {
      for (std::size_t k = next++; k < params.size(); k = next++) {
        const GeneratedTorrent& g = torrents[k / copies];
        lt::add_torrent_params& atp = params[k];
        // One torrent_info per session: libtorrent may change it (e.g. free
        // its piece layers), and sessions run on their own threads.
        lt::error_code ec;
        atp.ti = std::make_shared<lt::torrent_info>(
            lt::span<const char>(g.torrent_file.data(),
                                 static_cast<std::ptrdiff_t>(g.torrent_file.size())),
            ec, lt::from_span);
        if (ec) {
          std::lock_guard lock(error_mutex);
          error = "torrent " + g.name + ": " + ec.message();
        }
        atp.save_path = ".";  // never used: the storage is disk-less
        // Seeding, not auto-managed (active_seeds would cap how many seed and
        // announce), in seed mode (no checking of the absent files).
        atp.flags = lt::torrent_flags::seed_mode;
        if (!options.announce) atp.flags |= lt::torrent_flags::disable_dht;
      }
    };
    std::vector<std::thread> pool;
    const std::size_t threads =
        std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kSessionBuilders);
    for (std::size_t t = 1; t < std::min(threads, params.size()); ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    if (!error.empty()) throw TestnetError("testnet: " + error);
    for (std::size_t k = 0; k < params.size(); ++k) {
      const std::size_t t = k / copies;
      Node& node = *nodes[options.dht_nodes + (t + k % copies) % options.seeders];
      node.session->async_add_torrent(std::move(params[k]));
    }
  }

  std::size_t announces_required() const {
    std::size_t n = 0;
    for (const auto& t : options.torrents)
      n += (t.info_hashes.v1 ? 1 : 0) + (t.info_hashes.v2 ? 1 : 0);
    return n * options.copies;
  }

  void start() {
    const auto begin = Clock::now();
    const auto deadline = begin + options.start_timeout;
    if (options.torrents.empty() && options.generator.count > 0) {
      options.torrents = generate_torrents(options.generator);
    }
    report.generate = since(begin);
    if (options.seeders == 0 && !options.torrents.empty()) {
      throw TestnetError("testnet: torrents but no seeders");
    }
    if (options.announce && !options.torrents.empty() && options.dht_nodes + options.seeders < 2) {
      throw TestnetError("testnet: announcing needs a DHT node besides the seeder (BEP 5)");
    }
    options.copies =
        std::clamp<std::size_t>(options.copies, 1, std::max<std::size_t>(options.seeders, 1));
    for (std::size_t t = 0; t < options.torrents.size(); ++t) {
      const auto& h = options.torrents[t].info_hashes;
      if (h.v1) torrent_by_id.emplace(*h.v1, std::pair{t, 0});
      if (h.v2) torrent_by_id.emplace(truncate(*h.v2), std::pair{t, 1});
    }

    // 1. Sessions, until each listens (TCP and UDP) on its address.
    auto phase = Clock::now();
    create_sessions();
    running = true;
    {
      std::unique_lock lock(mutex);
      wait(
          lock, deadline, "sessions to listen",
          [&] {
            return std::all_of(nodes.begin(), nodes.end(),
                               [](const auto& n) { return n->tcp && n->udp; });
          },
          [&] {
            return std::to_string(std::count_if(nodes.begin(), nodes.end(),
                                                [](const auto& n) { return n->tcp && n->udp; })) +
                   "/" + std::to_string(nodes.size()) + " listening";
          });
      for (const auto& n : nodes) {
        // A seeder announces its UDP port (implied_port); peers then connect
        // to it over TCP, so both must be the same.
        if (n->seeder && n->tcp->port() != n->udp->port()) {
          throw TestnetError("testnet: seeder " + n->address + " got TCP port " +
                             std::to_string(n->tcp->port()) + " but UDP port " +
                             std::to_string(n->udp->port()));
        }
      }
    }
    report.listen = since(phase);

    // 2. Join each node to a few random others until every routing table is
    // filled (add_dht_node pings; a reply enters the table).
    phase = Clock::now();
    Rng rng(options.seed);
    for (auto& n : nodes) join(rng, *n);
    const std::size_t need = std::min(options.join_degree, nodes.size() - 1);
    auto last_join = Clock::now();
    {
      std::unique_lock lock(mutex);
      auto short_nodes = [&] {
        return static_cast<std::size_t>(std::count_if(
            nodes.begin(), nodes.end(), [&](const auto& n) { return n->routing_nodes < need; }));
      };
      wait(
          lock, deadline, "DHT routing tables", [&] { return short_nodes() == 0; },
          [&] {
            return std::to_string(short_nodes()) + " nodes with fewer than " + std::to_string(need);
          },
          [&] {
            const bool rejoin = Clock::now() - last_join > kRejoinPeriod;
            for (auto& n : nodes) {
              bool short_table;
              {
                std::lock_guard l(mutex);
                short_table = n->routing_nodes < need;
              }
              if (rejoin && short_table) join(rng, *n);
              n->session->post_dht_stats();
            }
            if (rejoin) last_join = Clock::now();
          });
      report.min_routing_table = nodes.empty() ? 0 : std::numeric_limits<std::size_t>::max();
      double sum = 0;
      for (const auto& n : nodes) {
        report.min_routing_table = std::min(report.min_routing_table, n->routing_nodes);
        sum += static_cast<double>(n->routing_nodes);
      }
      report.mean_routing_table = nodes.empty() ? 0 : sum / static_cast<double>(nodes.size());
      announce_on_check = options.announce;
    }
    report.dht = since(phase);

    // 3. Torrents, until every copy seeds; each announces once checked.
    phase = Clock::now();
    add_torrents();
    const std::size_t copies = options.torrents.size() * options.copies;
    {
      std::unique_lock lock(mutex);
      wait(
          lock, deadline, "torrents to seed", [&] { return added == copies && checked == copies; },
          [&] {
            return std::to_string(added) + " added, " + std::to_string(checked) + " seeding of " +
                   std::to_string(copies);
          });
    }
    report.add = since(phase);

    // 4. Announces, until every seeder's announce of each of its infohashes
    // (both of a hybrid) reached at least one node.
    phase = Clock::now();
    if (options.announce) {
      const std::size_t required = announces_required();
      auto last_announce = Clock::now();
      std::unique_lock lock(mutex);
      wait(
          lock, deadline, "DHT announces", [&] { return announced.size() == required; },
          [&] {
            return std::to_string(announced.size()) + "/" + std::to_string(required) + " announced";
          },
          // An announce is lost when the replies to its get_peers lookup are
          // (a burst of lookups overflows a UDP buffer): announce again.
          [&] {
            if (Clock::now() - last_announce < kReannouncePeriod) return;
            last_announce = Clock::now();
            std::vector<lt::torrent_handle> again;
            {
              std::lock_guard l(mutex);
              for (const auto& [key, handle] : handles) {
                const std::uint64_t base = key & ~std::uint64_t{1};
                const auto& h = options.torrents[(base / 2) / nodes.size()].info_hashes;
                if ((h.v1 && !announced.count(base)) || (h.v2 && !announced.count(base + 1))) {
                  again.push_back(handle);
                }
              }
            }
            for (const auto& handle : again) handle.force_dht_announce();
          });
      report.announces_received = announces;
    }
    report.announce = since(phase);
    report.total = since(begin);
  }

  void stop() {
    if (!running) return;
    running = false;
    stopping.store(true);
    notify();
    if (pump.joinable()) pump.join();
    // abort() starts every shutdown at once; the proxies' destructors then
    // wait for each, so the whole takes about as long as the slowest.
    std::vector<lt::session_proxy> proxies;
    proxies.reserve(nodes.size());
    for (auto& n : nodes) {
      if (!n->session) continue;
      n->session->set_alert_notify([] {});
      proxies.push_back(n->session->abort());
    }
    for (auto& n : nodes) n->session.reset();
    proxies.clear();
  }
};

Testnet::Testnet(TestnetOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Testnet::~Testnet() { stop(); }

void Testnet::start() {
  if (impl_->started) throw TestnetError("testnet: start() called twice");
  impl_->started = true;
  try {
    impl_->start();
  } catch (...) {
    impl_->stop();
    throw;
  }
}

void Testnet::stop() { impl_->stop(); }

const TestnetOptions& Testnet::options() const { return impl_->options; }

const std::vector<GeneratedTorrent>& Testnet::torrents() const { return impl_->options.torrents; }

std::vector<lt::tcp::endpoint> Testnet::seeders_of(std::size_t index) const {
  std::vector<lt::tcp::endpoint> out;
  const auto& o = impl_->options;
  if (o.seeders == 0 || index >= o.torrents.size()) return out;
  std::lock_guard lock(impl_->mutex);
  for (std::size_t c = 0; c < o.copies; ++c) {
    const auto& node = impl_->nodes.at(o.dht_nodes + (index + c) % o.seeders);
    if (node->tcp) out.push_back(*node->tcp);
  }
  return out;
}

std::vector<lt::tcp::endpoint> Testnet::seeder_endpoints() const {
  std::vector<lt::tcp::endpoint> out;
  std::lock_guard lock(impl_->mutex);
  for (const auto& n : impl_->nodes) {
    if (n->seeder && n->tcp) out.push_back(*n->tcp);
  }
  return out;
}

std::vector<lt::udp::endpoint> Testnet::dht_bootstrap_endpoints() const {
  std::vector<lt::udp::endpoint> out;
  std::lock_guard lock(impl_->mutex);
  const bool nodes_only = impl_->options.dht_nodes > 0;
  for (const auto& n : impl_->nodes) {
    if ((!nodes_only || !n->seeder) && n->udp) out.push_back(*n->udp);
  }
  return out;
}

std::vector<lt::udp::endpoint> Testnet::dht_endpoints() const {
  std::vector<lt::udp::endpoint> out;
  std::lock_guard lock(impl_->mutex);
  for (const auto& n : impl_->nodes) {
    if (n->udp) out.push_back(*n->udp);
  }
  return out;
}

const StartReport& Testnet::start_report() const { return impl_->report; }

std::size_t Testnet::announces_received() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->announces;
}

std::size_t Testnet::get_peers_received() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->get_peers;
}

std::string to_string(const lt::tcp::endpoint& endpoint) {
  const auto a = endpoint.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" +
         std::to_string(endpoint.port());
}

std::string to_string(const lt::udp::endpoint& endpoint) {
  return to_string(lt::tcp::endpoint(endpoint.address(), endpoint.port()));
}

}  // namespace magnetar::testnet
