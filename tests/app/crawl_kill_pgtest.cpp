// kill -9 of `magnetar crawl` (the real binary) at 5 random moments while it
// fetches and ships, restarting it each time on the same data directory: the
// index ends with exactly the testnet's torrents, each once, and everything
// the node recorded as fetched is in it (nothing lost between the outbox and
// the hub's commit).
#include <csignal>
#include <iostream>
#include <random>

#include "common/infohash.hpp"
#include "crawler/state/node_state.hpp"
#include "tests/app/crawl_e2e.hpp"

namespace magnetar {
namespace {

using namespace std::chrono_literals;
using testing::eventually;

// Past the testnet's addresses (loopback_address(k), first address 45,000).
constexpr char kCrawlerIp[] = "127.204.158.1";
constexpr std::size_t kTorrents = 300;
constexpr int kKills = 5;
// Few fetches at once, so that a crawl of the testnet takes several seconds
// and each kill lands with fetches, commits and acks in flight.
constexpr char kConcurrency[] = "1";

TEST(CrawlKill, KillsWithIngestInFlightLoseNothingAndDuplicateNothing) {
  testing::TempDir dir{"magnetar-crawl-kill"};
  testing::TestDatabase db;
  testing::TestnetProcess net(dir, 20, kTorrents, 45'000);
  ASSERT_EQ(net.ids().size(), kTorrents);
  testing::HubProcess hub(dir, db.dsn());

  const auto seed = std::random_device{}();
  std::cout << "kill moments seeded with " << seed << "\n";
  std::mt19937 rng(seed);
  // After the run's first ack: a crawl of the whole testnet takes seconds.
  std::uniform_int_distribution<int> moment_ms(50, 500);
  std::vector<std::size_t> indexed_at_kill;
  for (int k = 0; k < kKills; ++k) {
    auto crawl =
        testing::start_crawl(dir, hub, net, kCrawlerIp, {"--crawler-concurrency", kConcurrency});
    ASSERT_TRUE(crawl->wait_for_line("shipping to", 60s)) << crawl->output();
    // Ingest under way in this run: the index grows (unless it is complete).
    const auto before = testing::indexed_count(db.dsn());
    eventually(30s, [&] {
      const auto n = testing::indexed_count(db.dsn());
      return n > before || n >= kTorrents;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(moment_ms(rng)));
    crawl->signal(SIGKILL);
    ASSERT_EQ(crawl->wait(30s), 128 + SIGKILL);
    indexed_at_kill.push_back(testing::indexed_count(db.dsn()));
  }

  // A last run completes the crawl and stops cleanly.
  auto crawl =
      testing::start_crawl(dir, hub, net, kCrawlerIp, {"--crawler-concurrency", kConcurrency});
  ASSERT_TRUE(crawl->wait_for_line("shipping to", 60s)) << crawl->output();
  const bool complete =
      eventually(90s, [&] { return testing::indexed_count(db.dsn()) >= kTorrents; });
  crawl->signal(SIGTERM);
  EXPECT_EQ(crawl->wait(60s), 0) << crawl->output();
  EXPECT_NE(crawl->output().find(", outbox 0"), std::string::npos) << crawl->output();
  std::cout << "indexed at each kill:";
  for (auto n : indexed_at_kill) std::cout << " " << n;
  std::cout << "; after the last run: " << testing::indexed_count(db.dsn()) << "\n";
  ASSERT_TRUE(complete) << testing::indexed_count(db.dsn()) << " of " << kTorrents << "\n"
                        << crawl->output();
  // The kills hit a crawl under way, not one that had finished.
  EXPECT_LT(indexed_at_kill.back(), kTorrents);

  // Exactly the testnet's torrents, each once.
  const auto ids = testing::indexed_ids(db.dsn());
  EXPECT_EQ(ids.size(), kTorrents);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), net.ids());

  // Everything the node recorded as fetched (under any of a torrent's ids)
  // is indexed: no fetch was lost to a kill.
  crawler::state::NodeStateOptions options;
  options.data_dir = dir.path() / "crawl";
  crawler::state::NodeState state(options);
  EXPECT_EQ(state.outbox().size(), 0u);
  const std::set<std::string> indexed(ids.begin(), ids.end());
  std::size_t fetched = 0;
  for (std::size_t t = 0; t < net.dht_ids().size(); ++t) {
    bool marked = false;
    for (const auto& hex : net.dht_ids()[t]) {
      const auto r = state.seen().get(*InfoHashV1::from_hex(hex));
      marked = marked || (r && r->last_outcome == crawler::state::FetchOutcome::kOk);
    }
    if (!marked) continue;
    ++fetched;
    const auto& first = net.dht_ids()[t].front();  // v1, or the truncated v2 of a v2-only torrent
    EXPECT_TRUE(indexed.contains(first)) << "fetched but not indexed: " << first;
  }
  std::cout << fetched << " torrents marked fetched by the node\n";
  EXPECT_EQ(fetched, kTorrents);
}

}  // namespace
}  // namespace magnetar
