// bench_pins: what keeping magnets alive costs (issue 8, part 5).
//   bench_pins [--size N] [--window S] [--sample K] [--sample-wait S] [--lt-max M]
// 1. a testnet of DHT-only nodes whose dht_max_torrents is raised to
//    8 x pins / nodes (so every announce is stored);
// 2. for pins in {0, 1k, 10k, 100k} (--size overrides the largest): a
//    KeeperNode in a child process (this binary, --role keeper) fed through
//    an in-process Keep server (tests/crawler/keeper/fake_keeper_hub.hpp)
//    with synthetic info dicts of 1,000 pieces (~20 KB each); once every pin
//    is cached, a window of S seconds measures DHT announces/s and DHT
//    bytes/s (the keeper's session counters), CPU seconds, VmRSS and VmHWM;
//    the announce budget is set so that pins / budget <= 1,800 s (every pin
//    announced within the 30 min cycle, AnnounceScheduler's plan);
// 3. the torrent-fish approach in another child (--role lt): one libtorrent
//    session, the same torrents added in upload mode, every piece at
//    priority 0, not auto-managed, at 0 and each count up to --lt-max (run
//    while the sampled keeper makes its first announces);
// 4. sampled: at the largest size whose first announces all fit in
//    --sample-wait seconds (default 2,000: 100k pins at 67/s), K random pins (their info dicts
//    assigned to the keeper, nobody else has them) are resolved by a stock libtorrent client that
//    knows only the magnet and one DHT node.
// bytes_per_pin = (VmRSS with N pins - VmRSS with 0) / N at the largest size,
// likewise for libtorrent at the largest count it ran.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/torrent_info.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/infohash.hpp"
#include "common/sha.hpp"
#include "crawler/dht/dht_session.hpp"
#include "crawler/keeper/keeper_node.hpp"
#include "tests/crawler/keeper/fake_keeper_hub.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/testnet/loopback_settings.hpp"
#include "tests/testnet/testnet.hpp"

using namespace magnetar;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Realistic info dicts (issue 8): about 1,000 pieces, about 20 KB each.
constexpr std::size_t kPieces = 1'000;
constexpr std::size_t kPieceLength = 16 * 1024;
// The re-announce cycle every pin must fit in (AnnounceScheduler, 30 min).
constexpr double kCycleSeconds = 1'800;
// The keeper's default budget is the floor; more when the pins need it, with
// a fifth of headroom for late announces.
constexpr std::size_t kMinBudget = 20;
constexpr double kBudgetHeadroom = 1.2;
// Assignments per KeeperDown: ~8 MB, under the hub's 11 MiB message budget.
constexpr std::size_t kChunk = 400;
// Chunks sent ahead of what the keeper has cached (bounds the parent's queue).
constexpr std::size_t kChunksAhead = 3;
constexpr std::size_t kTestnetNodes = 16;
constexpr std::size_t kFirstAddress = 61'000;
constexpr std::size_t kKeeperAddress = 61'100;
constexpr std::size_t kLtAddress = 61'101;
constexpr std::size_t kClientAddress = 61'102;

// Pin i's info dict: a single file, random piece hashes from seed i (the same
// in every process).
std::string info_dict(std::size_t i) {
  std::mt19937_64 rng(0x9e3779b97f4a7c15ULL ^ (i * 0x100000001b3ULL));
  std::string pieces(kPieces * 20, '\0');
  for (std::size_t k = 0; k < pieces.size(); k += 8) {
    const std::uint64_t r = rng();
    std::memcpy(pieces.data() + k, &r, std::min<std::size_t>(8, pieces.size() - k));
  }
  const std::string name = "pin-" + std::to_string(i) + ".bin";
  std::string d = "d6:lengthi" + std::to_string(kPieces * kPieceLength) + "e4:name" +
                  std::to_string(name.size()) + ":" + name + "12:piece lengthi" +
                  std::to_string(kPieceLength) + "e6:pieces" + std::to_string(pieces.size()) + ":";
  d += pieces;
  d += "e";
  return d;
}

