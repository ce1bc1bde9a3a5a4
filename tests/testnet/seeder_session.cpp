#include "tests/testnet/seeder_session.hpp"

#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/torrent_info.hpp>
#include <stdexcept>

#include "tests/testnet/loopback_settings.hpp"

namespace magnetar::testnet {

std::unique_ptr<lt::session> start_seeder(const std::string& address,
                                          const std::vector<GeneratedTorrent>& torrents,
                                          const std::vector<lt::udp::endpoint>& nodes) {
  lt::settings_pack s = loopback_settings(address, 0);
  s.set_int(lt::settings_pack::dht_announce_interval, 5);
  auto session = std::make_unique<lt::session>(disk_less_session_params(s));
  for (const auto& n : nodes) session->add_dht_node({n.address().to_string(), n.port()});
  for (const auto& t : torrents) {
    lt::add_torrent_params atp;
    lt::error_code ec;
    atp.ti = std::make_shared<lt::torrent_info>(
        lt::span<const char>(t.torrent_file.data(),
                             static_cast<std::ptrdiff_t>(t.torrent_file.size())),
        ec, lt::from_span);
    if (ec) throw std::runtime_error("seeder: " + ec.message());
    atp.save_path = ".";
    atp.flags = lt::torrent_flags::seed_mode;
    atp.flags &= ~(lt::torrent_flags::auto_managed | lt::torrent_flags::paused);
    session->add_torrent(std::move(atp)).force_dht_announce();
  }
  return session;
}

}  // namespace magnetar::testnet
