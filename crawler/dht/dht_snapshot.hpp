// What a crawler node keeps of its DHT side across restarts (DESIGN.md: the
// "DHT node table and per-node sampling schedule" in RocksDB): libtorrent's
// DHT state (node id, routing table) and the sampler's schedule. The store
// is behind NodeStore; crawler/state implements it. The bytes are bencoded:
//   d 7:session <libtorrent state> 8:schedule l <node>... e e
// with each node  d 1:a <compact address: 4 or 16 bytes, then the port>
//   [1:i <20-byte id>] 1:n <num, -1 never sampled> 1:w <seconds to wait> e
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "crawler/dht/sampler.hpp"

namespace magnetar::crawler::dht {

struct DhtSnapshot {
  std::vector<char> session_state;     // DhtSession::save_state()
  std::vector<NodeSchedule> schedule;  // Sampler::schedule()
  friend bool operator==(const DhtSnapshot&, const DhtSnapshot&) = default;
};

// Nodes kept in a snapshot: the frontier's most recently useful ones.
inline constexpr std::size_t kMaxSnapshotNodes = 100'000;

std::string encode_snapshot(const DhtSnapshot& snapshot);
// A stored snapshot is our own bytes, but a disk can corrupt them: decoding
// never throws, and the crawler starts afresh on an error.
Result<DhtSnapshot> decode_snapshot(std::string_view bytes);

class NodeStore {
 public:
  virtual ~NodeStore() = default;
  // Replaces the saved snapshot (the store decides how durable).
  virtual void save(const DhtSnapshot& snapshot) = 0;
  // The last snapshot saved, if any.
  virtual std::optional<DhtSnapshot> load() = 0;
};

}  // namespace magnetar::crawler::dht