InfoHashV1 id_of(const std::string& dict) { return InfoHashV1(sha1(dict)); }

// VmRSS / VmHWM of this process, in KiB.
std::map<std::string, long> proc_status() {
  std::map<std::string, long> out;
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    for (const char* key : {"VmRSS", "VmHWM"}) {
      const std::string k = std::string(key) + ":";
      if (line.rfind(k, 0) == 0) out[key] = std::stol(line.substr(k.size()));
    }
  }
  return out;
}

double cpu_seconds() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

std::vector<lt::udp::endpoint> parse_nodes(const std::string& list) {
  std::vector<lt::udp::endpoint> out;
  std::istringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto colon = item.rfind(':');
    out.emplace_back(boost::asio::ip::make_address(item.substr(0, colon)),
                     static_cast<std::uint16_t>(std::stoi(item.substr(colon + 1))));
  }
  return out;
}

// Set when stdin closes: the parent's way to end a child.
std::shared_ptr<std::atomic<bool>> watch_stdin() {
  auto closed = std::make_shared<std::atomic<bool>>(false);
  std::thread([closed] {
    char buffer[64];
    while (read(STDIN_FILENO, buffer, sizeof buffer) > 0) {
    }
    *closed = true;
  }).detach();
  return closed;
}

// ---------------------------------------------------------------- keeper child

struct CountingEvents final : crawler::dht::DhtEvents {
  crawler::keeper::KeeperNode* keeper = nullptr;
  crawler::dht::DhtCounters counters;
  void on_sample_reply(const crawler::dht::SampleReply&) override {}
  void on_get_peers_reply(const InfoHashV1& ih,
                          const std::vector<crawler::dht::Endpoint>& p) override {
    if (keeper) keeper->on_get_peers_reply(ih, p);
  }
  void on_incoming_announce(const InfoHashV1&, const crawler::dht::Endpoint&) override {}
  void on_incoming_get_peers(const InfoHashV1&) override {}
  void on_routing_table(const crawler::dht::RoutingTableStats&) override {}
  void on_counters(const crawler::dht::DhtCounters& c) override { counters = c; }
};

int keeper_main(const std::string& hub, const std::string& nodes, std::size_t budget) {
  const auto stdin_closed = watch_stdin();
  magnetar::testing::TempDir dir("magnetar-bench-pins-keeper");
  boost::asio::io_context io;
  CountingEvents events;
  crawler::dht::DhtSessionConfig c;
  c.listen_interfaces = testnet::loopback_address(kKeeperAddress) + ":0";
  c.routers.clear();
  c.loopback = true;
  for (const auto& n : parse_nodes(nodes)) {
    crawler::dht::Endpoint e;
    const auto b = n.address().to_v4().to_bytes();
    std::copy(b.begin(), b.end(), e.ip.bytes.begin());
    e.port = n.port();
    c.bootstrap_nodes.push_back(e);
  }
  crawler::dht::DhtSession session(io, c, events);
  crawler::keeper::DhtSessionKeeperDht keeper_dht(session);
  crawler::state::NodeStateOptions so;
  so.data_dir = dir.path();
  crawler::state::NodeState state(so);
  crawler::keeper::KeeperNodeOptions o;
  o.node_id = "bench-keeper";
  o.hub_address = hub;
  o.token = "bench";
  o.listen_address = testnet::loopback_address(kKeeperAddress);
  o.peer_port = 0;
  o.dht_announce.budget_per_second = budget;
  crawler::keeper::KeeperNode keeper(io, o, state, keeper_dht);
  events.keeper = &keeper;
  keeper.start();
  std::printf("ready port=%u\n", keeper.peer_port());
  std::fflush(stdout);
  auto guard = boost::asio::make_work_guard(io);
  while (!*stdin_closed) {
    session.post_counters();
    io.run_for(1s);
    const auto s = keeper.stats();
    const auto st = proc_status();
    std::printf(
        "stats pins=%zu cached=%zu dht_announces=%llu waiting=%zu bytes_out=%lld bytes_in=%lld "
        "served=%llu rss_kb=%ld hwm_kb=%ld cpu_s=%.3f\n",
        s.pins, s.cached, static_cast<unsigned long long>(s.dht_announces), s.announces_waiting,
        static_cast<long long>(events.counters.bytes_out),
        static_cast<long long>(events.counters.bytes_in),
        static_cast<unsigned long long>(s.metadata_served), st.at("VmRSS"), st.at("VmHWM"),
        cpu_seconds());
    std::fflush(stdout);
  }
  keeper.stop();
  events.keeper = nullptr;
  return 0;
}

