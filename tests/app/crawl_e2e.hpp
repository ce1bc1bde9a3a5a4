// The pieces of the crawl end-to-end tests (tests/app/crawl_*_pgtest.cpp):
// the real binaries as a user runs them by hand (README, "Crawl a test
// network"): magnetar-testnet, `magnetar serve` on the test PostgreSQL, and
// `magnetar crawl --crawler-testnet true` against both. Every process is a
// BackgroundProcess, stopped by its PID; every wait is bounded.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <pqxx/pqxx>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/background_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::testing {

using namespace std::chrono_literals;

inline constexpr char kCrawlToken[] = "cluster-token-of-the-crawl-e2e-tests";

// A testnet started by the magnetar-testnet program; its torrents' ids as the
// index keeps them (v1 hex, or the truncated v2 of a v2-only torrent).
class TestnetProcess {
 public:
  // first_address: session k listens on loopback_address(first_address + k);
  // tests running at once use distinct ranges.
  TestnetProcess(const TempDir& dir, int nodes, int torrents, int first_address) {
    const auto list = dir.path() / "torrents.tsv";
    process_ = std::make_unique<BackgroundProcess>(std::vector<std::string>{
        MAGNETAR_TESTNET_BINARY, "--nodes", std::to_string(nodes), "--seeders", "4", "--torrents",
        std::to_string(torrents), "--first-address", std::to_string(first_address), "--list",
        list.string()});
    const auto ready = process_->wait_for_line("# ready", 180s);
    if (!ready) throw std::runtime_error("magnetar-testnet did not start:\n" + process_->output());
    std::smatch m;
    const auto out = process_->output();
    if (!std::regex_search(out, m, std::regex("# bootstrap: ([^\\n]+)"))) {
      throw std::runtime_error("no bootstrap line:\n" + out);
    }
    // Three nodes are plenty to join the DHT.
    std::stringstream nodes_in(m[1].str());
    std::string node;
    for (int i = 0; i < 3 && std::getline(nodes_in, node, ','); ++i) {
      bootstrap_ += (bootstrap_.empty() ? "" : ",") + node;
    }
    std::ifstream in(list);
    std::string line;
    while (std::getline(in, line)) {
      std::stringstream fields(line);
      std::string v1, v2;
      std::getline(fields, v1, '\t');
      std::getline(fields, v2, '\t');
      ids_.insert(v1 != "-" ? v1 : v2.substr(0, 40));
      // Every id the DHT knows it by: v1 and/or the truncated v2 (BEP 52).
      std::vector<std::string> all;
      if (v1 != "-") all.push_back(v1);
      if (v2 != "-") all.push_back(v2.substr(0, 40));
      dht_ids_.push_back(std::move(all));
    }
  }

  const std::string& bootstrap() const { return bootstrap_; }
  const std::set<std::string>& ids() const { return ids_; }
  // Per torrent, in list order: its DHT ids (hex).
  const std::vector<std::vector<std::string>>& dht_ids() const { return dht_ids_; }

 private:
  std::unique_ptr<BackgroundProcess> process_;
  std::string bootstrap_;
  std::set<std::string> ids_;
  std::vector<std::vector<std::string>> dht_ids_;
};

// `magnetar serve` on the test database, every listener on a free port, its
// data directory dir/hub; `extra` settings go after the others.
class HubProcess {
 public:
  HubProcess(const TempDir& dir, const std::string& dsn,
             const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {
        MAGNETAR_BINARY, "serve",       "--db-dsn",     dsn,
        "--hub-listen",  "127.0.0.1:0", "--api-listen", "127.0.0.1:0",
        "--hub-token",   kCrawlToken,   "--data-dir",   data_dir(dir).string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<BackgroundProcess>(argv);
    // "magnetar serve: hub on ADDRESS, API on ADDRESS"
    const auto line = process_->wait_for_line("hub on ", 120s);
    std::smatch hub;
    std::smatch api;
    if (!line || !std::regex_search(*line, hub, std::regex("hub on (127\\.0\\.0\\.1:[0-9]+)")) ||
        !std::regex_search(*line, api, std::regex("API on (127\\.0\\.0\\.1:[0-9]+)"))) {
      throw std::runtime_error("magnetar serve did not start:\n" + process_->output());
    }
    address_ = hub[1].str();
    api_address_ = api[1].str();
  }

  static std::filesystem::path data_dir(const TempDir& dir) { return dir.path() / "hub"; }

  const std::string& address() const { return address_; }
  const std::string& api_address() const { return api_address_; }
  BackgroundProcess& process() { return *process_; }

 private:
  std::unique_ptr<BackgroundProcess> process_;
  std::string address_;
  std::string api_address_;
};

// `magnetar crawl` against a testnet and a hub, on its own data directory.
inline std::unique_ptr<BackgroundProcess> start_crawl(const TempDir& dir, const HubProcess& hub,
                                                      const TestnetProcess& net,
                                                      const std::string& listen_ip,
                                                      std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {MAGNETAR_BINARY,
                                   "crawl",
                                   "--hub",
                                   hub.address(),
                                   "--token",
                                   kCrawlToken,
                                   "--data-dir",
                                   (dir.path() / "crawl").string(),
                                   "--crawler-testnet",
                                   "true",
                                   "--crawler-listen",
                                   listen_ip + ":0",
                                   "--crawler-routers",
                                   "",
                                   "--crawler-bootstrap",
                                   net.bootstrap(),
                                   "--crawler-report-interval",
                                   "1",
                                   "--crawler-retry-delay",
                                   "2"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return std::make_unique<BackgroundProcess>(argv);
}

// The ids in the index, hex.
inline std::vector<std::string> indexed_ids(const std::string& dsn) {
  pqxx::connection c(dsn);
  pqxx::read_transaction tx(c);
  std::vector<std::string> ids;
  for (const auto& row : tx.exec("SELECT encode(id, 'hex') FROM torrents ORDER BY id")) {
    ids.push_back(row[0].as<std::string>());
  }
  return ids;
}

inline std::size_t indexed_count(const std::string& dsn) {
  pqxx::connection c(dsn);
  pqxx::read_transaction tx(c);
  return tx.exec1("SELECT count(*) FROM torrents")[0].as<std::size_t>();
}

// The largest "fetched N (" total in the crawl's progress lines so far.
inline std::size_t progress_fetched(const std::string& output) {
  static const std::regex kFetched(" fetched ([0-9]+) \\(");
  std::size_t best = 0;
  for (std::sregex_iterator it(output.begin(), output.end(), kFetched), end; it != end; ++it) {
    best = std::max<std::size_t>(best, std::stoul((*it)[1].str()));
  }
  return best;
}

// Polls `pred` every 100 ms until it holds or `limit` passes.
template <class Pred>
bool eventually(std::chrono::milliseconds limit, Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
  return true;
}

}  // namespace magnetar::testing
