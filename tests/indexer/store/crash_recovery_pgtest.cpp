// PostgreSQL crashes mid-ingest (an immediate stop: no checkpoint, crash
// recovery at the next start): the writer reconnects and retries, and the
// index ends with exactly the torrents sent, each acknowledged once.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <pqxx/pqxx>
#include <thread>

#include "indexer/postgres/embedded_cluster.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "schema/migrator.hpp"
#include "tests/support/temp_dir.hpp"

namespace magnetar::indexer::store {
namespace {

using namespace std::chrono_literals;
using postgres::ClusterOptions;
using postgres::EmbeddedCluster;

constexpr int kRecords = 20'000;
constexpr int kPerSubmission = 100;
constexpr auto kWaitLimit = 180s;

TorrentRecord record(int n) {
  std::array<std::uint8_t, 20> b{};
  b[0] = 0xC0;
  b[17] = static_cast<std::uint8_t>(n >> 16);
  b[18] = static_cast<std::uint8_t>(n >> 8);
  b[19] = static_cast<std::uint8_t>(n);
  TorrentRecord r;
  r.hashes.v1 = InfoHashV1(b);
  r.name = "Crash.Test." + std::to_string(n);
  r.total_size = n;
  r.file_count = 2;
  std::string file = std::to_string(n);
  file.append(".mkv");
  r.files = {{{"dir", file}, n}, {{"dir", "b.srt"}, 1}};
  r.seen_at = std::chrono::system_clock::now();
  return r;
}

// Waits (bounded) until pred() holds.
template <class Pred>
bool wait_for(Pred pred, std::chrono::steady_clock::duration limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);  // polling interval, not a fixed wait
  }
  return true;
}

TEST(PgTorrentStoreCrash, ImmediateStopsMidIngestLoseAndDuplicateNothing) {
  testing::TempDir dir("magnetar-store-crash");
  ClusterOptions co;
  co.data_dir = dir.path();
  co.fsync = false;  // an immediate stop keeps committed data either way
  EmbeddedCluster cluster(co);
  cluster.start();
  {
    pqxx::connection c(cluster.dsn());
    schema::migrate(c);
  }

  PgTorrentStoreOptions o;
  o.dsn = cluster.dsn();
  o.max_batch_records = 500;
  o.max_batch_delay = 20ms;
  o.retry_backoff_min = 10ms;
  o.retry_backoff_max = 300ms;
  PgTorrentStore store(o);

  constexpr int kSubmissions = kRecords / kPerSubmission;
  std::vector<std::atomic<int>> acks(kSubmissions);
  std::atomic<int> acked_records{0};
  auto producer = std::async(std::launch::async, [&] {
    for (int s = 0; s < kSubmissions; ++s) {
      std::vector<TorrentRecord> recs;
      for (int k = 0; k < kPerSubmission; ++k) recs.push_back(record(s * kPerSubmission + k));
      if (store.submit(std::move(recs), [&, s] {
            ++acks[s];
            acked_records += kPerSubmission;
          }) != SubmitResult::kAccepted)
        return false;
    }
    return true;
  });

  // Two crashes, each while records are still being written.
  for (int threshold : {kRecords / 4, kRecords / 2}) {
    ASSERT_TRUE(wait_for([&] { return acked_records.load() >= threshold; }, kWaitLimit));
    ASSERT_LT(acked_records.load(), kRecords) << "the ingest finished before the crash";
    cluster.stop(EmbeddedCluster::StopMode::kImmediate);
    cluster.start();
  }
  ASSERT_EQ(producer.wait_for(kWaitLimit), std::future_status::ready);
  ASSERT_TRUE(producer.get());
  ASSERT_TRUE(wait_for([&] { return acked_records.load() >= kRecords; }, kWaitLimit));
  store.flush();

  for (int s = 0; s < kSubmissions; ++s) EXPECT_EQ(acks[s].load(), 1) << s;
  EXPECT_GE(store.stats().retries, 1u);
  EXPECT_GE(store.stats().reconnects, 2u);
  pqxx::connection c(cluster.dsn());
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM torrents")[0].as<int>(), kRecords);
  EXPECT_EQ(tx.exec1("SELECT count(DISTINCT id) FROM torrents")[0].as<int>(), kRecords);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM torrent_files")[0].as<int>(), kRecords);
  EXPECT_EQ(tx.exec1("SELECT sum(total_size) FROM torrents")[0].as<std::int64_t>(),
            static_cast<std::int64_t>(kRecords) * (kRecords - 1) / 2);
}

}  // namespace
}  // namespace magnetar::indexer::store
