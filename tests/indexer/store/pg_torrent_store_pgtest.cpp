#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

#include "common/codec.hpp"
#include "indexer/store/file_list_codec.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "indexer/store/text_sanitizer.hpp"
#include "schema/migrator.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::indexer::store {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using testing::TestDatabase;
using Clock = std::chrono::system_clock;

// Bounds every wait of these tests: far above any expected latency.
constexpr auto kWaitLimit = 30s;

InfoHashV1 id_of(int n) {
  std::array<std::uint8_t, 20> b{};
  b[0] = 0xAB;
  b[16] = static_cast<std::uint8_t>(n >> 24);
  b[17] = static_cast<std::uint8_t>(n >> 16);
  b[18] = static_cast<std::uint8_t>(n >> 8);
  b[19] = static_cast<std::uint8_t>(n);
  return InfoHashV1(b);
}

Clock::time_point at_second(std::int64_t s) { return Clock::time_point(std::chrono::seconds(s)); }

TorrentRecord record(int n, std::string name = {}) {
  TorrentRecord r;
  r.hashes.v1 = id_of(n);
  r.name = name.empty() ? "Torrent." + std::to_string(n) + ".mkv" : std::move(name);
  r.total_size = 1000 + n;
  r.file_count = 1;
  r.piece_length = 16384;
  r.source = Source::kDhtSample;
  r.seen_at = at_second(1'700'000'000);
  return r;
}

struct Migrated {
  TestDatabase db;
  Migrated() {
    pqxx::connection c(db.dsn());
    schema::migrate(c);
  }
};

PgTorrentStoreOptions options_for(const std::string& dsn) {
  PgTorrentStoreOptions o;
  o.dsn = dsn;
  o.max_batch_delay = 20ms;
  o.retry_backoff_min = 10ms;
  o.retry_backoff_max = 200ms;
  return o;
}

// Submits and waits for the ack (bounded).
void submit_and_wait(TorrentStore& store, std::vector<TorrentRecord> records) {
  std::promise<void> acked;
  auto f = acked.get_future();
  ASSERT_EQ(store.submit(std::move(records), [&] { acked.set_value(); }), SubmitResult::kAccepted);
  ASSERT_EQ(f.wait_for(kWaitLimit), std::future_status::ready);
}

std::int64_t count(const std::string& dsn, const std::string& sql) {
  pqxx::connection c(dsn);
  pqxx::read_transaction tx(c);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

std::string hex_id(int n) { return to_hex(id_of(n).view()); }

pqxx::row torrent_row(const std::string& dsn, int n, const std::string& columns) {
  pqxx::connection c(dsn);
  pqxx::read_transaction tx(c);
  return tx.exec1("SELECT " + columns + " FROM torrents WHERE id = decode('" + hex_id(n) +
                  "', 'hex')");
}

std::string bytea_of(const pqxx::field& f) {
  const pqxx::binarystring b(f);
  return b.str();
}

TEST(PgTorrentStore, RoundTripsRecordsWithTheirFilesAndAttributes) {
  Migrated m;
  PgTorrentStore store(options_for(m.db.dsn()));

  TorrentRecord multi = record(1, "Show.S01.1080p");
  multi.files = {{{"Season 1", "Show.S01E01.mkv"}, 1'000'000'000},
                 {{"Season 1", "Show.S01E02.MKV"}, 2'000'000'000},
                 {{"Subs", "en.srt"}, 3000},
                 {{"notes"}, 1}};
  multi.file_count = 4;
  multi.total_size = 3'000'003'001;
  multi.piece_length = 4 << 20;
  multi.is_private = true;
  multi.content_type = 2;
  multi.season = 1;
  multi.resolution = 1080;
  multi.title = "Show";
  multi.source = Source::kDhtAnnounce;

  TorrentRecord v2only = record(2, "v2.only.iso");
  std::array<std::uint8_t, 32> v2bytes{};
  v2bytes.fill(0x5A);
  v2only.hashes = {};
  v2only.hashes.v2 = InfoHashV2(v2bytes);

  TorrentRecord hybrid = record(3, "hybrid.flac");
  hybrid.hashes.v2 = InfoHashV2(v2bytes);
  hybrid.year = 1999;

  submit_and_wait(store, {multi, v2only, hybrid});

  const auto r = torrent_row(m.db.dsn(), 1,
                             "name, name_raw IS NULL, total_size, file_count, piece_length,"
                             " private, source, content_type, season, episode IS NULL,"
                             " resolution, title, array_to_string(extensions, ','), v2 IS NULL,"
                             " extract(epoch from first_seen)::bigint,"
                             " extract(epoch from last_seen)::bigint, year IS NULL");
  EXPECT_EQ(r[0].as<std::string>(), "Show.S01.1080p");
  EXPECT_TRUE(r[1].as<bool>());
  EXPECT_EQ(r[2].as<std::int64_t>(), 3'000'003'001);
  EXPECT_EQ(r[3].as<int>(), 4);
  EXPECT_EQ(r[4].as<int>(), 4 << 20);
  EXPECT_TRUE(r[5].as<bool>());
  EXPECT_EQ(r[6].as<int>(), static_cast<int>(Source::kDhtAnnounce));
  EXPECT_EQ(r[7].as<int>(), 2);
  EXPECT_EQ(r[8].as<int>(), 1);
  EXPECT_TRUE(r[9].as<bool>());
  EXPECT_EQ(r[10].as<int>(), 1080);
  EXPECT_EQ(r[11].as<std::string>(), "Show");
  EXPECT_EQ(r[12].as<std::string>(), "mkv,srt");
  EXPECT_TRUE(r[13].as<bool>());
  EXPECT_EQ(r[14].as<std::int64_t>(), 1'700'000'000);
  EXPECT_EQ(r[15].as<std::int64_t>(), 1'700'000'000);
  EXPECT_TRUE(r[16].as<bool>());

  {
    pqxx::connection c(m.db.dsn());
    pqxx::read_transaction tx(c);
    const auto f = tx.exec1("SELECT files FROM torrent_files WHERE torrent_id = decode('" +
                            hex_id(1) + "', 'hex')");
    auto files = decode_file_list(bytea_of(f[0]));
    ASSERT_TRUE(files.ok());
    EXPECT_EQ(*files, multi.files);
    // The file-extension filter.
    EXPECT_EQ(
        tx.exec1("SELECT count(*) FROM torrents WHERE extensions && ARRAY['srt']")[0].as<int>(), 1);
  }

  // v2-only: keyed by the truncated v2 hash.
  {
    pqxx::connection c(m.db.dsn());
    pqxx::read_transaction tx(c);
    const auto v = tx.exec1("SELECT v2, name, file_count FROM torrents WHERE id = decode('" +
                            to_hex(truncate(*v2only.hashes.v2).view()) + "', 'hex')");
    EXPECT_EQ(bytea_of(v[0]), std::string(v2only.hashes.v2->view()));
    EXPECT_EQ(v[1].as<std::string>(), "v2.only.iso");
    EXPECT_EQ(v[2].as<int>(), 1);
  }
  const auto h = torrent_row(m.db.dsn(), 3, "v2, year, array_to_string(extensions, ',')");
  EXPECT_EQ(bytea_of(h[0]), std::string(hybrid.hashes.v2->view()));
  EXPECT_EQ(h[1].as<int>(), 1999);
  EXPECT_EQ(h[2].as<std::string>(), "flac");
  // Single-file torrents have no file-list row.
  EXPECT_EQ(count(m.db.dsn(), "SELECT count(*) FROM torrent_files"), 1);
}

TEST(PgTorrentStore, ReplayingAnInfohashOnlyMovesItsSeenTimes) {
  Migrated m;
  PgTorrentStore store(options_for(m.db.dsn()));
  auto first = record(7, "Original.Name");
  first.seen_at = at_second(1'000);
  submit_and_wait(store, {first});

  auto replay = record(7, "Another.Name");
  replay.total_size = 1;
  replay.content_type = 5;
  replay.seen_at = at_second(2'000);
  submit_and_wait(store, {replay});
  auto older = record(7, "Third.Name");
  older.seen_at = at_second(1'500);
  submit_and_wait(store, {older});

  const auto r = torrent_row(m.db.dsn(), 7,
                             "name, total_size, content_type, extract(epoch from first_seen)::int,"
                             " extract(epoch from last_seen)::int");
  EXPECT_EQ(r[0].as<std::string>(), "Original.Name");
  EXPECT_EQ(r[1].as<int>(), first.total_size);
  EXPECT_EQ(r[2].as<int>(), 0);
  EXPECT_EQ(r[3].as<int>(), 1'000);
  EXPECT_EQ(r[4].as<int>(), 2'000);
  EXPECT_EQ(count(m.db.dsn(), "SELECT count(*) FROM torrents"), 1);
}

TEST(PgTorrentStore, MergesTheSameInfohashTwiceInOneBatch) {
  Migrated m;
  auto o = options_for(m.db.dsn());
  o.max_batch_delay = 1h;  // one batch: flushed by flush()
  PgTorrentStore store(o);
  auto a = record(9);
  a.seen_at = at_second(500);
  auto b = record(9);
  b.seen_at = at_second(100);
  auto c = record(9);
  c.seen_at = at_second(900);
  ASSERT_EQ(store.submit({a, b}, {}), SubmitResult::kAccepted);
  ASSERT_EQ(store.submit({c}, {}), SubmitResult::kAccepted);
  store.flush();
  const auto r = torrent_row(
      m.db.dsn(), 9, "extract(epoch from first_seen)::int, extract(epoch from last_seen)::int");
  EXPECT_EQ(r[0].as<int>(), 100);
  EXPECT_EQ(r[1].as<int>(), 900);
  EXPECT_EQ(store.stats().batches, 1u);
}

TEST(PgTorrentStore, AcknowledgesOnlyWhatAnotherConnectionCanSee) {
  Migrated m;
  PgTorrentStore store(options_for(m.db.dsn()));
  constexpr int kSubmissions = 20;
  std::atomic<int> visible_at_ack{0};
  std::atomic<int> acks{0};
  std::promise<void> all;
  pqxx::connection observer(m.db.dsn());
  std::mutex observer_mu;  // acks run on any of the writer threads
  for (int i = 0; i < kSubmissions; ++i) {
    std::vector<TorrentRecord> recs;
    for (int k = 0; k < 50; ++k) recs.push_back(record(i * 100 + k));
    ASSERT_EQ(store.submit(std::move(recs),
                           [&, i] {
                             std::lock_guard lk(observer_mu);
                             pqxx::read_transaction tx(observer);
                             const auto n =
                                 tx.exec1("SELECT count(*) FROM torrents WHERE id IN (decode('" +
                                          hex_id(i * 100) + "', 'hex'), decode('" +
                                          hex_id(i * 100 + 49) + "', 'hex'))")[0]
                                     .as<int>();
                             if (n == 2) ++visible_at_ack;
                             if (++acks == kSubmissions) all.set_value();
                           }),
              SubmitResult::kAccepted);
  }
  ASSERT_EQ(all.get_future().wait_for(kWaitLimit), std::future_status::ready);
  EXPECT_EQ(visible_at_ack.load(), kSubmissions);
}

TEST(PgTorrentStore, StoresBadNamesAndPathsByTheRuleWithoutFailingTheBatch) {
  Migrated m;
  PgTorrentStore store(options_for(m.db.dsn()));
  const std::vector<std::string> names = {
      "caf\xE9 latin1"s,
      "nul\0inside"s,
      "tab\tnew\nline\x01\x7f"s,
      "gpj\xE2\x80\xAE"
      "exe.scr"s,
      "<script>alert('x')</script> & \"quotes\" \\back\\slash"s,
      std::string(10'000, 'n'),
      "\xF0\x9F\x98"s,  // truncated emoji
      "plain ascii",
      "\\N",  // COPY's NULL marker as a name
      "",     // empty
  };
  std::vector<TorrentRecord> recs;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto r = record(static_cast<int>(i));
    r.name = names[i];
    r.files = {{{names[i],
                 "f\0"
                 "\xff.mkv"s},
                1},
               {{"ok.txt"}, 2}};
    r.file_count = 2;
    r.title = names[i];
    recs.push_back(std::move(r));
  }
  submit_and_wait(store, recs);
  ASSERT_EQ(count(m.db.dsn(), "SELECT count(*) FROM torrents"), static_cast<int>(names.size()));
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto r = torrent_row(m.db.dsn(), static_cast<int>(i), "name, name_raw, title");
    const auto expect = sanitize_text(names[i]);
    EXPECT_EQ(r[0].as<std::string>(), expect.text) << i;
    if (expect.changed) {
      EXPECT_EQ(bytea_of(r[1]), names[i]) << i;
    } else {
      EXPECT_TRUE(r[1].is_null()) << i;
    }
    EXPECT_EQ(r[2].is_null(), names[i].empty()) << i;
    pqxx::connection c(m.db.dsn());
    pqxx::read_transaction tx(c);
    auto files = decode_file_list(
        bytea_of(tx.exec1("SELECT files FROM torrent_files WHERE torrent_id = decode('" +
                          hex_id(static_cast<int>(i)) + "', 'hex')")[0]));
    ASSERT_TRUE(files.ok());
    EXPECT_EQ(*files, recs[i].files) << i;  // raw bytes kept
  }
  const auto rtl = torrent_row(m.db.dsn(), 3, "name");
  EXPECT_EQ(rtl[0].as<std::string>(),
            "gpj\xEF\xBF\xBD"
            "exe.scr");
  const auto html = torrent_row(m.db.dsn(), 4, "name, name_raw IS NULL");
  EXPECT_EQ(html[0].as<std::string>(), names[4]);
  EXPECT_TRUE(html[1].as<bool>());
}

TEST(PgTorrentStore, NeverStoresABlockedInfohash) {
  Migrated m;
  PgTorrentStore store(options_for(m.db.dsn()));
  submit_and_wait(store, {record(1), record(2)});
  store.block(id_of(2), "banned: \xff reason");  // stored: deleted
  store.block(id_of(3), "banned");               // not yet seen
  submit_and_wait(store, {record(2), record(3), record(4)});
  EXPECT_EQ(count(m.db.dsn(), "SELECT count(*) FROM torrents"), 2);  // 1 and 4
  EXPECT_EQ(count(m.db.dsn(), "SELECT count(*) FROM torrents WHERE id IN (decode('" + hex_id(2) +
                                  "', 'hex'), decode('" + hex_id(3) + "', 'hex'))"),
            0);
  EXPECT_EQ(count(m.db.dsn(), "SELECT count(*) FROM blocked_infohashes"), 2);
}

TEST(PgTorrentStore, TriageAnswersNewKnownOrBlockedInOrder) {
  Migrated m;
  PgTorrentStore store(options_for(m.db.dsn()));
  submit_and_wait(store, {record(1), record(2)});
  store.block(id_of(2), "x");
  store.block(id_of(5), "y");
  const std::vector<InfoHashV1> ids = {id_of(5), id_of(1), id_of(3), id_of(2), id_of(1)};
  EXPECT_EQ(store.triage(ids), (std::vector<Triage>{Triage::kBlocked, Triage::kKnown, Triage::kNew,
                                                    Triage::kBlocked, Triage::kKnown}));
  EXPECT_TRUE(store.triage({}).empty());
}

TEST(PgTorrentStore, RemoveDeletesTheTorrentAndItsFiles) {
  Migrated m;
  PgTorrentStore store(options_for(m.db.dsn()));
  auto r = record(1);
  r.files = {{{"a.mkv"}, 1}, {{"b.mkv"}, 2}};
  submit_and_wait(store, {r, record(2)});
  store.remove(id_of(1));
  EXPECT_EQ(count(m.db.dsn(), "SELECT count(*) FROM torrents"), 1);
  EXPECT_EQ(count(m.db.dsn(), "SELECT count(*) FROM torrent_files"), 0);
  EXPECT_EQ(store.triage(std::vector<InfoHashV1>{id_of(1)}), std::vector<Triage>{Triage::kNew});
}

TEST(PgTorrentStore, KeepsRawInfoDictsByPolicy) {
  for (auto policy : {RawInfoPolicy::kPinned, RawInfoPolicy::kAll, RawInfoPolicy::kNone}) {
    Migrated m;
    auto o = options_for(m.db.dsn());
    o.raw_info_policy = policy;
    PgTorrentStore store(o);
    auto plain = record(1);
    plain.raw_info = "d4:name1:ae"s;
    auto pinned = record(2);
    pinned.raw_info = "d4:name1:b\0e"s;
    pinned.pinned = true;
    submit_and_wait(store, {plain, pinned});
    const auto stored = count(m.db.dsn(), "SELECT count(*) FROM torrent_info_dicts");
    EXPECT_EQ(stored, policy == RawInfoPolicy::kAll      ? 2
                      : policy == RawInfoPolicy::kPinned ? 1
                                                         : 0)
        << to_string(policy);
    if (policy != RawInfoPolicy::kNone) {
      pqxx::connection c(m.db.dsn());
      pqxx::read_transaction tx(c);
      EXPECT_EQ(bytea_of(tx.exec1("SELECT info FROM torrent_info_dicts WHERE torrent_id = "
                                  "decode('" +
                                  hex_id(2) + "', 'hex')")[0]),
                *pinned.raw_info);
    }
  }
}

TEST(PgTorrentStore, FlushesASingleRecordOnceTheBatchDelayHasPassed) {
  Migrated m;
  auto o = options_for(m.db.dsn());
  o.max_batch_records = 1000;
  o.max_batch_delay = 300ms;
  PgTorrentStore store(o);
  std::promise<void> acked;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(store.submit({record(1)}, [&] { acked.set_value(); }), SubmitResult::kAccepted);
  ASSERT_EQ(acked.get_future().wait_for(kWaitLimit), std::future_status::ready);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, o.max_batch_delay);       // it waited for company...
  EXPECT_LT(elapsed, o.max_batch_delay + 5s);  // ...but not much longer
  EXPECT_EQ(store.stats().batches, 1u);
}

TEST(PgTorrentStore, WritesAFullBatchWithoutWaitingForTheDelay) {
  Migrated m;
  auto o = options_for(m.db.dsn());
  o.max_batch_records = 10;
  o.max_batch_delay = 1h;
  PgTorrentStore store(o);
  std::atomic<int> acks{0};
  std::promise<void> twenty;
  for (int i = 0; i < 25; ++i) {
    ASSERT_EQ(store.submit({record(i)},
                           [&] {
                             if (++acks == 20) twenty.set_value();
                           }),
              SubmitResult::kAccepted);
  }
  ASSERT_EQ(twenty.get_future().wait_for(kWaitLimit), std::future_status::ready);
  EXPECT_EQ(store.stats().batches, 2u);
  store.flush();  // the remaining 5 do not wait an hour
  EXPECT_EQ(acks.load(), 25);
}

TEST(PgTorrentStore, BoundedQueueRefusesOrBlocksWhenFull) {
  // An unreachable database: the writer keeps retrying, so the queue fills.
  TestDatabase db;  // exists, but has no tables: every batch fails
  auto o = options_for(db.dsn());
  o.queue_capacity = 10;
  o.max_batch_records = 5;
  o.writer_threads = 1;  // one batch held by the writer, the rest queued
  o.close_timeout = 0ms;
  PgTorrentStore store(o);
  // A first batch, which the writer holds while it retries.
  std::vector<TorrentRecord> first;
  for (int i = 0; i < 5; ++i) first.push_back(record(1000 + i));
  ASSERT_EQ(store.submit(std::move(first), {}), SubmitResult::kAccepted);
  const auto limit = std::chrono::steady_clock::now() + kWaitLimit;
  while (store.stats().retries == 0 && std::chrono::steady_clock::now() < limit)
    std::this_thread::yield();
  ASSERT_GT(store.stats().retries, 0u);

  int accepted = 0;
  for (int i = 0; i < 100; ++i) {
    std::vector<TorrentRecord> one{record(i)};
    const auto r = store.try_submit(std::move(one), {});
    if (r == SubmitResult::kFull) break;
    ASSERT_EQ(r, SubmitResult::kAccepted);
    ++accepted;
  }
  EXPECT_EQ(accepted, 10);
  std::vector<TorrentRecord> more{record(500)};
  EXPECT_EQ(store.try_submit(std::move(more), {}), SubmitResult::kFull);
  EXPECT_EQ(more.size(), 1u);  // left untouched

  // A blocking submit waits until close() releases it, unaccepted.
  auto blocked = std::async(std::launch::async, [&] { return store.submit({record(501)}, {}); });
  EXPECT_EQ(blocked.wait_for(50ms), std::future_status::timeout);
  store.close();
  ASSERT_EQ(blocked.wait_for(kWaitLimit), std::future_status::ready);
  EXPECT_EQ(blocked.get(), SubmitResult::kClosed);
  EXPECT_EQ(store.stats().batches, 0u);
}

TEST(PgTorrentStore, BoundsTheQueueByEncodedBytesToo) {
  TestDatabase db;  // no tables: every batch fails, nothing leaves the queue
  auto o = options_for(db.dsn());
  o.queue_capacity = 1000;
  o.queue_capacity_bytes = 64 * 1024;
  o.raw_info_policy = RawInfoPolicy::kAll;
  o.writer_threads = 1;
  o.max_batch_records = 1;
  o.max_batch_delay = 1h;
  o.close_timeout = 0ms;
  PgTorrentStore store(o);
  int accepted = 0;
  for (int i = 0; i < 100; ++i) {
    auto r = record(i);
    r.raw_info = std::string(20 * 1024, 'p');  // 40 KiB as hex
    std::vector<TorrentRecord> one{std::move(r)};
    if (store.try_submit(std::move(one), {}) == SubmitResult::kFull) break;
    ++accepted;
  }
  // 64 KiB holds one or two such rows, plus the one the writer holds.
  EXPECT_GE(accepted, 2);
  EXPECT_LE(accepted, 4);
}

TEST(PgTorrentStore, ConcurrentWritersReplayingTheSameInfohashesStoreEachOnce) {
  Migrated m;
  auto o = options_for(m.db.dsn());
  o.writer_threads = 3;
  o.max_batch_records = 150;
  PgTorrentStore store(o);
  constexpr int kIds = 2000;
  std::atomic<int> acks{0};
  // Each id three times, in different submissions and seen times, so that
  // concurrent batches upsert overlapping ids.
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kIds; i += 50) {
      std::vector<TorrentRecord> recs;
      for (int k = i; k < i + 50; ++k) {
        auto r = record((k * 7 + round * 13) % kIds);
        r.seen_at = at_second(1'000 + round);
        recs.push_back(std::move(r));
      }
      ASSERT_EQ(store.submit(std::move(recs), [&] { ++acks; }), SubmitResult::kAccepted);
    }
  }
  store.flush();
  EXPECT_EQ(acks.load(), 3 * kIds / 50);
  EXPECT_EQ(count(m.db.dsn(), "SELECT count(*) FROM torrents"), kIds);
  EXPECT_EQ(count(m.db.dsn(),
                  "SELECT count(*) FROM torrents WHERE"
                  " extract(epoch from last_seen) = 1002"
                  " AND extract(epoch from first_seen) = 1000"),
            kIds);
  EXPECT_EQ(store.stats().retries, 0u);  // no deadlocks between the writers
}

TEST(PgTorrentStore, SurvivesItsConnectionBeingKilledWithoutLossOrDuplicates) {
  Migrated m;
  auto o = options_for(m.db.dsn());
  o.max_batch_records = 200;
  PgTorrentStore store(o);
  constexpr int kRecords = 5000;
  std::atomic<int> acked{0};
  std::promise<void> done;
  pqxx::connection killer(m.db.dsn());
  for (int i = 0; i < kRecords; i += 50) {
    std::vector<TorrentRecord> recs;
    for (int k = i; k < i + 50; ++k) recs.push_back(record(k));
    ASSERT_EQ(store.submit(std::move(recs),
                           [&] {
                             if (acked.fetch_add(50) + 50 == kRecords) done.set_value();
                           }),
              SubmitResult::kAccepted);
    if (i % 1000 == 0) {
      pqxx::nontransaction(killer).exec(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
          " WHERE application_name = 'magnetar-store-writer' AND datname = current_database()");
    }
  }
  ASSERT_EQ(done.get_future().wait_for(kWaitLimit), std::future_status::ready);
  EXPECT_EQ(count(m.db.dsn(), "SELECT count(*) FROM torrents"), kRecords);
  EXPECT_EQ(count(m.db.dsn(), "SELECT count(DISTINCT id) FROM torrents"), kRecords);
}

}  // namespace
}  // namespace magnetar::indexer::store
