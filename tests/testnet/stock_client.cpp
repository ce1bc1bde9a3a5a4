#include "tests/testnet/stock_client.hpp"

#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/torrent_info.hpp>
#include <string_view>
#include <vector>

#include "common/codec.hpp"
#include "tests/testnet/loopback_settings.hpp"

namespace magnetar::testnet {
namespace {

// The id the index keeps: v1, or the truncated v2 of a v2-only torrent.
std::string hex_id(const lt::info_hash_t& h) {
  if (h.has_v1()) return to_hex(std::string_view(h.v1.data(), h.v1.size()));
  return to_hex(std::string_view(h.v2.data(), 20));
}

}  // namespace

void set_client_encryption(lt::settings_pack& s, bool forced) {
  s.set_bool(lt::settings_pack::enable_outgoing_utp, false);
  s.set_bool(lt::settings_pack::enable_incoming_utp, false);
  const int policy = forced ? lt::settings_pack::pe_forced : lt::settings_pack::pe_disabled;
  s.set_int(lt::settings_pack::out_enc_policy, policy);
  s.set_int(lt::settings_pack::in_enc_policy, policy);
  s.set_int(lt::settings_pack::allowed_enc_level, lt::settings_pack::pe_rc4);
}

StockClient::StockClient(const StockClientOptions& options) {
  lt::session_params params = client_session_params(options.address);
  lt::settings_pack& s = params.settings;
  s.set_bool(lt::settings_pack::enable_dht, options.dht_node.has_value());
  // Bootstrapped at construction from that one node, as a user would
  // configure a client.
  if (options.dht_node) {
    s.set_str(
        lt::settings_pack::dht_bootstrap_nodes,
        options.dht_node->address().to_string() + ":" + std::to_string(options.dht_node->port()));
  }
  // A get_peers for each magnet every few seconds, not every 15 minutes:
  // the first one may run before the routing table filled.
  s.set_int(lt::settings_pack::dht_announce_interval, 5);
  set_client_encryption(s, options.forced_encryption);
  s.set_int(lt::settings_pack::alert_mask,
            lt::alert_category::status | lt::alert_category::error | lt::alert_category::dht);
  session_ = std::make_unique<lt::session>(std::move(params));
}

void StockClient::add(const std::string& magnet) {
  lt::add_torrent_params atp = lt::parse_magnet_uri(magnet);
  atp.save_path = dir_.path().string();
  atp.flags = lt::torrent_flags::upload_mode | lt::torrent_flags::disable_pex |
              lt::torrent_flags::disable_lsd;
  atp.flags &= ~(lt::torrent_flags::auto_managed | lt::torrent_flags::paused);
  session_->async_add_torrent(std::move(atp));
}

const std::map<std::string, std::string>& StockClient::poll() {
  std::vector<lt::alert*> alerts;
  session_->pop_alerts(&alerts);
  for (lt::alert* a : alerts) {
    if (auto* m = lt::alert_cast<lt::metadata_received_alert>(a)) {
      const auto ti = m->handle.torrent_file();
      if (!ti) continue;
      const auto section = ti->info_section();
      received_[hex_id(m->handle.info_hashes())] =
          std::string(section.data(), static_cast<std::size_t>(section.size()));
    } else if (auto* added = lt::alert_cast<lt::add_torrent_alert>(a)) {
      if (!added->error) added->handle.force_dht_announce();
    } else if (auto* stats = lt::alert_cast<lt::dht_stats_alert>(a)) {
      dht_nodes_ = 0;
      for (const auto& b : stats->routing_table) dht_nodes_ += b.num_nodes;
    }
  }
  return received_;
}

int StockClient::dht_nodes() {
  const auto now = std::chrono::steady_clock::now();
  if (now >= next_stats_) {
    session_->post_dht_stats();
    next_stats_ = now + kStatsPeriod;
  }
  poll();
  return dht_nodes_;
}

}  // namespace magnetar::testnet
