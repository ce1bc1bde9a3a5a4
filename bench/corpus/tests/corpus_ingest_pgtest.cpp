#include <gtest/gtest.h>
#include <unistd.h>

#include <pqxx/pqxx>

#include "bench/corpus/bench_database.hpp"
#include "bench/corpus/corpus_chunk_source.hpp"
#include "bench/corpus/corpus_generator.hpp"
#include "bench/corpus/corpus_ingest.hpp"
#include "bench/corpus/relation_sizes.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::bench {
namespace {

constexpr std::uint64_t kSeed = 11;
// Two full chunks and a short one.
constexpr std::uint64_t kCount = 2 * kCorpusChunkRecords + 17;

std::int64_t count_rows(const std::string& dsn, const std::string& table) {
  pqxx::connection c(dsn);
  pqxx::read_transaction tx(c);
  return tx.exec1("SELECT count(*) FROM " + table)[0].as<std::int64_t>();
}

class CorpusIngestTest : public ::testing::Test {
 protected:
  // A fresh database of the test server, migrated by create_bench_database.
  void SetUp() override {
    server_ = testing::server_dsn();
    // Unique on the server: tests of one process run one after another.
    name_ = "corpus_ingest_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dsn_ = create_bench_database(server_, name_);
  }
  void TearDown() override { drop_bench_database(server_, name_); }

  CorpusIngest ingest(std::uint64_t first, std::uint64_t count) {
    return ingest_corpus({.dsn = dsn_, .seed = kSeed, .first = first, .count = count});
  }

  std::string server_, name_, dsn_;
};

TEST_F(CorpusIngestTest, StoresEveryRecordOfTheRangeAndCountsTheirFiles) {
  const auto result = ingest(0, kCount);
  EXPECT_EQ(result.acked, kCount);
  std::uint64_t files = 0;
  const CorpusGenerator gen(kSeed);
  for (std::uint64_t i = 0; i < kCount; ++i)
    files += static_cast<std::uint64_t>(gen.record(i).file_count);
  EXPECT_EQ(result.files, files);
  EXPECT_EQ(count_rows(dsn_, "torrents"), static_cast<std::int64_t>(kCount));
  EXPECT_GT(result.seconds, 0.0);
  EXPECT_GT(result.generator_cpu, 0.0);
  EXPECT_GE(result.stats.batches, 1u);
}

TEST_F(CorpusIngestTest, IngestingARangeAgainUpsertsInsteadOfAddingRows) {
  ASSERT_EQ(ingest(0, kCount).acked, kCount);
  // Overlapping the first range by half: only the new half adds rows.
  ASSERT_EQ(ingest(kCount / 2, kCount).acked, kCount);
  EXPECT_EQ(count_rows(dsn_, "torrents"), static_cast<std::int64_t>(kCount / 2 + kCount));
}

TEST_F(CorpusIngestTest, RelationSizesListTheStoreTablesLargestFirst) {
  ASSERT_EQ(ingest(0, kCount).acked, kCount);
  pqxx::connection c(dsn_);
  pqxx::nontransaction(c).exec("VACUUM ANALYZE");
  const auto sizes = relation_sizes(c);
  ASSERT_GE(sizes.size(), 3u);
  bool torrents = false, info_dicts = false;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (i > 0) {
      EXPECT_GE(sizes[i - 1].total, sizes[i].total);
    }
    EXPECT_GE(sizes[i].total, sizes[i].heap + sizes[i].indexes);
    torrents |= sizes[i].name == "torrents" && sizes[i].heap > 0;
    info_dicts |= sizes[i].name == kUncountedRelation;
  }
  EXPECT_TRUE(torrents) << "the torrents table, with rows";
  EXPECT_TRUE(info_dicts);
  EXPECT_GT(bytes_per_torrent(sizes, static_cast<std::int64_t>(kCount)), 0.0);
}

TEST(BenchDatabase, CreatingAgainReplacesADatabaseAPreviousRunLeft) {
  const auto server = testing::server_dsn();
  const std::string name = "bench_database_" + std::to_string(::getpid());
  const auto dsn = create_bench_database(server, name);
  {
    pqxx::connection c(dsn);
    pqxx::work tx(c);
    tx.exec("INSERT INTO blocked_infohashes (id, reason) VALUES ('\\x01'::bytea, 'test')");
    tx.commit();
  }
  EXPECT_EQ(create_bench_database(server, name), dsn);
  EXPECT_EQ(count_rows(dsn, "blocked_infohashes"), 0) << "a fresh, migrated database";
  drop_bench_database(server, name);
  pqxx::connection admin(server);
  pqxx::read_transaction tx(admin);
  EXPECT_EQ(
      tx.exec1("SELECT count(*) FROM pg_database WHERE datname = " + tx.quote(name))[0].as<int>(),
      0);
}

}  // namespace
}  // namespace magnetar::bench