// -------------------------------------------------------- torrent-fish child

int lt_main(std::size_t count, const std::string& nodes, int settle_s) {
  const auto stdin_closed = watch_stdin();
  magnetar::testing::TempDir dir("magnetar-bench-pins-lt");
  lt::settings_pack s = testnet::loopback_settings(testnet::loopback_address(kLtAddress), 0);
  std::string bootstrap;
  for (const auto& n : parse_nodes(nodes)) {
    if (!bootstrap.empty()) bootstrap += ",";
    bootstrap += n.address().to_string() + ":" + std::to_string(n.port());
  }
  s.set_str(lt::settings_pack::dht_bootstrap_nodes, bootstrap);
  s.set_int(lt::settings_pack::alert_mask, lt::alert_category::status | lt::alert_category::error);
  lt::session session(lt::session_params(std::move(s)));
  const double started_cpu = cpu_seconds();
  const auto started = Clock::now();
  std::size_t added = 0;
  std::size_t failed = 0;
  std::size_t queued = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(900);
  while (added + failed < count && Clock::now() < deadline && !*stdin_closed) {
    // At most a few hundred adds in flight: the parsed infos are the cost
    // measured, not a queue of them.
    while (queued < count && queued - added - failed < 200) {
      // torrent_info parses a .torrent file: the info dict under "info".
      const std::string file = "d4:info" + info_dict(queued++) + "e";
      lt::error_code ec;
      lt::add_torrent_params atp;
      atp.ti = std::make_shared<lt::torrent_info>(
          lt::span<const char>(file.data(), static_cast<std::ptrdiff_t>(file.size())), ec,
          lt::from_span);
      if (ec) std::fprintf(stderr, "torrent_info: %s\n", ec.message().c_str());
      atp.save_path = dir.path().string();
      atp.flags = lt::torrent_flags::upload_mode;
      atp.flags &= ~(lt::torrent_flags::auto_managed | lt::torrent_flags::paused);
      atp.piece_priorities.assign(kPieces, lt::dont_download);
      session.async_add_torrent(std::move(atp));
    }
    session.wait_for_alert(100ms);
    std::vector<lt::alert*> alerts;
    session.pop_alerts(&alerts);
    for (lt::alert* a : alerts) {
      if (auto* at = lt::alert_cast<lt::add_torrent_alert>(a)) {
        if (at->error) {
          if (failed++ == 0) std::fprintf(stderr, "add failed: %s\n", at->error.message().c_str());
        } else {
          ++added;
        }
      }
    }
  }
  const double add_s = std::chrono::duration<double>(Clock::now() - started).count();
  // Let checking and DHT announces settle before RSS is read.
  const auto settle_until = Clock::now() + std::chrono::seconds(settle_s);
  while (Clock::now() < settle_until && !*stdin_closed) {
    session.wait_for_alert(200ms);
    std::vector<lt::alert*> alerts;
    session.pop_alerts(&alerts);
  }
  const auto st = proc_status();
  std::printf("result torrents=%zu failed=%zu add_s=%.1f cpu_s=%.2f rss_kb=%ld hwm_kb=%ld\n", added,
              failed, add_s, cpu_seconds() - started_cpu, st.at("VmRSS"), st.at("VmHWM"));
  std::fflush(stdout);
  return 0;
}

