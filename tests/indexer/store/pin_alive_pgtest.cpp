// The store's part in pinning (schema 0005): under store.raw_info = pinned,
// a pinned record keeps its raw info dict and the pin turns ALIVE in the
// batch that stores it; an unpinned one keeps neither.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "common/codec.hpp"
#include "common/metainfo.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "indexer/store/torrent_record.hpp"
#include "schema/migrator.hpp"
#include "tests/support/info_dicts.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::indexer::store {
namespace {

TorrentRecord record_of(const std::string& info, Source source, bool pinned) {
  auto parsed = metainfo::parse_info_dict(info);
  EXPECT_TRUE(parsed.ok());
  auto r = make_torrent_record(*parsed, source, std::chrono::system_clock::now());
  r.pinned = pinned;
  return r;
}

class PinAliveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pqxx::connection c(db_.dsn());
    schema::migrate(c);
  }

  void add_pin(const std::string& hex, int state) {
    pqxx::connection c(db_.dsn());
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO pins (id, state, failure_reason) VALUES (decode($1, 'hex'), $2::smallint, "
        "CASE WHEN $2::smallint = 3 THEN 'gave up' END)",
        hex, state);
    tx.commit();
  }

  // state, resolved_at set, failure_reason, revision, info dict stored
  std::tuple<int, bool, std::string, long, bool> pin_row(const std::string& hex) {
    pqxx::connection c(db_.dsn());
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params1(
        "SELECT state, resolved_at IS NOT NULL, coalesce(failure_reason, ''), revision, "
        "EXISTS (SELECT 1 FROM torrent_info_dicts d WHERE d.torrent_id = p.id) "
        "FROM pins p WHERE id = decode($1, 'hex')",
        hex);
    return {r[0].as<int>(), r[1].as<bool>(), r[2].as<std::string>(), r[3].as<long>(),
            r[4].as<bool>()};
  }

  void write(std::vector<TorrentRecord> records) {
    PgTorrentStore store({.dsn = db_.dsn()});  // raw_info = pinned
    store.submit(std::move(records), {});
    store.flush();
  }

  testing::TestDatabase db_;
};

TEST_F(PinAliveTest, APinnedRecordKeepsItsInfoDictAndItsPinTurnsAlive) {
  const auto info = testing::single_file_info_dict("pinned.bin", 100'000);
  const auto rec = record_of(info, Source::kDhtSample, /*pinned=*/true);
  const auto hex = to_hex(rec.hashes.id().view());
  add_pin(hex, 1);
  write({rec});
  const auto [state, resolved, reason, revision, stored] = pin_row(hex);
  EXPECT_EQ(state, 2);
  EXPECT_TRUE(resolved);
  EXPECT_EQ(reason, "");
  EXPECT_EQ(revision, 2);  // the hub sees the change
  EXPECT_TRUE(stored);
}

TEST_F(PinAliveTest, AFailedPinComesBackAliveWhenItsInfoDictArrivesFromAKeeper) {
  const auto info = testing::single_file_info_dict("late.bin", 100'000);
  const auto rec = record_of(info, Source::kPin, /*pinned=*/false);
  const auto hex = to_hex(rec.hashes.id().view());
  add_pin(hex, 3);
  write({rec});
  const auto [state, resolved, reason, revision, stored] = pin_row(hex);
  EXPECT_EQ(state, 2);
  EXPECT_TRUE(resolved);
  EXPECT_EQ(reason, "");
  EXPECT_TRUE(stored);
}

TEST_F(PinAliveTest, WithoutTheInfoDictThePinStaysResolving) {
  const auto info = testing::single_file_info_dict("crawled.bin", 100'000);
  const auto rec = record_of(info, Source::kDhtSample, /*pinned=*/false);
  const auto hex = to_hex(rec.hashes.id().view());
  add_pin(hex, 1);  // pinned in the database, but the record was not marked
  write({rec});
  const auto [state, resolved, reason, revision, stored] = pin_row(hex);
  EXPECT_EQ(state, 1);
  EXPECT_FALSE(resolved);
  EXPECT_EQ(revision, 1);
  EXPECT_FALSE(stored);
}

TEST_F(PinAliveTest, AnAlivePinIsLeftAloneByAReplay) {
  const auto info = testing::single_file_info_dict("replayed.bin", 100'000);
  const auto rec = record_of(info, Source::kPin, false);
  const auto hex = to_hex(rec.hashes.id().view());
  add_pin(hex, 1);
  write({rec});
  write({rec});
  EXPECT_EQ(std::get<3>(pin_row(hex)), 2);  // one change only
}

}  // namespace
}  // namespace magnetar::indexer::store
