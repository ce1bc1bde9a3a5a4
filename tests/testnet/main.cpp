// magnetar-testnet: a BitTorrent world on loopback for a person to crawl.
// Starts DHT nodes and seeders of generated torrents (tests/testnet/), prints
// the DHT bootstrap nodes and the seeders, and runs until SIGINT/SIGTERM or
// --duration.
#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "tests/testnet/testnet.hpp"
#include "tests/testnet/torrent_list.hpp"

namespace {

using magnetar::testnet::Encryption;
using magnetar::testnet::Testnet;
using magnetar::testnet::TestnetOptions;
using magnetar::testnet::VersionMix;

// How often the main thread looks at the stop flag: a signal handler may
// only set a flag, so the wait for it is a short poll.
constexpr auto kSignalPoll = std::chrono::milliseconds(100);

volatile std::sig_atomic_t g_stop = 0;  // written by the signal handler only

extern "C" void on_signal(int) { g_stop = 1; }

// "v1,v2,hybrid", "v1", "2:1:1" (weights v1:v2:hybrid), "mix".
bool parse_versions(const std::string& text, VersionMix& out) {
  if (text == "mix") {
    out = VersionMix{};
    return true;
  }
  if (text.find(':') != std::string::npos) {
    unsigned a = 0, b = 0, c = 0;
    char x = 0, y = 0;
    std::istringstream in(text);
    if (!(in >> a >> x >> b >> y >> c) || x != ':' || y != ':' || a + b + c == 0) return false;
    out = VersionMix{a, b, c};
    return true;
  }
  out = VersionMix{0, 0, 0};
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == "v1") {
      out.v1 = 1;
    } else if (item == "v2") {
      out.v2 = 1;
    } else if (item == "hybrid") {
      out.hybrid = 1;
    } else {
      return false;
    }
  }
  return out.v1 + out.v2 + out.hybrid > 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "magnetar-testnet: libtorrent DHT nodes and seeders of generated torrents on 127.0.0.0/8"};
  TestnetOptions o;
  std::string versions = "mix";
  std::string encryption = "allowed";
  std::string list_path;
  double duration = 0;
  int start_timeout = 120;
  app.add_option("-n,--nodes", o.dht_nodes, "DHT-only nodes")->capture_default_str();
  app.add_option("-s,--seeders", o.seeders, "seeding sessions (they run the DHT too)")
      ->capture_default_str();
  app.add_option("-t,--torrents", o.generator.count, "generated torrents")->capture_default_str();
  app.add_option("--seed", o.generator.seed, "seed of the torrents and of the joins")
      ->capture_default_str();
  app.add_option("--versions", versions, "v1,v2,hybrid | mix | weights v1:v2:hybrid")
      ->capture_default_str();
  app.add_option("--encryption", encryption,
                 "seeders: allowed (plaintext and MSE) | forced (MSE/RC4 only)")
      ->check(CLI::IsMember({"allowed", "forced"}))
      ->capture_default_str();
  app.add_option("--copies", o.copies, "seeders per torrent")->capture_default_str();
  app.add_option("--info-size", o.generator.average_info_size, "average info dict size, bytes")
      ->capture_default_str();
  app.add_option("--max-info-size", o.generator.max_info_size, "largest info dict, bytes")
      ->capture_default_str();
  app.add_flag("!--no-announce", o.announce, "seeders do not announce into the DHT");
  app.add_option("--sample-interval", o.sample_infohashes_interval,
                 "dht_sample_infohashes_interval of the nodes (BEP 51), seconds")
      ->capture_default_str();
  app.add_option("--dht-max-torrents", o.dht_max_torrents, "infohashes a node stores peers for")
      ->capture_default_str();
  app.add_option("--announce-interval", o.dht_announce_interval,
                 "dht_announce_interval of seeders, seconds")
      ->capture_default_str();
  app.add_option("--join", o.join_degree, "random nodes each session pings at start")
      ->capture_default_str();
  app.add_option("--port", o.port,
                 "listen port of every session, each on its own IP (0: free ports)")
      ->capture_default_str();
  app.add_option("--first-address", o.first_address, "session k listens on 127.(1+first+k).0.1")
      ->capture_default_str();
  app.add_option("--start-timeout", start_timeout, "seconds allowed for start")
      ->capture_default_str();
  app.add_option("--duration", duration, "seconds to run, 0 until SIGINT/SIGTERM")
      ->capture_default_str();
  app.add_option(
      "--list", list_path,
      "write one line per torrent: v1 hex, v2 hex ('-' if none), version, info dict bytes, "
      "seeders (comma-separated host:port), name");
  CLI11_PARSE(app, argc, argv);
  if (!parse_versions(versions, o.generator.versions)) {
    std::cerr << "magnetar-testnet: bad --versions '" << versions << "'\n";
    return 2;
  }
  o.encryption = encryption == "forced" ? Encryption::kForced : Encryption::kPlaintextAllowed;
  o.seed = o.generator.seed;
  o.start_timeout = std::chrono::seconds(start_timeout);

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  Testnet net(o);
  try {
    net.start();
  } catch (const std::exception& e) {
    std::cerr << "magnetar-testnet: " << e.what() << "\n";
    return 1;
  }
  const auto& r = net.start_report();
  std::printf(
      "# started in %lld ms (generate %lld, listen %lld, dht %lld, add %lld, announce %lld)\n",
      static_cast<long long>(r.total.count()), static_cast<long long>(r.generate.count()),
      static_cast<long long>(r.listen.count()), static_cast<long long>(r.dht.count()),
      static_cast<long long>(r.add.count()), static_cast<long long>(r.announce.count()));
  std::printf("# routing tables: min %zu, mean %.1f nodes; %zu announces received\n",
              r.min_routing_table, r.mean_routing_table, r.announces_received);
  std::printf("# DHT bootstrap nodes:\n");
  std::string joined;
  for (const auto& ep : net.dht_bootstrap_endpoints()) {
    const std::string s = magnetar::testnet::to_string(ep);
    std::printf("%s\n", s.c_str());
    joined += (joined.empty() ? "" : ",") + s;
  }
  std::printf("# bootstrap: %s\n", joined.c_str());
  const auto seeders = net.seeder_endpoints();
  std::printf("# %zu seeders, %zu torrents, %zu copies each, encryption %s:\n", seeders.size(),
              net.torrents().size(), net.options().copies, encryption.c_str());
  for (const auto& ep : seeders) std::printf("#   %s\n", magnetar::testnet::to_string(ep).c_str());
  if (!list_path.empty()) {
    std::ofstream list(list_path);
    magnetar::testnet::write_torrent_list(net, list);
    if (!list) {
      std::cerr << "magnetar-testnet: cannot write " << list_path << "\n";
      return 1;
    }
    std::printf("# torrent list: %s\n", list_path.c_str());
  }
  std::printf("# ready\n");
  std::fflush(stdout);

  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(duration);
  while (!g_stop && (duration <= 0 || std::chrono::steady_clock::now() < until)) {
    std::this_thread::sleep_for(kSignalPoll);
  }
  const auto stop_begin = std::chrono::steady_clock::now();
  net.stop();
  std::printf("# stopped in %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - stop_begin)
                                         .count()));
  return 0;
}