// ---------------------------------------------------------------- parent side

// A child process (this binary, another role): stdin a pipe (closed to end
// it), stdout read line by line.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args) {
    int in_fds[2];
    int out_fds[2];
    if (pipe(in_fds) != 0 || pipe(out_fds) != 0) throw std::runtime_error("pipe");
    std::vector<std::string> argv = {fs::read_symlink("/proc/self/exe").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in_fds[0], STDIN_FILENO);
      dup2(out_fds[1], STDOUT_FILENO);
      close(in_fds[0]);
      close(in_fds[1]);
      close(out_fds[0]);
      close(out_fds[1]);
      std::vector<char*> a;
      for (auto& s : argv) a.push_back(s.data());
      a.push_back(nullptr);
      execv(a[0], a.data());
      std::perror("execv");
      _exit(127);
    }
    close(in_fds[0]);
    close(out_fds[1]);
    stdin_fd_ = in_fds[1];
    fcntl(stdin_fd_, F_SETFD, FD_CLOEXEC);
    out_fd_ = out_fds[0];
    fcntl(out_fd_, F_SETFD, FD_CLOEXEC);
    reader_ = std::thread([this] {
      std::string partial;
      char buffer[4096];
      ssize_t n;
      while ((n = read(out_fd_, buffer, sizeof buffer)) > 0) {
        partial.append(buffer, static_cast<std::size_t>(n));
        std::size_t nl;
        while ((nl = partial.find('\n')) != std::string::npos) {
          std::string line = partial.substr(0, nl);
          partial.erase(0, nl + 1);
          std::lock_guard lock(mu_);
          const auto sp = line.find(' ');
          last_[line.substr(0, sp)] = line;
        }
      }
      std::lock_guard lock(mu_);
      eof_ = true;
    });
  }
  ~Child() {
    finish(30s);
    if (reader_.joinable()) reader_.join();
    close(out_fd_);
  }

  // The last line starting with `kind` as key=value pairs (empty if none).
  std::map<std::string, double> last(const std::string& kind) const {
    std::string line;
    {
      std::lock_guard lock(mu_);
      const auto it = last_.find(kind);
      if (it == last_.end()) return {};
      line = it->second;
    }
    std::map<std::string, double> out;
    std::istringstream fields(line);
    std::string kv;
    while (fields >> kv) {
      const auto eq = kv.find('=');
      if (eq != std::string::npos) out[kv.substr(0, eq)] = std::atof(kv.c_str() + eq + 1);
    }
    return out;
  }
  bool ended() const {
    std::lock_guard lock(mu_);
    return eof_;
  }
  // Waits (bounded) until `done` holds or the child's output ended.
  bool wait(std::chrono::seconds limit, const std::function<bool()>& done) const {
    const auto until = Clock::now() + limit;
    while (Clock::now() < until) {
      if (done()) return true;
      if (ended()) return done();
      std::this_thread::sleep_for(100ms);
    }
    return done();
  }
  // Closes its stdin, waits for the exit (bounded), then SIGKILLs it by PID.
  void finish(std::chrono::seconds limit) {
    if (pid_ <= 0) return;
    if (stdin_fd_ >= 0) {
      close(stdin_fd_);
      stdin_fd_ = -1;
    }
    const auto until = Clock::now() + limit;
    while (Clock::now() < until) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = 0;
        return;
      }
      std::this_thread::sleep_for(50ms);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

 private:
  pid_t pid_ = 0;
  int stdin_fd_ = -1;
  int out_fd_ = -1;
  mutable std::mutex mu_;
  std::map<std::string, std::string> last_;
  bool eof_ = false;
  std::thread reader_;
};

