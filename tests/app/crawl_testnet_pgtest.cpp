// `magnetar crawl` end to end, as the README tells a person to try it: a
// magnetar-testnet of 20 DHT nodes and 100 torrents, `magnetar serve` on
// PostgreSQL, and the crawl node with crawler.testnet on, until the index
// holds every torrent and the progress line counts them all.
#include <csignal>

#include "tests/app/crawl_e2e.hpp"

namespace magnetar {
namespace {

using namespace std::chrono_literals;
using testing::eventually;

// Past the testnet's addresses (loopback_address(k), first address 40,000).
constexpr char kCrawlerIp[] = "127.203.158.1";

TEST(CrawlTestnet, TheIndexEndsWithEveryTorrentAndTheProgressLineCountsThem) {
  testing::TempDir dir{"magnetar-crawl-e2e"};
  testing::TestDatabase db;
  testing::TestnetProcess net(dir, 20, 100, 40'000);
  ASSERT_EQ(net.ids().size(), 100u);
  testing::HubProcess hub(dir, db.dsn());
  auto crawl = testing::start_crawl(dir, hub, net, kCrawlerIp);

  const auto started = std::chrono::steady_clock::now();
  const bool indexed = eventually(90s, [&] { return testing::indexed_count(db.dsn()) >= 100; });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(indexed) << testing::indexed_count(db.dsn()) << " of 100 indexed\n"
                       << crawl->output();
  std::cout << "crawl: 100 torrents indexed in " << seconds << " s\n";
  const auto ids = testing::indexed_ids(db.dsn());
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), net.ids());

  // The progress line (every 5 s) climbs to the full set: every torrent
  // fetched (a hybrid fetched under both its ids at once counts twice).
  EXPECT_TRUE(eventually(30s, [&] { return testing::progress_fetched(crawl->output()) >= 100; }))
      << crawl->output();

  crawl->signal(SIGTERM);
  EXPECT_EQ(crawl->wait(60s), 0) << crawl->output();
  EXPECT_NE(crawl->output().find("outbox 0"), std::string::npos) << crawl->output();

  // Its last report reached the hub: counters since start, and gauges.
  pqxx::connection c(db.dsn());
  pqxx::read_transaction tx(c);
  const auto row = tx.exec1(
      "SELECT (counters->>'fetch_ok')::bigint, (counters->>'acked')::bigint, "
      "(gauges->>'outbox_depth')::float8, counters ? 'samples' FROM crawler_nodes");
  EXPECT_GE(row[0].as<long>(), 100);
  EXPECT_EQ(row[1].as<long>(), row[0].as<long>());
  EXPECT_EQ(row[2].as<double>(), 0);
  EXPECT_TRUE(row[3].as<bool>());
}

}  // namespace
}  // namespace magnetar
