// libtorrent settings for a session on the loopback testnet. None of this
// works on libtorrent's defaults (see shared/testnet-notes.md): the default
// bootstrap routers are a DNS lookup off this machine, the routing table
// admits one node per /24 (all of 127.0.0.x), the DoS blocker drops a busy
// neighbour for five minutes, and the DHT upload limit is 8 kB/s.
#pragma once

#include <cstdint>
#include <libtorrent/session_params.hpp>
#include <libtorrent/settings_pack.hpp>
#include <optional>
#include <string>

namespace magnetar::testnet {

// "127.A.B.1" for session number `index`: each session on its own /24, the
// most realistic layout (testnet-notes.md). Up to 254 * 256 sessions.
std::string loopback_address(std::size_t index);

// Settings for any session on the testnet (nodes, seeders, clients in tests)
// listening on `address`:`port` (port 0: a free port). A literal IP is
// required: with a device name the DHT silently gets no nodes.
lt::settings_pack loopback_settings(const std::string& address, std::uint16_t port);

// Session parameters with `settings` and a disk-less storage (reads return
// zeros, hashes are never checked): testnet sessions serve metadata only.
lt::session_params disk_less_session_params(lt::settings_pack settings);

// A stock client for tests on its own address: the loopback settings (4 MiB
// socket buffers, eager connections, the alerts a test waits for: metadata,
// DHT replies) and a disk-less storage.
lt::session_params client_session_params(const std::string& address);

// libtorrent built with OpenSSL loads the system's CA bundle into every
// session it constructs, for HTTPS trackers and web seeds: about 60 ms of CPU
// per session, nearly all of the start time of a testnet (100 sessions: 7 s,
// without it 0.1 s). Testnet sessions use neither. While an EmptyCaBundle
// lives, OpenSSL is pointed at an empty bundle (SSL_CERT_FILE=/dev/null);
// the previous value comes back when it goes. The variable is process-wide:
// keep the scope to the construction of sessions. Testnet::start() does.
class EmptyCaBundle {
 public:
  EmptyCaBundle();
  ~EmptyCaBundle();
  EmptyCaBundle(const EmptyCaBundle&) = delete;
  EmptyCaBundle& operator=(const EmptyCaBundle&) = delete;

 private:
  std::optional<std::string> previous_;
};

}  // namespace magnetar::testnet
