// What the keeper needs from the DHT: announce a pin with our peer port, and
// look up a resolving pin's peers (replies come back through
// KeeperNode::on_get_peers_reply). An interface at the I/O seam; the real one
// forwards to the node's DhtSession.
#pragma once

#include <chrono>
#include <cstdint>

#include "common/infohash.hpp"
#include "crawler/dht/dht_session.hpp"

namespace magnetar::crawler::keeper {

class KeeperDht {
 public:
  virtual ~KeeperDht() = default;
  // BEP 5 announce_peer of `port` (never 0: pitfalls.md); false if refused.
  virtual bool announce(const InfoHashV1& id, std::uint16_t port) = 0;
  virtual void get_peers(const InfoHashV1& id) = 0;
  // Whether announces can land: the routing table has nodes. An announce
  // sent before (a fresh start) reaches nobody and would wait a whole
  // interval for the next one.
  virtual bool ready() = 0;
};

// The real one, over the node's libtorrent DHT session.
class DhtSessionKeeperDht final : public KeeperDht {
 public:
  explicit DhtSessionKeeperDht(dht::DhtSession& session) : session_(session) {}
  bool announce(const InfoHashV1& id, std::uint16_t port) override {
    return session_.announce(id, port);
  }
  void get_peers(const InfoHashV1& id) override { session_.get_peers(id); }
  // Asks libtorrent at most once a second (a synchronous call), until the
  // routing table has a node; then ready for good.
  bool ready() override {
    if (ready_) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now < next_check_) return false;
    next_check_ = now + std::chrono::seconds(1);
    ready_ = session_.listening() && !session_.routing_table_nodes().empty();
    return ready_;
  }

 private:
  dht::DhtSession& session_;
  bool ready_ = false;
  std::chrono::steady_clock::time_point next_check_{};
};

}  // namespace magnetar::crawler::keeper
