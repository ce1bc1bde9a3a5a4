// The testnet's torrents as text, for a process that does not link the
// testnet (a benchmark child, a crawler run by hand). One line per torrent,
// tab-separated:
//   <v1 hex or -> <v2 hex or -> <v1|v2|hybrid> <info dict bytes> <seeders> <name>
// where <seeders> is a comma-separated list of host:port (TCP, peer wire).
// Generated names contain neither tabs nor newlines.
#pragma once

#include <ostream>

namespace magnetar::testnet {

class Testnet;

void write_torrent_list(const Testnet& net, std::ostream& out);

}  // namespace magnetar::testnet