std::string nodes_arg(const testnet::Testnet& net) {
  std::string out;
  for (const auto& e : net.dht_bootstrap_endpoints()) {
    if (!out.empty()) out += ",";
    out += e.address().to_string() + ":" + std::to_string(e.port());
  }
  return out;
}

std::size_t budget_for(std::size_t pins) {
  return std::max(kMinBudget, static_cast<std::size_t>(std::ceil(
                                  kBudgetHeadroom * static_cast<double>(pins) / kCycleSeconds)));
}

struct KeeperRun {
  std::size_t pins = 0;
  std::size_t budget = 0;
  bool cached_all = false;
  double load_s = 0;
  double rss_mb = 0;
  double hwm_mb = 0;
  double cpu_s = 0;  // over the window
  double announces_per_s = 0;
  double announce_kbps = 0;  // DHT bytes in + out over the window, kB/s
  bool plan_ok = false;      // pins / budget <= 1,800 s
  std::size_t sampled = 0;
  std::size_t resolved = 0;
};

// Resolves `indices` with a stock client that knows only the magnets and
// one DHT node; returns how many got the right info dict.
std::size_t sample_resolves(const testnet::Testnet& net, const std::vector<std::size_t>& indices,
                            std::chrono::seconds limit) {
  magnetar::testing::TempDir dir("magnetar-bench-pins-client");
  lt::session_params params =
      testnet::client_session_params(testnet::loopback_address(kClientAddress));
  const auto node = net.dht_bootstrap_endpoints().at(0);
  params.settings.set_str(lt::settings_pack::dht_bootstrap_nodes,
                          node.address().to_string() + ":" + std::to_string(node.port()));
  params.settings.set_int(lt::settings_pack::dht_announce_interval, 5);
  params.settings.set_int(lt::settings_pack::alert_mask,
                          lt::alert_category::status | lt::alert_category::error);
  lt::session session(std::move(params));
  std::this_thread::sleep_for(3s);  // a first bootstrap (the re-announces cover a slow one)
  std::map<std::string, std::string> expected;  // info-hash bytes -> dict
  for (const std::size_t i : indices) {
    const std::string dict = info_dict(i);
    const InfoHashV1 id = id_of(dict);
    expected[std::string(id.view())] = dict;
    lt::add_torrent_params atp = lt::parse_magnet_uri("magnet:?xt=urn:btih:" + id.hex());
    atp.save_path = dir.path().string();
    atp.flags = lt::torrent_flags::upload_mode | lt::torrent_flags::disable_pex |
                lt::torrent_flags::disable_lsd;
    atp.flags &= ~(lt::torrent_flags::auto_managed | lt::torrent_flags::paused);
    session.async_add_torrent(std::move(atp));
  }
  std::set<std::string> resolved;
  const auto until = Clock::now() + limit;
  while (resolved.size() < indices.size() && Clock::now() < until) {
    session.wait_for_alert(200ms);
    std::vector<lt::alert*> alerts;
    session.pop_alerts(&alerts);
    for (lt::alert* a : alerts) {
      if (auto* m = lt::alert_cast<lt::metadata_received_alert>(a)) {
        const auto ti = m->handle.torrent_file();
        if (!ti) continue;
        const auto section = ti->info_section();
        const std::string got(section.data(), static_cast<std::size_t>(section.size()));
        const std::string key(reinterpret_cast<const char*>(ti->info_hashes().v1.data()), 20);
        const auto it = expected.find(key);
        if (it != expected.end() && it->second == got) resolved.insert(key);
      }
    }
  }
  return resolved.size();
}

