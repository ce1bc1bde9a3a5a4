// A stock libtorrent client that resolves magnets as a user's would: it
// knows the magnets and, for the DHT, one node it bootstraps from (or no DHT:
// only the magnets' trackers and peers). Metadata only (upload mode, no
// piece is ever requested), over TCP, with encryption forced or off. The
// tests that prove a magnet resolves from magnetar alone use it.
#pragma once

#include <chrono>
#include <cstddef>
#include <libtorrent/session.hpp>
#include <libtorrent/settings_pack.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace magnetar::testnet {

// TCP only (uTP off), and Message Stream Encryption forced with RC4 or off
// entirely: a test then knows which of the two served.
void set_client_encryption(lt::settings_pack& s, bool forced);

struct StockClientOptions {
  std::string address;                        // a loopback_address()
  std::optional<lt::udp::endpoint> dht_node;  // none: the DHT is off
  bool forced_encryption = false;
};

class StockClient {
 public:
  explicit StockClient(const StockClientOptions& options);

  void add(const std::string& magnet);
  // The info dicts received so far, by the torrent's 20-byte id in hex (v1,
  // or the truncated v2 of a v2-only torrent, as the index keys it).
  const std::map<std::string, std::string>& poll();
  // Nodes in the routing table, as of its last report (asked for every
  // kStatsPeriod): call until it holds a few before adding magnets.
  int dht_nodes();

 private:
  static constexpr std::chrono::milliseconds kStatsPeriod{250};

  magnetar::testing::TempDir dir_{"magnetar-stock-client"};
  std::unique_ptr<lt::session> session_;
  std::map<std::string, std::string> received_;
  int dht_nodes_ = 0;
  std::chrono::steady_clock::time_point next_stats_{};
};

}  // namespace magnetar::testnet
