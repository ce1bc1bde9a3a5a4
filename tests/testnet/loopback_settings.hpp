// libtorrent settings for a session on the loopback testnet. None of this
// works on libtorrent's defaults (see shared/testnet-notes.md): the default
// bootstrap routers are a DNS lookup off this machine, the routing table
// admits one node per /24 (all of 127.0.0.x), the DoS blocker drops a busy
// neighbour for five minutes, and the DHT upload limit is 8 kB/s.
#pragma once

#include <cstdint>
#include <libtorrent/session_params.hpp>
#include <libtorrent/settings_pack.hpp>
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

// A stock client for tests: loopback settings, a 4 MiB UDP buffer (hundreds
// of DHT lookups at once overflow the default), eager connections, the
// alerts a test waits for (metadata, DHT replies).
lt::session_params client_session_params(const std::string& address);

}  // namespace magnetar::testnet
