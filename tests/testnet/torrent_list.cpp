#include "tests/testnet/torrent_list.hpp"

#include "tests/testnet/testnet.hpp"

namespace magnetar::testnet {

void write_torrent_list(const Testnet& net, std::ostream& out) {
  for (std::size_t i = 0; i < net.torrents().size(); ++i) {
    const GeneratedTorrent& t = net.torrents()[i];
    out << (t.info_hashes.v1 ? t.info_hashes.v1->hex() : "-") << '\t'
        << (t.info_hashes.v2 ? t.info_hashes.v2->hex() : "-") << '\t' << to_string(t.version)
        << '\t' << t.info_dict.size() << '\t';
    const auto seeders = net.seeders_of(i);
    for (std::size_t k = 0; k < seeders.size(); ++k) out << (k ? "," : "") << to_string(seeders[k]);
    out << '\t' << t.name << '\n';
  }
}

}  // namespace magnetar::testnet
