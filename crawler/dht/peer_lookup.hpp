// get_peers lookups with a deadline, bounded in flight. Sans-I/O: the DHT
// edge starts the lookups this hands out and reports every
// dht_get_peers_reply_alert; libtorrent posts one per node that returned
// peers and nothing at the end (pitfalls.md), so a lookup ends at its
// deadline, or earlier once it has `enough_peers`.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "common/infohash.hpp"
#include "crawler/dht/node_endpoint.hpp"

namespace magnetar::crawler::dht {

struct PeerLookupConfig {
  // Lookups running at once: hundreds at once overflow the UDP receive
  // buffer; about 20 worked on the testnet (testnet-notes.md).
  std::size_t max_in_flight = 20;
  // Lookups waiting to start; request() refuses beyond it.
  std::size_t max_queued = 10'000;
  // A libtorrent get_peers traversal takes a few seconds on the real DHT.
  std::chrono::milliseconds deadline{8'000};
  // A lookup ends early with this many peers (0: always run to the deadline).
  std::size_t enough_peers = 0;
  // Peers kept per lookup (a popular infohash returns thousands).
  std::size_t max_peers = 200;
};

struct LookupResult {
  InfoHashV1 info_hash;
  std::vector<Endpoint> peers;  // distinct, in arrival order
};

class PeerLookup {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit PeerLookup(PeerLookupConfig config = {});

  // Queues a lookup; false when the queue is full or it is already queued
  // or running.
  bool request(const InfoHashV1& ih);
  // Lookups to start now (the caller calls dht_get_peers for each).
  std::vector<InfoHashV1> start(TimePoint now);
  // Peers from one node's reply. Replies for lookups not running are ignored.
  void on_peers(const InfoHashV1& ih, const std::vector<Endpoint>& peers);
  // Lookups finished (deadline passed, or enough peers), oldest first.
  std::vector<LookupResult> finished(TimePoint now);

  std::size_t in_flight() const { return running_.size(); }
  std::size_t queued() const { return queue_.size(); }

 private:
  struct Running {
    TimePoint deadline;
    std::vector<Endpoint> peers;
    std::set<Endpoint> distinct;
  };
  PeerLookupConfig config_;
  std::deque<InfoHashV1> queue_;
  std::set<InfoHashV1> queued_;
  std::map<InfoHashV1, Running> running_;
  std::set<std::pair<TimePoint, InfoHashV1>> deadlines_;
  std::vector<InfoHashV1> done_early_;
};

}  // namespace magnetar::crawler::dht
