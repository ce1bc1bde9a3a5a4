// bench_metadata_fetch_lt: libtorrent's own magnet resolution in its own
// process, run by bench_metadata_fetch:
//   bench_metadata_fetch_lt JOB_FILE FETCHES IN_FLIGHT tuned|default TIMEOUT_S SAVE_DIR
// tuned: the job's seeder handed in through add_torrent_params::peers,
//   connection_speed 1000, upload mode, not auto-managed, active limits off,
//   each torrent removed once metadata_received_alert arrives; IN_FLIGHT at a
//   time, round-robin over the job until FETCHES completed.
// default: a plain magnet per torrent (no peer handed in), libtorrent's
//   defaults but for what loopback needs (the job's DHT nodes, no LSD/UPnP);
//   every torrent of the job added at once, until all resolved or TIMEOUT_S.
// Both in upload mode: the testnet's content does not exist.
// Prints "result ..." (job_file.hpp) as its last line.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/session_params.hpp>
#include <libtorrent/settings_pack.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bench/metadata_fetch/job_file.hpp"
#include "tests/testnet/loopback_settings.hpp"

using namespace magnetar;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc != 7) {
    std::cerr << "usage: bench_metadata_fetch_lt JOB FETCHES IN_FLIGHT tuned|default TIMEOUT_S "
                 "SAVE_DIR\n";
    return 2;
  }
  const bench::Job job = bench::read_job(argv[1]);
  const std::size_t fetches = std::strtoull(argv[2], nullptr, 10);
  const std::size_t in_flight = std::strtoull(argv[3], nullptr, 10);
  const bool tuned = std::string(argv[4]) == "tuned";
  const auto timeout = std::chrono::seconds(std::strtoll(argv[5], nullptr, 10));
  const std::string save_dir = argv[6];
  if (job.torrents.empty()) return 2;

  // The client's own address on the testnet's loopback range.
  lt::session_params params = testnet::client_session_params("127.250.0.1");
  lt::settings_pack& s = params.settings;
  const lt::settings_pack defaults = lt::default_settings();
  s.set_bool(lt::settings_pack::enable_outgoing_utp, false);
  s.set_bool(lt::settings_pack::enable_incoming_utp, false);
  s.set_int(lt::settings_pack::alert_queue_size, 100'000);
  s.set_int(lt::settings_pack::alert_mask, lt::alert_category::status | lt::alert_category::error);
  if (tuned) {
    s.set_bool(lt::settings_pack::enable_dht, false);
    s.set_int(lt::settings_pack::connection_speed, 1000);
    s.set_int(lt::settings_pack::active_downloads, -1);
    s.set_int(lt::settings_pack::active_seeds, -1);
    s.set_int(lt::settings_pack::active_checking, -1);
    s.set_int(lt::settings_pack::active_limit, -1);
    s.set_int(lt::settings_pack::connections_limit, 10'000);
  } else {
    // libtorrent's defaults for everything that decides how fast a magnet
    // resolves; the DHT settings are what loopback needs (testnet-notes.md).
    for (int name : {lt::settings_pack::connection_speed, lt::settings_pack::connections_limit,
                     lt::settings_pack::active_downloads, lt::settings_pack::active_seeds,
                     lt::settings_pack::active_limit, lt::settings_pack::torrent_connect_boost}) {
      s.set_int(name, defaults.get_int(name));
    }
    s.set_int(lt::settings_pack::alert_mask,
              lt::alert_category::status | lt::alert_category::error | lt::alert_category::dht);
  }
  lt::session session(std::move(params));
  if (!tuned) {
    for (const auto& [ip, port] : job.dht_nodes) session.add_dht_node({ip, port});
  }

  bench::RunRecorder recorder;
  std::map<lt::sha1_hash, std::pair<std::size_t, Clock::time_point>> pending;  // best id
  std::size_t issued = 0;
  std::size_t cursor = 0;
  std::size_t failed_adds = 0;
  const std::size_t total = tuned ? fetches : job.torrents.size();
  // Torrents removed whose torrent_removed_alert has not come yet: adding
  // one of them again would attach to the dying torrent and never resolve.
  std::set<lt::sha1_hash> removing;
  std::vector<lt::sha1_hash> ids;
  for (const auto& t : job.torrents) {
    lt::error_code ec;
    ids.push_back(lt::parse_magnet_uri(t.magnet, ec).info_hashes.get_best());
  }

  auto issue = [&] {
    std::size_t index = cursor % job.torrents.size();
    for (std::size_t tries = 0; tries < job.torrents.size(); ++tries) {
      if (!removing.count(ids[index]) && !pending.count(ids[index])) break;
      index = ++cursor % job.torrents.size();
    }
    ++cursor;
    ++issued;
    lt::error_code ec;
    lt::add_torrent_params atp = lt::parse_magnet_uri(job.torrents[index].magnet, ec);
    if (ec) {
      ++failed_adds;
      return;
    }
    atp.save_path = save_dir;
    atp.flags |= lt::torrent_flags::duplicate_is_error;
    // The testnet's content does not exist (its seeders serve metadata only):
    // no contender asks for piece data.
    atp.flags |= lt::torrent_flags::upload_mode;
    if (tuned) {
      atp.flags |= lt::torrent_flags::disable_dht | lt::torrent_flags::disable_pex |
                   lt::torrent_flags::disable_lsd;
      atp.flags &= ~(lt::torrent_flags::auto_managed | lt::torrent_flags::paused);
      atp.peers.emplace_back(lt::make_address(job.torrents[index].address),
                             job.torrents[index].port);
    }
    pending[atp.info_hashes.get_best()] = {index, Clock::now()};
    session.async_add_torrent(std::move(atp));
  };

  recorder.start();
  const auto deadline = Clock::now() + timeout;
  const std::size_t first = tuned ? std::min(in_flight, total) : total;
  for (std::size_t i = 0; i < first; ++i) issue();
  std::vector<lt::alert*> alerts;
  while (recorder.done() + failed_adds < total && Clock::now() < deadline) {
    session.wait_for_alert(std::chrono::milliseconds(100));
    session.pop_alerts(&alerts);
    for (lt::alert* a : alerts) {
      if (auto* added = lt::alert_cast<lt::add_torrent_alert>(a)) {
        if (added->error) {
          std::cerr << "lt: add failed: " << added->error.message() << '\n';
          ++failed_adds;
          if (tuned && issued < total) issue();
        }
        continue;
      }
      if (auto* removed = lt::alert_cast<lt::torrent_removed_alert>(a)) {
        removing.erase(removed->info_hashes.get_best());
        continue;
      }
      auto* m = lt::alert_cast<lt::metadata_received_alert>(a);
      if (!m) continue;
      const auto it = pending.find(m->handle.info_hashes().get_best());
      if (it == pending.end()) continue;
      recorder.completed(Clock::now() - it->second.second, true, it->second.first);
      removing.insert(it->first);
      pending.erase(it);
      session.remove_torrent(m->handle);
      if (tuned && issued < total) issue();
    }
  }
  std::cerr << "lt " << (tuned ? "tuned" : "default") << ": " << recorder.done() << " of " << total
            << " resolved, " << failed_adds << " failed adds\n";
  std::cout << recorder.report(job.torrents.size()) << std::endl;
  // The session's destructor waits for trackers; none here.
  return 0;
}