// `meanwhile` runs while the keeper makes its first announces before the
// sample (the libtorrent runs: they need the testnet, not the machine's
// quiet, and the wait is most of a 100k run).
KeeperRun run_keeper(const testnet::Testnet& net, std::size_t pins, int window_s,
                     std::size_t sample, int sample_wait_s, std::uint64_t seed,
                     const std::function<void()>& meanwhile) {
  KeeperRun r;
  r.pins = pins;
  r.budget = budget_for(pins);
  r.plan_ok = static_cast<double>(pins) / static_cast<double>(r.budget) <= kCycleSeconds;
  crawler::keeper::testing::FakeKeeperHub hub;
  Child child({"--role", "keeper", "--hub", hub.address(), "--nodes", nodes_arg(net), "--budget",
               std::to_string(r.budget)});
  if (!child.wait(60s, [&] { return !child.last("stats").empty(); })) {
    std::fprintf(stderr, "keeper child did not start\n");
    return r;
  }
  const auto load_start = Clock::now();
  std::size_t sent = 0;
  bool first = true;
  while (sent < pins || first) {
    const auto cached = static_cast<std::size_t>(child.last("stats")["cached"]);
    if (child.ended()) break;
    if (sent > cached + kChunksAhead * kChunk) {
      std::this_thread::sleep_for(50ms);
      continue;
    }
    magnetar::v1::KeeperDown down;
    down.set_full(first);
    first = false;
    for (std::size_t k = 0; k < kChunk && sent < pins; ++k, ++sent) {
      const std::string dict = info_dict(sent);
      auto* a = down.add_assign();
      a->set_id(std::string(id_of(dict).view()));
      a->set_info_dict(dict);
      a->set_name("pin-" + std::to_string(sent) + ".bin");
    }
    hub.send(std::move(down));
  }
  r.cached_all = child.wait(std::chrono::seconds(1800), [&] {
    return static_cast<std::size_t>(child.last("stats")["cached"]) >= pins;
  });
  r.load_s = std::chrono::duration<double>(Clock::now() - load_start).count();
  // Settle a few seconds, then the window.
  std::this_thread::sleep_for(3s);
  const auto before = child.last("stats");
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(window_s));
  const auto after = child.last("stats");
  const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
  auto delta = [&](const char* k) {
    const auto a = after.find(k);
    const auto b = before.find(k);
    return (a == after.end() || b == before.end()) ? 0.0 : a->second - b->second;
  };
  r.announces_per_s = delta("dht_announces") / dt;
  r.announce_kbps = (delta("bytes_out") + delta("bytes_in")) / dt / 1000.0;
  r.cpu_s = delta("cpu_s");
  r.rss_mb = after.count("rss_kb") ? after.at("rss_kb") / 1024.0 : 0;
  r.hwm_mb = after.count("hwm_kb") ? after.at("hwm_kb") / 1024.0 : 0;
  if (meanwhile) meanwhile();
  if (sample > 0 && pins > 0) {
    // Every pin's first announce done (bounded), then the stock client.
    child.wait(std::chrono::seconds(sample_wait_s),
               [&] { return child.last("stats")["dht_announces"] >= static_cast<double>(pins); });
    std::mt19937_64 rng(seed);
    std::set<std::size_t> picked;
    const std::size_t want = std::min(sample, pins);
    while (picked.size() < want) picked.insert(rng() % pins);
    const std::vector<std::size_t> indices(picked.begin(), picked.end());
    r.sampled = indices.size();
    r.resolved = sample_resolves(net, indices, std::chrono::seconds(240));
  }
  child.finish(60s);
  return r;
}

struct LtRun {
  std::size_t count = 0;
  std::size_t added = 0;
  double rss_mb = 0;
  double hwm_mb = 0;
  double add_s = 0;
  double cpu_s = 0;
};

