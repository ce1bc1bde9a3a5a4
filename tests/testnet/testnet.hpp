// A BitTorrent world on loopback: N libtorrent sessions in this process, each
// on its own 127.A.B.1 address, DHT nodes bootstrapped only to each other,
// and seeders of generated torrents (torrent_generator.hpp) announcing them
// into that DHT. Tests and benchmarks get the endpoints; nothing leaves
// 127.0.0.0/8. Settings: loopback_settings.hpp.
//
// Cost, measured on the project's 2-core machine while other builds ran
// (load 10-20): 100 DHT nodes start in 0.1-0.3 s (22 MB RSS); 10 nodes and
// 40 seeders of 2,000 torrents (18 KB info dicts on average) in 8-10 s wall,
// 3.4 s of CPU (generating the torrents about 60%, parsing them for the
// seeders about 35%), 280 MB RSS; stop() takes under 0.3 s. Generate the
// torrents once and pass them in `torrents` to start several testnets.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <libtorrent/socket.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/testnet/torrent_generator.hpp"

namespace magnetar::testnet {

// Thrown when the testnet cannot start (a listen failure, or a deadline
// passed before the DHT or the announces were ready).
class TestnetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Encryption {
  kPlaintextAllowed,  // seeders accept and make plaintext and MSE connections
  kForced,            // seeders accept only MSE/PE with RC4 (pe_forced, pe_rc4)
};

struct TestnetOptions {
  // Sessions that only run the DHT; their endpoints are the bootstrap nodes.
  std::size_t dht_nodes = 10;
  // Sessions that seed torrents; they run the DHT too.
  std::size_t seeders = 3;
  // The torrents; when empty, generated from `generator`.
  std::vector<GeneratedTorrent> torrents;
  GeneratorOptions generator;
  // How many seeders seed each torrent (at most `seeders`). Torrent i goes
  // to seeders i, i+1, ... (mod seeders).
  std::size_t copies = 1;
  Encryption encryption = Encryption::kPlaintextAllowed;
  // Whether seeders announce their torrents into the DHT (BEP 5), and start()
  // waits until every announce has reached a node.
  bool announce = true;
  // Seconds a node caches its BEP 51 sample; 0 gives a fresh sample per query
  // (libtorrent's default is 21,600, see testnet-notes.md).
  int sample_infohashes_interval = 0;
  // Infohashes a node stores peers for (libtorrent's default: 2,000).
  int dht_max_torrents = 2'000;
  // Seconds over which a seeder re-announces all its torrents (libtorrent
  // announces at most one torrent a second whatever this is).
  int dht_announce_interval = 60;
  // Every session pings this many random others at start (testnet-notes:
  // k = 8 fills tables well); a node's routing table must hold at least this
  // many nodes (or all others, when fewer) before start() goes on.
  std::size_t join_degree = 8;
  // Listen port of every session (each has its own IP); 0 picks free ports,
  // so that testnets of concurrent tests never collide.
  std::uint16_t port = 0;
  // Session k listens on loopback_address(first_address + k).
  std::size_t first_address = 0;
  // Seed of the random joins.
  std::uint64_t seed = 1;
  // Whether sessions are constructed under an EmptyCaBundle
  // (loopback_settings.hpp): 50 times faster, but it briefly changes an
  // environment variable of the process.
  bool skip_ca_bundle = true;
  // Bound on start(): a slow machine takes seconds, a broken setup forever.
  std::chrono::milliseconds start_timeout = std::chrono::seconds(60);
};

// Where start() spent its time, and what the network looked like when ready.
struct StartReport {
  std::chrono::milliseconds generate{0};  // generating the torrents
  std::chrono::milliseconds listen{0};    // creating sessions until all listen
  std::chrono::milliseconds dht{0};       // joining until routing tables are filled
  std::chrono::milliseconds add{0};       // adding torrents until all seed
  std::chrono::milliseconds announce{0};  // announcing until every announce landed
  std::chrono::milliseconds total{0};
  std::size_t min_routing_table = 0;  // smallest routing table (nodes) when ready
  double mean_routing_table = 0;
  std::size_t announces_received = 0;  // announce_peer requests nodes got
};

class Testnet {
 public:
  explicit Testnet(TestnetOptions options);
  ~Testnet();  // stop()
  Testnet(const Testnet&) = delete;
  Testnet& operator=(const Testnet&) = delete;

  // Starts every session and returns once the DHT routing tables are filled
  // and (if asked) every seeder's announce of every torrent reached a node.
  // Throws TestnetError when that takes longer than options.start_timeout
  // (having shut the sessions down), or on a second call. start() and stop()
  // belong to one thread; the accessors below may be called from any.
  void start();
  // Shuts every session down (all at once, so it takes about as long as one);
  // idempotent.
  void stop();

  const TestnetOptions& options() const;
  const std::vector<GeneratedTorrent>& torrents() const;
  // Endpoints of the seeders of torrent `index` (peer wire, TCP).
  std::vector<lt::tcp::endpoint> seeders_of(std::size_t index) const;
  // Every seeder's peer-wire endpoint.
  std::vector<lt::tcp::endpoint> seeder_endpoints() const;
  // The DHT nodes (UDP); seeders too when there are no DHT-only nodes.
  std::vector<lt::udp::endpoint> dht_bootstrap_endpoints() const;
  // DHT endpoints of every session, nodes then seeders.
  std::vector<lt::udp::endpoint> dht_endpoints() const;
  const StartReport& start_report() const;
  // announce_peer requests the testnet's nodes received so far (BEP 5):
  // includes announces of clients and crawlers.
  std::size_t announces_received() const;
  // get_peers requests the testnet's nodes received so far.
  std::size_t get_peers_received() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "127.1.0.1:6881"
std::string to_string(const lt::tcp::endpoint& endpoint);
std::string to_string(const lt::udp::endpoint& endpoint);

}  // namespace magnetar::testnet
