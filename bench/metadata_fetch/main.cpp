// bench_metadata_fetch: metadata fetches per second, latency and peak RSS of
// our fetcher against libtorrent's own magnet resolution, on a loopback
// testnet of 40 seeders (issue 4):
//   bench_metadata_fetch [--size N] [--fetches F] [--in-flight K]
// 1. a testnet of 40 seeders (listen_queue_size 1024) seeding N torrents
//    whose info dicts average 18 KB (1 to 4 metadata pieces);
// 2. ours: bench_metadata_fetch_ours (links only the wire library) fetches
//    F (default 10 N) times round-robin, K (200) in flight, plaintext;
// 3. the baseline: bench_metadata_fetch_lt tuned (peers handed in,
//    connection_speed 1000, upload mode, not auto-managed, no active limits,
//    each torrent removed on metadata_received_alert), same F and K;
// 4. ours again against the same torrents on seeders forcing MSE (RC4),
//    with encryption required on our side;
// 5. for the record, libtorrent on its defaults with plain magnets on a
//    small sample (50 torrents announced into a DHT, 60 s at most).
// Rates are taken between the 10% and 90% completion marks; peak RSS is each
// child's ru_maxrss (wait4). Prints a table, the CPU time per MSE fetch on
// each side (ours, the seeders) with the rate those allow on this machine's
// cores at most, then the "bench metadata_fetch:" line.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/metadata_fetch/job_file.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/testnet/testnet.hpp"

using namespace magnetar;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct ChildResult {
  bool ran = false;
  std::map<std::string, double> values;  // from the "result ..." line
  double peak_rss_mb = 0;                // the child's VmHWM
  double wait4_rss_mb = 0;               // ru_maxrss: includes the forked parent's pages
  double cpu_s = 0;                      // the child's user + system time
  double parent_cpu_s = 0;               // the testnet's seeders meanwhile (this process)
  double wall_s = 0;
  double get(const std::string& key) const {
    auto it = values.find(key);
    return it == values.end() ? 0 : it->second;
  }
};

fs::path sibling(const std::string& name) {
  return fs::read_symlink("/proc/self/exe").parent_path() / name;
}