LtRun run_lt(const testnet::Testnet& net, std::size_t count, int settle_s) {
  LtRun r;
  r.count = count;
  Child child({"--role", "lt", "--count", std::to_string(count), "--nodes", nodes_arg(net),
               "--settle", std::to_string(settle_s)});
  child.wait(std::chrono::seconds(1200), [&] { return !child.last("result").empty(); });
  const auto res = child.last("result");
  auto get = [&](const char* k) { return res.count(k) ? res.at(k) : 0.0; };
  r.added = static_cast<std::size_t>(get("torrents"));
  r.rss_mb = get("rss_kb") / 1024.0;
  r.hwm_mb = get("hwm_kb") / 1024.0;
  r.add_s = get("add_s");
  r.cpu_s = get("cpu_s");
  child.finish(60s);
  return r;
}

std::string fmt_or_na(std::optional<double> v) {
  if (!v) return "na";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", *v);
  return buffer;
}

int parent_main(std::size_t size, int window_s, std::size_t sample, int sample_wait_s,
                std::size_t lt_max, int settle_s) {
  std::vector<std::size_t> sizes;
  for (const std::size_t s : {std::size_t{1'000}, std::size_t{10'000}, std::size_t{100'000}}) {
    if (s < size) sizes.push_back(s);
  }
  sizes.push_back(size);
  testnet::TestnetOptions o;
  o.dht_nodes = kTestnetNodes;
  o.seeders = 0;
  o.generator.count = 0;
  o.announce = false;
  o.first_address = kFirstAddress;
  o.dht_max_torrents = static_cast<int>(std::max<std::size_t>(2'000, 8 * size / kTestnetNodes + 1));
  testnet::Testnet net(o);
  net.start();
  std::fprintf(stderr, "testnet: %zu nodes, dht_max_torrents=%d\n", kTestnetNodes,
               o.dht_max_torrents);

  // The sample goes with the largest size whose first announces fit the wait.
  std::size_t sample_at = sizes.front();
  for (const std::size_t s : sizes) {
    if (static_cast<double>(s) / static_cast<double>(budget_for(s)) <= sample_wait_s) sample_at = s;
  }

  // libtorrent at 0 and each size up to --lt-max; run while the sampled
  // keeper makes its first announces (or after the keeper runs).
  std::vector<std::size_t> lt_counts = {0};
  for (const std::size_t s : sizes) {
    if (s <= lt_max) lt_counts.push_back(s);
  }
  std::map<std::size_t, LtRun> lt_runs;
  auto run_lt_all = [&] {
    for (const std::size_t n : lt_counts) lt_runs[n] = run_lt(net, n, settle_s);
  };

  std::printf("%8s %6s %8s %8s %8s %8s %10s %10s %8s %8s\n", "pins", "budget", "load_s", "rss_mb",
              "hwm_mb", "cpu_s", "announce/s", "kB/s", "plan_ok", "sampled");
  std::fflush(stdout);
  std::map<std::size_t, KeeperRun> keeper;
  for (const std::size_t n : [&] {
         std::vector<std::size_t> all = {0};
         all.insert(all.end(), sizes.begin(), sizes.end());
         return all;
       }()) {
    const bool sampled_here = n == sample_at;
    const auto r =
        run_keeper(net, n, window_s, sampled_here ? sample : 0, sample_wait_s, 0xb1e55 + n,
                   sampled_here ? std::function<void()>(run_lt_all) : nullptr);
    keeper[n] = r;
    std::printf("%8zu %6zu %8.1f %8.1f %8.1f %8.2f %10.1f %10.1f %8s %4zu/%zu%s\n", n, r.budget,
                r.load_s, r.rss_mb, r.hwm_mb, r.cpu_s, r.announces_per_s, r.announce_kbps,
                r.plan_ok ? "yes" : "no", r.resolved, r.sampled,
                r.cached_all ? "" : " (not all cached)");
    std::fflush(stdout);
  }
  if (lt_runs.empty()) run_lt_all();

  std::printf("%8s %8s %8s %8s %8s %8s  (libtorrent, upload mode, pieces at priority 0)\n",
              "torrents", "added", "add_s", "cpu_s", "rss_mb", "hwm_mb");
  for (const auto& [n, r] : lt_runs) {
    std::printf("%8zu %8zu %8.1f %8.2f %8.1f %8.1f\n", n, r.added, r.add_s, r.cpu_s, r.rss_mb,
                r.hwm_mb);
  }
  std::fflush(stdout);

  const KeeperRun& largest = keeper[sizes.back()];
  const double ours = (largest.rss_mb - keeper[0].rss_mb) * 1024 * 1024 /
                      static_cast<double>(std::max<std::size_t>(1, largest.pins));
  const std::size_t lt_n = lt_counts.back();
  const double theirs =
      lt_n == 0 ? 0
                : (lt_runs[lt_n].rss_mb - lt_runs[0].rss_mb) * 1024 * 1024 /
                      static_cast<double>(std::max<std::size_t>(1, lt_runs[lt_n].added));
  auto rss_of = [&](std::size_t n) -> std::optional<double> {
    const auto it = keeper.find(n);
    if (it == keeper.end()) return std::nullopt;
    return it->second.rss_mb;
  };
  const KeeperRun& sampled = keeper[sample_at];
  std::printf(
      "notes: rss_mb = the keeper's VmRSS after all pins were cached and a %d s window; "
      "bytes_per_pin at %zu pins, lt_bytes_per_pin at %zu torrents; announces and kB/s (DHT "
      "in+out) over the window at %zu pins, budget %zu/s (pins/budget <= 1800 s: %s); sampled "
      "at %zu pins\n",
      window_s, largest.pins, lt_n, largest.pins, largest.budget, largest.plan_ok ? "yes" : "no",
      sample_at);
  std::printf(
      "bench pins: pins=%zu rss_mb_1k=%s rss_mb_10k=%s rss_mb_100k=%s bytes_per_pin=%.0f "
      "lt_bytes_per_pin=%.0f ratio_bytes_per_pin=%.1f announces_per_s=%.1f announce_kbps=%.1f "
      "sampled=%zu resolvable_share=%.3f\n",
      largest.pins, fmt_or_na(rss_of(1'000)).c_str(), fmt_or_na(rss_of(10'000)).c_str(),
      fmt_or_na(rss_of(100'000)).c_str(), ours, theirs, ours > 0 ? theirs / ours : 0.0,
      largest.announces_per_s, largest.announce_kbps, sampled.sampled,
      sampled.sampled ? static_cast<double>(sampled.resolved) / static_cast<double>(sampled.sampled)
                      : 0.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_pins: the cost of keeping magnets alive, ours against libtorrent's"};
  std::string role = "bench";
  std::size_t size = 100'000;
  int window_s = 20;
  std::size_t sample = 200;
  // 100,000 pins at the budget bench_pins sets (67/s) take ~1,500 s.
  int sample_wait_s = 2'000;
  std::size_t lt_max = 10'000;
  int settle_s = 10;
  std::string hub;
  std::string nodes;
  std::size_t budget = kMinBudget;
  std::size_t count = 0;
  app.add_option("--role", role, "bench (default), keeper or lt (children)");
  app.add_option("--size", size, "the largest pin count (default 100000)");
  app.add_option("--window", window_s, "seconds of the measuring window");
  app.add_option("--sample", sample, "pins a stock client resolves");
  app.add_option("--sample-wait", sample_wait_s,
                 "seconds the keeper may take for every first announce before the sample");
  app.add_option("--lt-max", lt_max, "the largest libtorrent torrent count");
  app.add_option("--settle", settle_s, "seconds libtorrent settles before its RSS is read");
  app.add_option("--hub", hub);
  app.add_option("--nodes", nodes);
  app.add_option("--budget", budget);
  app.add_option("--count", count);
  CLI11_PARSE(app, argc, argv);
  if (role == "keeper") return keeper_main(hub, nodes, budget);
  if (role == "lt") return lt_main(count, nodes, settle_s);
  return parent_main(size, window_s, sample, sample_wait_s, lt_max, settle_s);
}
