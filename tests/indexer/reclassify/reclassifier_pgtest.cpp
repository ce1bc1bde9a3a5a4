#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "common/sha.hpp"
#include "indexer/reclassify/reclassifier.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "schema/migrator.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::indexer::reclassify {
namespace {

store::TorrentRecord record(const std::string& name, std::vector<store::TorrentFile> files = {}) {
  store::TorrentRecord r;
  r.hashes.v1 = InfoHashV1(sha1(name));
  r.name = name;
  r.total_size = 1'000'000;
  r.file_count = files.empty() ? 1 : static_cast<std::int64_t>(files.size());
  r.piece_length = 16384;
  r.files = std::move(files);
  r.source = store::Source::kDhtSample;
  r.seen_at = std::chrono::system_clock::now();
  return r;  // stored unclassified: content_type 0, no attributes
}

struct Row {
  int content_type;
  std::optional<int> year, season, resolution;
};

Row row_of(pqxx::connection& c, const std::string& name) {
  pqxx::read_transaction tx(c);
  auto r = tx.exec_params1(
      "SELECT content_type, year, season, resolution FROM torrents WHERE name = $1", name);
  auto opt = [](const pqxx::field& f) {
    return f.is_null() ? std::nullopt : std::optional<int>(f.as<int>());
  };
  return {r[0].as<int>(), opt(r[1]), opt(r[2]), opt(r[3])};
}

TEST(Reclassifier, RewritesChangedRowsPagesThroughAllAndBlocksBannedOnes) {
  testing::TestDatabase db;
  {
    pqxx::connection c(db.dsn());
    schema::migrate(c);
  }
  store::PgTorrentStore store(store::PgTorrentStoreOptions{.dsn = db.dsn()});
  std::vector<store::TorrentRecord> records;
  records.push_back(record("The.Matrix.1999.1080p.BluRay.x264-GROUP"));
  records.push_back(record("Some.Show.S02E05.720p.WEB-DL.x264-GRP"));
  records.push_back(record("forbiddenword pack", {{{"a.txt"}, 10}, {{"b.txt"}, 20}}));
  for (int i = 0; i < 7; ++i) records.push_back(record("Plain name " + std::to_string(i)));
  store.submit(std::move(records), [] {});
  store.flush();

  auto rules = classify::Rules::defaults();
  ASSERT_TRUE(rules.ok());
  classify::Classifier classifier(*rules);
  classify::BannedRules banned_rules;
  ASSERT_TRUE(
      banned_rules.add_toml("[[rules]]\nid = \"test-rule\"\nwords = [\"forbiddenword\"]\n", "test")
          .ok());
  classify::BannedFilter banned(banned_rules);

  Reclassifier reclassifier(db.dsn(), classifier, banned, store, /*batch_size=*/3);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> reports;
  const auto stats =
      reclassifier.run([&](auto done, auto total) { reports.emplace_back(done, total); });
  EXPECT_EQ(stats.scanned, 10u);
  EXPECT_EQ(stats.blocked, 1u);
  EXPECT_GE(stats.changed, 2u);
  ASSERT_EQ(reports.size(), 4u);  // batches of 3: 3, 6, 9, 10
  EXPECT_EQ(reports.back().first, 10u);
  EXPECT_EQ(reports.back().second, 10u);

  pqxx::connection c(db.dsn());
  const auto movie = row_of(c, "The.Matrix.1999.1080p.BluRay.x264-GROUP");
  EXPECT_EQ(movie.content_type, static_cast<int>(classify::ContentType::kVideoMovie));
  EXPECT_EQ(movie.year, 1999);
  EXPECT_EQ(movie.resolution, 1080);
  const auto episode = row_of(c, "Some.Show.S02E05.720p.WEB-DL.x264-GRP");
  EXPECT_EQ(episode.content_type, static_cast<int>(classify::ContentType::kVideoEpisode));
  EXPECT_EQ(episode.season, 2);

  const auto banned_id = InfoHashV1(sha1("forbiddenword pack"));
  EXPECT_EQ(store.triage(std::vector<InfoHashV1>{banned_id}),
            (std::vector<store::Triage>{store::Triage::kBlocked}));

  // Nothing changed since: a second run rewrites nothing.
  const auto again = reclassifier.run();
  EXPECT_EQ(again.scanned, 9u);
  EXPECT_EQ(again.changed, 0u);
  EXPECT_EQ(again.blocked, 0u);
}

}  // namespace
}  // namespace magnetar::indexer::reclassify
