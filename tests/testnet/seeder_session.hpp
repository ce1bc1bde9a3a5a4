// A seeder of some generated torrents on a session of its own, announcing
// into the testnet: a swarm a test can take away (destroy the session) to
// show that a magnet still resolves without it.
#pragma once

#include <libtorrent/session.hpp>
#include <memory>
#include <string>
#include <vector>

#include "tests/testnet/torrent_generator.hpp"

namespace magnetar::testnet {

// On `address` (a loopback_address()), joining the DHT through `nodes`,
// announcing every few seconds. Throws when a torrent does not load.
std::unique_ptr<lt::session> start_seeder(const std::string& address,
                                          const std::vector<GeneratedTorrent>& torrents,
                                          const std::vector<lt::udp::endpoint>& nodes);

}  // namespace magnetar::testnet