// fork + exec, stdout through a pipe, wait4 for the child's own rusage.
ChildResult run_child(const std::vector<std::string>& argv) {
  ChildResult result;
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return result;
  const auto started = Clock::now();
  struct rusage self_before {};
  getrusage(RUSAGE_SELF, &self_before);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::perror("execv");
    _exit(127);
  }
  close(pipe_fds[1]);
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0) out.append(buffer, n);
  close(pipe_fds[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  result.wall_s = std::chrono::duration<double>(Clock::now() - started).count();
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  struct rusage self_after {};
  getrusage(RUSAGE_SELF, &self_after);
  result.wait4_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
  result.cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  result.parent_cpu_s = seconds(self_after.ru_utime) + seconds(self_after.ru_stime) -
                        seconds(self_before.ru_utime) - seconds(self_before.ru_stime);
  result.ran = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  const auto at = out.rfind("result ");
  if (at != std::string::npos) {
    std::istringstream fields(out.substr(at + 7));
    std::string kv;
    while (fields >> kv) {
      const auto eq = kv.find('=');
      if (eq != std::string::npos) result.values[kv.substr(0, eq)] = std::stod(kv.substr(eq + 1));
    }
  }
  result.peak_rss_mb = result.get("peak_rss_mb");
  return result;
}

bench::Job make_job(const testnet::Testnet& net, bool with_dht) {
  bench::Job job;
  const auto& torrents = net.torrents();
  for (std::size_t i = 0; i < torrents.size(); ++i) {
    const auto& t = torrents[i];
    const auto seeders = net.seeders_of(i);
    bench::JobTorrent j;
    j.v1_hex = t.info_hashes.v1 ? t.info_hashes.v1->hex() : "-";
    j.v2_hex = t.info_hashes.v2 ? t.info_hashes.v2->hex() : "-";
    j.address = seeders.front().address().to_string();
    j.port = seeders.front().port();
    j.magnet = t.magnet();
    job.torrents.push_back(std::move(j));
  }
  if (with_dht) {
    for (const auto& ep : net.dht_bootstrap_endpoints()) {
      job.dht_nodes.emplace_back(ep.address().to_string(), ep.port());
    }
  }
  return job;
}

testnet::TestnetOptions seeder_net(std::size_t seeders,
                                   std::vector<testnet::GeneratedTorrent> torrents,
                                   testnet::Encryption encryption) {
  testnet::TestnetOptions o;
  o.dht_nodes = 0;
  o.seeders = seeders;
  o.copies = 1;
  o.announce = false;  // peers are handed in
  o.join_degree = 1;
  o.encryption = encryption;
  o.torrents = std::move(torrents);
  o.start_timeout = std::chrono::seconds(300);
  return o;
}

std::string load() {
  double avg[3] = {0, 0, 0};
  if (getloadavg(avg, 3) < 0) return "?";
  std::ostringstream s;
  s.precision(2);
  s << std::fixed << avg[0] << ' ' << avg[1] << ' ' << avg[2];
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"metadata fetch benchmark: our fetcher against libtorrent on a loopback testnet"};
  std::size_t size = 2'000;
  std::size_t fetches = 0;
  std::size_t in_flight = 200;
  std::size_t seeders = 40;
  std::size_t default_sample = 50;
  int default_timeout_s = 60;
  int lt_timeout_s = 600;
  std::string phases = "ours,tuned,mse,default";
  app.add_option("--size", size, "torrents (default 2000)");
  app.add_option("--fetches", fetches, "fetches per contender (default 10 x size)");
  app.add_option("--in-flight", in_flight, "fetches in flight (default 200)");
  app.add_option("--seeders", seeders, "seeder sessions (default 40)");
  app.add_option("--lt-default-sample", default_sample, "torrents for libtorrent's defaults");
  app.add_option("--lt-default-timeout", default_timeout_s, "seconds for libtorrent's defaults");
  app.add_option("--lt-timeout", lt_timeout_s, "seconds at most for the tuned libtorrent run");
  app.add_option("--phases", phases, "which runs, of ours,tuned,mse,default (all by default)");
  CLI11_PARSE(app, argc, argv);
  auto phase = [&](const char* name) { return phases.find(name) != std::string::npos; };
  if (fetches == 0) fetches = 10 * size;
  size = std::max<std::size_t>(size, 1);

  magnetar::testing::TempDir dir("magnetar-bench-metadata");
  const std::string ours = sibling("bench_metadata_fetch_ours").string();
  const std::string lt = sibling("bench_metadata_fetch_lt").string();
  const std::string job_path = (dir.path() / "job.txt").string();
  const std::string save_dir = dir.path().string();

  testnet::GeneratorOptions generator;
  generator.count = size;
  generator.average_info_size = 18'000;
  auto torrents = testnet::generate_torrents(generator);
  double info_bytes = 0;
  std::size_t pieces[5] = {0, 0, 0, 0, 0};
  for (const auto& t : torrents) {
    info_bytes += static_cast<double>(t.info_dict.size());
    ++pieces[std::min<std::size_t>(4, t.metadata_pieces())];
  }
  std::cerr << "torrents: " << size << ", info dicts average " << info_bytes / size
            << " bytes; 1/2/3/4 metadata pieces: " << pieces[1] << '/' << pieces[2] << '/'
            << pieces[3] << '/' << pieces[4] << "\nload before: " << load() << '\n';

  // Every testnet starts before the first measurement: after tens of
  // thousands of loopback connections (TIME_WAIT), a new session could fail
  // to bind. Each has its own addresses.
  std::unique_ptr<testnet::Testnet> plain_net;
  std::unique_ptr<testnet::Testnet> forced_net;
  std::unique_ptr<testnet::Testnet> dht_net;
  if (phase("ours") || phase("tuned")) {
    auto o = seeder_net(seeders, torrents, testnet::Encryption::kPlaintextAllowed);
    o.first_address = 0;
    plain_net = std::make_unique<testnet::Testnet>(o);
    plain_net->start();
    std::cerr << "plaintext testnet up in " << plain_net->start_report().total.count() << " ms\n";
  }
  if (phase("mse")) {
    auto o = seeder_net(seeders, torrents, testnet::Encryption::kForced);
    o.first_address = 100;
    forced_net = std::make_unique<testnet::Testnet>(o);
    forced_net->start();
    std::cerr << "MSE-forced testnet up in " << forced_net->start_report().total.count() << " ms\n";
  }
  std::size_t default_count = 0;
  if (phase("default")) {
    // libtorrent's defaults find peers through the DHT: a fresh testnet with
    // DHT nodes and announces (a resolving client announces itself too).
    testnet::TestnetOptions o;
    o.dht_nodes = 10;
    o.seeders = 5;
    o.first_address = 200;
    o.torrents.assign(torrents.begin(),
                      torrents.begin() + std::min(default_sample, torrents.size()));
    o.start_timeout = std::chrono::seconds(300);
    default_count = o.torrents.size();
    dht_net = std::make_unique<testnet::Testnet>(o);
    dht_net->start();
    std::cerr << "DHT testnet up in " << dht_net->start_report().total.count() << " ms\n";
  }

  ChildResult ours_plain;
  ChildResult lt_tuned;
  ChildResult ours_mse;
  ChildResult lt_default;
  if (plain_net) {
    bench::write_job(job_path, make_job(*plain_net, false));
    if (phase("ours")) {
      ours_plain =
          run_child({ours, job_path, std::to_string(fetches), std::to_string(in_flight), "plain"});
      std::cerr << "ours (plaintext) done in " << ours_plain.wall_s << " s, load " << load()
                << '\n';
    }
    if (phase("tuned")) {
      lt_tuned = run_child({lt, job_path, std::to_string(fetches), std::to_string(in_flight),
                            "tuned", std::to_string(lt_timeout_s), save_dir});
      std::cerr << "libtorrent (tuned) done in " << lt_tuned.wall_s << " s, load " << load()
                << '\n';
    }
    plain_net.reset();
  }
  if (forced_net) {
    bench::write_job(job_path, make_job(*forced_net, false));
    ours_mse =
        run_child({ours, job_path, std::to_string(fetches), std::to_string(in_flight), "require"});
    std::cerr << "ours (MSE required) done in " << ours_mse.wall_s << " s, load " << load() << '\n';
    forced_net.reset();
  }
  if (dht_net) {
    bench::write_job(job_path, make_job(*dht_net, true));
    lt_default = run_child({lt, job_path, std::to_string(default_count), "0", "default",
                            std::to_string(default_timeout_s), save_dir});
    std::cerr << "libtorrent (defaults) done in " << lt_default.wall_s << " s\n";
    dht_net.reset();
  }

  auto row = [](const char* name, const ChildResult& r) {
    std::printf("%-36s %6.0f %6.0f %8.0f %8.0f %8.1f %8.1f %7.1f %7.1f %7.1f %7.1f\n", name,
                r.get("done"), r.get("ok"), r.get("resolved"), r.get("rate"), r.get("p50_ms"),
                r.get("p99_ms"), r.peak_rss_mb, r.get("elapsed_s"), r.cpu_s, r.parent_cpu_s);
  };
  std::printf("%-36s %6s %6s %8s %8s %8s %8s %7s %7s %7s %7s\n", "contender", "done", "ok",
              "resolved", "fetch/s", "p50_ms", "p99_ms", "rss_mb", "wall_s", "cpu_s", "seeders");
  row("ours, plaintext", ours_plain);
  row("ours, MSE required (seeders forced)", ours_mse);
  row("libtorrent tuned, peers handed in", lt_tuned);
  row("libtorrent defaults, plain magnet", lt_default);
  std::printf(
      "rss_mb: the child's VmHWM (its ru_maxrss from wait4 also counts the pages of\n"
      "  the testnet process it was forked from); cpu_s: the child's user+system time;\n"
      "  seeders: CPU time of the testnet's libtorrent sessions meanwhile\n");
  std::printf("load average after: %s (2 cores, seeders in the same machine)\n", load().c_str());
  if (ours_mse.get("done") > 0) {
    // Both sides share the machine's cores: a CPU-bound run cannot pass
    // cores / (CPU per fetch), whatever the concurrency.
    const double done = ours_mse.get("done");
    const double ours_ms = 1000 * ours_mse.cpu_s / done;
    const double seeders_ms = 1000 * ours_mse.parent_cpu_s / done;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::printf(
        "MSE CPU per fetch: ours %.3f ms, seeders %.3f ms; %u cores allow at most %.0f "
        "fetches/s\n",
        ours_ms, seeders_ms, cores, 1000.0 * cores / (ours_ms + seeders_ms));
  }

  const double fetch_per_s = ours_plain.get("rate");
  const double lt_per_s = lt_tuned.get("rate");
  const double ratio = lt_per_s > 0 ? fetch_per_s / lt_per_s : 0;
  const double rss_ratio =
      lt_tuned.peak_rss_mb > 0 ? ours_plain.peak_rss_mb / lt_tuned.peak_rss_mb : 0;
  const double resolved_share = ours_plain.get("resolved") / static_cast<double>(size);
  std::printf(
      "bench metadata_fetch: torrents=%zu fetches=%zu fetch_per_s=%.0f mse_fetch_per_s=%.0f "
      "lt_fetch_per_s=%.1f lt_default_fetch_per_s=%.2f ratio_fetch_per_s=%.1f p50_ms=%.1f "
      "p99_ms=%.1f peak_rss_mb=%.1f lt_peak_rss_mb=%.1f ratio_peak_rss=%.2f resolved_share=%.3f\n",
      size, fetches, fetch_per_s, ours_mse.get("rate"), lt_per_s, lt_default.get("rate"), ratio,
      ours_plain.get("p50_ms"), ours_plain.get("p99_ms"), ours_plain.peak_rss_mb,
      lt_tuned.peak_rss_mb, rss_ratio, resolved_share);
  return 0;
}
