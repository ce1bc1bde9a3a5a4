#include "tests/testnet/loopback_settings.hpp"

#include <cstdlib>
#include <libtorrent/alert.hpp>
#include <libtorrent/disabled_disk_io.hpp>
#include <libtorrent/disk_interface.hpp>

namespace magnetar::testnet {

namespace {

// The DoS blocker ignores an IP sending more than this many packets per 10
// s; on loopback a crawler or a busy neighbour easily does (testnet-notes).
constexpr int kDhtBlockRateLimit = 1'000'000;
constexpr int kDhtBlockTimeoutSeconds = 1;
// libtorrent's default of 8,000 B/s makes a node drop requests once spent.
constexpr int kDhtUploadRateLimit = 100'000'000;
// The default backlog of 5 drops SYNs under load (pitfalls.md).
constexpr int kListenQueueSize = 1024;
// Alerts are drained promptly, but a burst must not be dropped.
constexpr int kAlertQueueSize = 100'000;
// Room for a benchmark's worth of concurrent connections per session.
constexpr int kConnectionsLimit = 2'000;
// Connection attempts per second: the default of 30 makes peers handed in
// wait seconds (testnet-notes.md, the libtorrent baseline table).
constexpr int kConnectionSpeed = 1'000;
// A peer whose connection failed is tried again after (failures + 1) times
// this many seconds; libtorrent's 60 s is longer than a test waits, and one
// failed handshake under load then loses the torrent.
constexpr int kMinReconnectSeconds = 1;
// UDP buffers: a seeder announcing thousands of torrents, or a client or
// crawler firing hundreds of lookups, gets replies in bursts that overflow
// the default buffer (testnet-notes.md). The kernel caps it at rmem_max.
constexpr int kSocketBuffer = 4 * 1024 * 1024;
// No limit on active torrents: testnet torrents are not auto-managed, this
// only guards against a limit sneaking in (active_seeds is 5 by default).
constexpr int kNoActiveLimit = 1'000'000;

}  // namespace

namespace {
constexpr const char* kCertFileVariable = "SSL_CERT_FILE";  // OpenSSL's default bundle
}  // namespace

EmptyCaBundle::EmptyCaBundle() {
  if (const char* value = std::getenv(kCertFileVariable)) previous_ = value;
  ::setenv(kCertFileVariable, "/dev/null", 1);
}

EmptyCaBundle::~EmptyCaBundle() {
  if (previous_) {
    ::setenv(kCertFileVariable, previous_->c_str(), 1);
  } else {
    ::unsetenv(kCertFileVariable);
  }
}

std::string loopback_address(std::size_t index) {
  return "127." + std::to_string(1 + index % 254) + "." + std::to_string(index / 254 % 256) + ".1";
}

lt::settings_pack loopback_settings(const std::string& address, std::uint16_t port) {
  lt::settings_pack s;
  s.set_str(lt::settings_pack::listen_interfaces, address + ":" + std::to_string(port));
  s.set_str(lt::settings_pack::outgoing_interfaces, address);
  s.set_str(lt::settings_pack::dht_bootstrap_nodes, "");
  s.set_bool(lt::settings_pack::enable_dht, true);
  s.set_bool(lt::settings_pack::enable_lsd, false);
  s.set_bool(lt::settings_pack::enable_upnp, false);
  s.set_bool(lt::settings_pack::enable_natpmp, false);
  s.set_bool(lt::settings_pack::enable_ip_notifier, false);
  s.set_bool(lt::settings_pack::dht_restrict_routing_ips, false);
  s.set_bool(lt::settings_pack::dht_restrict_search_ips, false);
  s.set_bool(lt::settings_pack::dht_prefer_verified_node_ids, false);
  s.set_bool(lt::settings_pack::dht_enforce_node_id, false);
  s.set_bool(lt::settings_pack::dht_ignore_dark_internet, false);
  s.set_int(lt::settings_pack::dht_block_ratelimit, kDhtBlockRateLimit);
  s.set_int(lt::settings_pack::dht_block_timeout, kDhtBlockTimeoutSeconds);
  s.set_int(lt::settings_pack::dht_upload_rate_limit, kDhtUploadRateLimit);
  s.set_int(lt::settings_pack::listen_queue_size, kListenQueueSize);
  s.set_int(lt::settings_pack::alert_queue_size, kAlertQueueSize);
  s.set_int(lt::settings_pack::connections_limit, kConnectionsLimit);
  s.set_int(lt::settings_pack::connection_speed, kConnectionSpeed);
  s.set_int(lt::settings_pack::min_reconnect_time, kMinReconnectSeconds);
  s.set_int(lt::settings_pack::send_socket_buffer_size, kSocketBuffer);
  s.set_int(lt::settings_pack::recv_socket_buffer_size, kSocketBuffer);
  s.set_bool(lt::settings_pack::allow_multiple_connections_per_ip, true);
  s.set_int(lt::settings_pack::active_limit, kNoActiveLimit);
  s.set_int(lt::settings_pack::active_seeds, kNoActiveLimit);
  s.set_int(lt::settings_pack::active_downloads, kNoActiveLimit);
  s.set_int(lt::settings_pack::active_dht_limit, kNoActiveLimit);
  s.set_int(lt::settings_pack::active_tracker_limit, kNoActiveLimit);
  s.set_int(lt::settings_pack::active_lsd_limit, kNoActiveLimit);
  s.set_int(lt::settings_pack::alert_mask,
            static_cast<int>(static_cast<std::uint32_t>(
                lt::alert_category::status | lt::alert_category::error | lt::alert_category::dht |
                lt::alert_category::dht_operation)));
  return s;
}

lt::session_params disk_less_session_params(lt::settings_pack settings) {
  lt::session_params params(std::move(settings));
  params.disk_io_constructor = lt::disabled_disk_io_constructor;
  return params;
}

lt::session_params client_session_params(const std::string& address) {
  lt::settings_pack s = loopback_settings(address, 0);
  return disk_less_session_params(std::move(s));
}

}  // namespace magnetar::testnet
