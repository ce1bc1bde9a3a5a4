// NodeState over a real RocksDB in a temporary directory: the seen set's
// fetch/backoff logic with a fake clock, the outbox's order, bounds and
// removal, persistence across reopen, the LOCK error, and kill -9 durability
// (a child process appends and kills itself).
#include "crawler/state/node_state.hpp"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "crawler/state/state_error.hpp"
#include "crawler/state/state_errors.hpp"
#include "tests/crawler/state/state_test_items.hpp"
#include "tests/support/temp_dir.hpp"

extern char** environ;

namespace magnetar::crawler::state {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::kStateItemTime;
using testing::state_item;

const TimePoint kT0{seconds(1'700'000'000)};

InfoHashV1 id(int i) {
  std::array<std::uint8_t, 20> b{};
  b[0] = static_cast<std::uint8_t>(i >> 8);
  b[1] = static_cast<std::uint8_t>(i);
  b[19] = 0x5a;
  return InfoHashV1(b);
}

class NodeStateTest : public ::testing::Test {
 protected:
  NodeStateOptions options() const {
    NodeStateOptions o;
    o.data_dir = dir_.path();
    return o;
  }
  std::unique_ptr<NodeState> open(NodeStateOptions o) { return std::make_unique<NodeState>(o); }
  std::unique_ptr<NodeState> open() { return open(options()); }

  testing::TempDir dir_{"magnetar-state"};
};

// --- seen set --------------------------------------------------------------

TEST_F(NodeStateTest, UnseenInfohashesShouldBeFetchedAndFetchedOnesNeverAgain) {
  auto node = open();
  auto& seen = node->seen();
  EXPECT_TRUE(seen.should_fetch(id(1), kT0));
  EXPECT_FALSE(seen.get(id(1)).has_value());
  seen.mark_fetched(id(1), kT0);
  EXPECT_FALSE(seen.should_fetch(id(1), kT0));
  EXPECT_FALSE(seen.should_fetch(id(1), kT0 + hours(24 * 365 * 10)));
  seen.record_attempt(id(2), FetchOutcome::kSkipped, kT0);  // the hub has it
  EXPECT_FALSE(seen.should_fetch(id(2), kT0 + hours(1000)));
  EXPECT_TRUE(seen.should_fetch(id(3), kT0));
}

TEST_F(NodeStateTest, FailuresAreRetriedWithExponentialBackoffThenGivenUp) {
  auto node = open();
  auto& seen = node->seen();
  const RetryPolicy policy;
  TimePoint now = kT0;
  for (std::uint32_t attempt = 1; attempt < policy.max_attempts; ++attempt) {
    ASSERT_TRUE(seen.should_fetch(id(7), now)) << attempt;
    seen.record_attempt(id(7), FetchOutcome::kNoPeers, now);
    const auto delay = policy.delay_after(attempt);
    EXPECT_EQ(delay, kFirstRetryDelay * (1 << (attempt - 1)));
    EXPECT_FALSE(seen.should_fetch(id(7), now + delay - seconds(1))) << attempt;
    now += delay;
  }
  ASSERT_TRUE(seen.should_fetch(id(7), now));
  seen.record_attempt(id(7), FetchOutcome::kTimeout, now);
  EXPECT_FALSE(seen.should_fetch(id(7), now + hours(24 * 365)));
  const auto r = seen.get(id(7));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->attempts, policy.max_attempts);
  EXPECT_EQ(r->last_outcome, FetchOutcome::kTimeout);
  EXPECT_EQ(r->first_seen, kT0);
}

TEST_F(NodeStateTest, ASuccessAfterFailuresEndsRetrying) {
  auto node = open();
  auto& seen = node->seen();
  seen.record_attempt(id(4), FetchOutcome::kConnectFailed, kT0);
  seen.record_attempt(id(4), FetchOutcome::kOk, kT0 + hours(1));
  EXPECT_FALSE(seen.should_fetch(id(4), kT0 + hours(100)));
  EXPECT_EQ(seen.get(id(4))->attempts, 2u);
}

TEST_F(NodeStateTest, BatchLookupsAgreeWithSingleLookupsWhateverTheCacheSize) {
  for (std::size_t cache : {std::size_t{2}, kDefaultSeenCacheEntries}) {
    testing::TempDir dir("magnetar-state-batch");
    NodeStateOptions o;
    o.data_dir = dir.path();
    o.seen_cache_entries = cache;
    auto node = open(o);
    auto& seen = node->seen();
    std::vector<InfoHashV1> ids;
    for (int i = 0; i < 300; ++i) ids.push_back(id(i));
    std::vector<InfoHashV1> fetched, failed;
    for (int i = 0; i < 300; i += 3) fetched.push_back(id(i));
    std::vector<SeenAttempt> failures;
    for (int i = 1; i < 300; i += 3) failures.push_back({id(i), FetchOutcome::kBadMetadata});
    seen.mark_fetched(fetched, kT0);
    seen.record_attempts(failures, kT0);

    for (auto when : {kT0, kT0 + kFirstRetryDelay}) {
      const auto batch = seen.should_fetch(ids, when);
      ASSERT_EQ(batch.size(), ids.size());
      for (int i = 0; i < 300; ++i) {
        const bool expected = i % 3 == 2 || (i % 3 == 1 && when > kT0);
        EXPECT_EQ(batch[i], expected) << "cache " << cache << " id " << i;
        EXPECT_EQ(seen.should_fetch(ids[i], when), expected) << "cache " << cache << " id " << i;
      }
    }
  }
}

// Prints candidates per second; asserts the answers. The crawler needs
// thousands per second: a cold lookup (RocksDB, Bloom filter) and a cached
// one are both measured.
TEST_F(NodeStateTest, BatchLookupsKeepUpWithACrawlersCandidateRate) {
  constexpr int kIds = 100'000;
  constexpr int kBatch = 1000;
  std::vector<InfoHashV1> ids;
  for (int i = 0; i < kIds; ++i) {
    std::array<std::uint8_t, 20> b{};
    for (int k = 0; k < 4; ++k) b[k * 5] = static_cast<std::uint8_t>((i * 2654435761u) >> (8 * k));
    b[19] = static_cast<std::uint8_t>(i);
    ids.push_back(InfoHashV1(b));
  }
  auto o = options();
  o.seen_cache_entries = 2;  // no help from the cache in the first pass
  {
    auto node = open(o);
    const auto t0 = std::chrono::steady_clock::now();
    for (int at = 0; at < kIds; at += 2 * kBatch) {
      node->seen().mark_fetched(std::span(ids).subspan(at, kBatch), kT0);
    }
    const auto t1 = std::chrono::steady_clock::now();
    std::size_t fetch = 0;
    for (int at = 0; at < kIds; at += kBatch) {
      for (bool f : node->seen().should_fetch(std::span(ids).subspan(at, kBatch), kT0)) fetch += f;
    }
    const auto t2 = std::chrono::steady_clock::now();
    EXPECT_EQ(fetch, static_cast<std::size_t>(kIds / 2));
    const auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
    std::printf("seen set: %.0f marks/s, %.0f uncached lookups/s\n", kIds / 2 / secs(t1 - t0),
                kIds / secs(t2 - t1));
  }
  o.seen_cache_entries = kDefaultSeenCacheEntries;
  auto node = open(o);
  std::size_t fetch = 0;
  for (int pass = 0; pass < 2; ++pass) {
    const auto t0 = std::chrono::steady_clock::now();
    fetch = 0;
    for (int at = 0; at < kIds; at += kBatch) {
      for (bool f : node->seen().should_fetch(std::span(ids).subspan(at, kBatch), kT0)) fetch += f;
    }
    const auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("seen set after reopen, pass %d: %.0f lookups/s\n", pass + 1, kIds / secs);
    EXPECT_EQ(fetch, static_cast<std::size_t>(kIds / 2));
  }
}

TEST_F(NodeStateTest, TheSameIdTwiceInOneBatchCountsTwoAttempts) {
  auto node = open();
  const std::vector<SeenAttempt> a = {{id(1), FetchOutcome::kNoPeers},
                                      {id(1), FetchOutcome::kTimeout}};
  node->seen().record_attempts(a, kT0);
  const auto r = node->seen().get(id(1));
  EXPECT_EQ(r->attempts, 2u);
  EXPECT_EQ(r->last_outcome, FetchOutcome::kTimeout);
  EXPECT_EQ(r->next_retry, kT0 + kFirstRetryDelay * 2);
}

TEST_F(NodeStateTest, NoteSeenRecordsSightingsWithoutAttempts) {
  auto node = open();
  const std::vector<InfoHashV1> ids = {id(1), id(2)};
  node->seen().note_seen(ids, kT0);
  node->seen().note_seen(std::span(ids).first(1), kT0 + minutes(3));
  const auto r1 = node->seen().get(id(1));
  ASSERT_TRUE(r1.has_value());
  EXPECT_EQ(r1->first_seen, kT0);
  EXPECT_EQ(r1->last_seen, kT0 + minutes(3));
  EXPECT_EQ(r1->attempts, 0u);
  EXPECT_TRUE(node->seen().should_fetch(id(1), kT0));
  EXPECT_EQ(node->seen().get(id(2))->last_seen, kT0);
}

TEST_F(NodeStateTest, TheSeenSetSurvivesReopening) {
  {
    auto node = open();
    node->seen().mark_fetched(id(1), kT0);
    node->seen().record_attempt(id(2), FetchOutcome::kNoPeers, kT0);
  }
  auto node = open();
  EXPECT_FALSE(node->seen().should_fetch(id(1), kT0 + hours(1000)));
  EXPECT_FALSE(node->seen().should_fetch(id(2), kT0));
  EXPECT_TRUE(node->seen().should_fetch(id(2), kT0 + kFirstRetryDelay));
  EXPECT_EQ(node->seen().get(id(2))->last_outcome, FetchOutcome::kNoPeers);
}

// --- outbox -----------------------------------------------------------------

std::vector<std::uint64_t> seqs_of(const std::vector<OutboxItem>& items) {
  std::vector<std::uint64_t> out;
  for (const auto& i : items) out.push_back(i.seq);
  return out;
}

TEST_F(NodeStateTest, OutboxKeepsItemsInSequenceOrderWithTheirFields) {
  auto node = open();
  auto& outbox = node->outbox();
  EXPECT_EQ(outbox.size(), 0u);
  EXPECT_EQ(outbox.next_seq(), 1u);
  for (int i = 0; i < 5; ++i) {
    auto seq = outbox.append("dict-" + std::to_string(i), Source::kDhtAnnounce, kT0 + seconds(i));
    ASSERT_TRUE(seq.ok());
    EXPECT_EQ(*seq, static_cast<std::uint64_t>(i + 1));
  }
  EXPECT_EQ(outbox.size(), 5u);
  EXPECT_EQ(outbox.bytes(), 5 * (6 + kOutboxItemOverhead));
  const auto all = outbox.peek(0, 100);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[2], (OutboxItem{3, "dict-2", Source::kDhtAnnounce, kT0 + seconds(2)}));
  EXPECT_EQ(seqs_of(outbox.peek(3, 2)), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(seqs_of(outbox.peek(6, 10)), (std::vector<std::uint64_t>{}));
  // A byte budget stops early, but never returns nothing when items exist.
  EXPECT_EQ(seqs_of(outbox.peek(1, 10, 13)), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(seqs_of(outbox.peek(1, 10, 1)), (std::vector<std::uint64_t>{1}));
}

TEST_F(NodeStateTest, OutboxRemovesAnySetOfItemsAndEverythingThroughASeq) {
  auto node = open();
  auto& outbox = node->outbox();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(outbox.append("x", Source::kDhtSample, kT0).ok());
  const std::vector<std::uint64_t> acked = {2, 5, 5, 9, 42};  // a repeat and an unknown seq
  outbox.remove(acked);
  EXPECT_EQ(seqs_of(outbox.peek(0, 100)), (std::vector<std::uint64_t>{1, 3, 4, 6, 7, 8, 10}));
  EXPECT_EQ(outbox.size(), 7u);
  EXPECT_EQ(outbox.bytes(), 7 * (1 + kOutboxItemOverhead));
  outbox.remove_through(7);
  EXPECT_EQ(seqs_of(outbox.peek(0, 100)), (std::vector<std::uint64_t>{8, 10}));
  EXPECT_EQ(outbox.first_seq(), 8u);
  EXPECT_EQ(outbox.last_seq(), 10u);
  outbox.remove_through(100);
  EXPECT_EQ(outbox.size(), 0u);
  EXPECT_EQ(outbox.bytes(), 0u);
  EXPECT_FALSE(outbox.first_seq().has_value());
}

TEST_F(NodeStateTest, OutboxSequenceNumbersNeverRepeatEvenAfterDrainingAndReopening) {
  {
    auto node = open();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(node->outbox().append("a", Source::kPin, kT0).ok());
    node->outbox().remove_through(3);
  }
  auto node = open();
  EXPECT_EQ(node->outbox().size(), 0u);
  auto seq = node->outbox().append("b", Source::kPin, kT0);
  ASSERT_TRUE(seq.ok());
  EXPECT_EQ(*seq, 4u);
}

TEST_F(NodeStateTest, OutboxContentAndCountsSurviveReopening) {
  {
    auto node = open();
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(
          node->outbox()
              .append(std::string(100 * (i + 1), 'd'), Source::kDhtGetPeers, kT0 + seconds(i))
              .ok());
    }
    const std::vector<std::uint64_t> one = {2};
    node->outbox().remove(one);
  }
  auto node = open();
  EXPECT_EQ(node->outbox().size(), 3u);
  EXPECT_EQ(node->outbox().bytes(), 100 + 300 + 400 + 3 * kOutboxItemOverhead);
  const auto items = node->outbox().peek(0, 10);
  ASSERT_EQ(seqs_of(items), (std::vector<std::uint64_t>{1, 3, 4}));
  EXPECT_EQ(items[1].info_dict, std::string(300, 'd'));
  EXPECT_EQ(items[1].source, Source::kDhtGetPeers);
  EXPECT_EQ(items[1].seen_at, kT0 + seconds(2));
  EXPECT_EQ(node->outbox().next_seq(), 5u);
}

TEST_F(NodeStateTest, AFullOutboxRefusesNewItemsUntilThereIsRoom) {
  auto o = options();
  o.outbox.max_items = 3;
  auto node = open(o);
  auto& outbox = node->outbox();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(outbox.append("x", Source::kDhtSample, kT0).ok());
  auto refused = outbox.append("y", Source::kDhtSample, kT0);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, make_error_code(Errc::kOutboxFull));
  EXPECT_FALSE(outbox.has_room(1));
  EXPECT_EQ(outbox.size(), 3u);  // nothing dropped, nothing added
  EXPECT_FALSE(outbox.wait_for_room(1, std::chrono::milliseconds(1)));

  std::thread acker([&] {
    const std::vector<std::uint64_t> first = {1};
    outbox.remove(first);
  });
  EXPECT_TRUE(outbox.wait_for_room(1, std::chrono::seconds(30)));
  acker.join();
  auto seq = outbox.append("y", Source::kDhtSample, kT0);
  ASSERT_TRUE(seq.ok());
  EXPECT_EQ(*seq, 4u);
}

TEST_F(NodeStateTest, TheOutboxByteLimitCountsInfoDictsAndOverhead) {
  auto o = options();
  o.outbox.max_bytes = 2 * (100 + kOutboxItemOverhead);
  auto node = open(o);
  auto& outbox = node->outbox();
  ASSERT_TRUE(outbox.append(std::string(100, 'a'), Source::kDhtSample, kT0).ok());
  ASSERT_TRUE(outbox.append(std::string(100, 'b'), Source::kDhtSample, kT0).ok());
  EXPECT_EQ(outbox.append("c", Source::kDhtSample, kT0).error().code,
            make_error_code(Errc::kOutboxFull));
  EXPECT_EQ(outbox.append(std::string(1000, 'd'), Source::kDhtSample, kT0).error().code,
            make_error_code(Errc::kItemTooLarge));
}

TEST_F(NodeStateTest, AppendsWakeTheListener) {
  auto node = open();
  std::atomic<int> calls{0};
  node->outbox().set_append_listener([&] { ++calls; });
  ASSERT_TRUE(node->outbox().append("a", Source::kDhtSample, kT0).ok());
  ASSERT_TRUE(node->outbox().append("b", Source::kDhtSample, kT0).ok());
  node->outbox().set_append_listener({});
  ASSERT_TRUE(node->outbox().append("c", Source::kDhtSample, kT0).ok());
  EXPECT_EQ(calls.load(), 2);
}

TEST_F(NodeStateTest, CommitFetchQueuesTheItemAndMarksTheInfohashFetchedTogether) {
  auto o = options();
  o.outbox.max_items = 1;
  auto node = open(o);
  const auto a = state_item(1);
  const auto b = state_item(2);
  auto seq = node->commit_fetch(a.id, a.info_dict, Source::kDhtSample, kT0);
  ASSERT_TRUE(seq.ok());
  EXPECT_FALSE(node->seen().should_fetch(a.id, kT0));
  EXPECT_EQ(node->outbox().peek(0, 1).at(0).info_dict, a.info_dict);

  // Full: neither the item nor the mark is written.
  auto refused = node->commit_fetch(b.id, b.info_dict, Source::kDhtSample, kT0);
  EXPECT_EQ(refused.error().code, make_error_code(Errc::kOutboxFull));
  EXPECT_TRUE(node->seen().should_fetch(b.id, kT0));
  EXPECT_FALSE(node->seen().get(b.id).has_value());
}

// --- DHT state and pin cache -------------------------------------------------

TEST_F(NodeStateTest, DhtStateAndNodeSchedulesAreOpaqueBlobsThatSurviveReopening) {
  const std::string blob("d3:ipv4:\x7f\0\0\x01e", 15);
  {
    auto node = open();
    auto& dht = node->dht();
    EXPECT_FALSE(dht.load_dht_state().has_value());
    dht.save_dht_state(blob);
    dht.put_node_schedule(std::string("\x02node-b", 7), "sched-b");
    const std::vector<std::pair<std::string, std::string>> more = {{"\x01node-a", "sched-a"},
                                                                   {"\x03node-c", "sched-c"}};
    dht.put_node_schedules(more);
    dht.erase_node_schedule("\x03node-c");
  }
  auto node = open();
  auto& dht = node->dht();
  EXPECT_EQ(dht.load_dht_state(), blob);
  EXPECT_EQ(dht.get_node_schedule("\x01node-a"), "sched-a");
  EXPECT_FALSE(dht.get_node_schedule("\x03node-c").has_value());
  std::vector<std::pair<std::string, std::string>> scanned;
  const auto n = dht.scan_node_schedules([&](std::string_view k, std::string_view v) {
    scanned.emplace_back(k, v);
    return true;
  });
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(scanned, (std::vector<std::pair<std::string, std::string>>{{"\x01node-a", "sched-a"},
                                                                       {"\x02node-b", "sched-b"}}));
  // A scan stops when told to.
  EXPECT_EQ(dht.scan_node_schedules([](auto, auto) { return false; }), 1u);
}

TEST_F(NodeStateTest, ThePinCacheStoresInfoDictsById) {
  auto node = open();
  auto& pins = node->pins();
  pins.put(id(2), "dict-2");
  pins.put(id(1), "dict-1");
  EXPECT_EQ(pins.get(id(2)), "dict-2");
  EXPECT_FALSE(pins.get(id(3)).has_value());
  std::vector<InfoHashV1> ids;
  pins.scan([&](const InfoHashV1& i, std::string_view) {
    ids.push_back(i);
    return true;
  });
  EXPECT_EQ(ids, (std::vector<InfoHashV1>{id(1), id(2)}));
  pins.remove(id(1));
  EXPECT_FALSE(pins.get(id(1)).has_value());
}

TEST_F(NodeStateTest, PinnedInfoDictsLargerThanTheMemtablesGoToBlobFilesAndSurviveReopening) {
  // 20 KB dicts, as a 1,000-piece torrent's (bench/pins): 16 MB written is
  // several flushes of the pin cache's memtable.
  constexpr int kDicts = 800;
  auto dict = [](int i) {
    return std::string(20'000, static_cast<char>('a' + i % 26)) + std::to_string(i);
  };
  {
    auto node = open();
    for (int i = 0; i < kDicts; ++i) node->pins().put(id(i), dict(i));
    for (int i = 0; i < kDicts; i += 2) node->pins().remove(id(i));
  }
  std::size_t blob_files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (e.path().extension() == ".blob") ++blob_files;
  }
  EXPECT_GT(blob_files, 0u);
  auto node = open();
  for (int i = 0; i < kDicts; ++i) {
    if (i % 2 == 0) {
      EXPECT_FALSE(node->pins().get(id(i)).has_value()) << i;
    } else {
      EXPECT_EQ(node->pins().get(id(i)), dict(i)) << i;
    }
  }
  EXPECT_EQ(node->pins().scan([](auto&, auto) { return true; }),
            static_cast<std::size_t>(kDicts / 2));
}

// --- processes ------------------------------------------------------------------

struct ChildResult {
  bool exited = false;
  int exit_code = -1;
  int signal = 0;
  std::string out;
};

// Runs the helper program (no shell) and waits for it, with stdout captured.
ChildResult run_child(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {MAGNETAR_NODE_STATE_CHILD};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  ChildResult result;
  if (rc != 0) {
    close(fds[0]);
    return result;
  }
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) result.out.append(buf, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exited = WIFEXITED(status);
  if (result.exited) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

TEST_F(NodeStateTest, ASecondNodeStateOnTheSameDataDirIsRefusedClearly) {
  auto node = open();
  try {
    NodeState second(options());
    FAIL() << "the second open succeeded";
  } catch (const DataDirInUseError& e) {
    EXPECT_NE(std::string(e.what()).find("data_dir " + dir_.path().string() +
                                         " is in use by another magnetar process"),
              std::string::npos)
        << e.what();
  }
  // The first one still works.
  node->seen().mark_fetched(id(1), kT0);
  EXPECT_FALSE(node->seen().should_fetch(id(1), kT0));
}

TEST_F(NodeStateTest, ASecondProcessOnTheSameDataDirIsRefusedClearly) {
  auto node = open();
  const auto held = run_child({"open", dir_.path().string()});
  EXPECT_TRUE(held.exited);
  EXPECT_EQ(held.exit_code, 3) << held.out;
  EXPECT_NE(
      held.out.find("data_dir " + dir_.path().string() + " is in use by another magnetar process"),
      std::string::npos)
      << held.out;
  node.reset();
  const auto free = run_child({"open", dir_.path().string()});
  EXPECT_EQ(free.exit_code, 0) << free.out;
}

TEST_F(NodeStateTest, EveryAppendSurvivesKillMinusNine) {
  constexpr int kItems = 2000;
  const auto child = run_child({"append", dir_.path().string(), std::to_string(kItems)});
  ASSERT_FALSE(child.exited) << "exit code " << child.exit_code << ": " << child.out;
  ASSERT_EQ(child.signal, SIGKILL);

  auto node = open();
  auto& outbox = node->outbox();
  ASSERT_EQ(outbox.size(), static_cast<std::size_t>(kItems));
  const auto items = outbox.peek(0, kItems + 1);
  ASSERT_EQ(items.size(), static_cast<std::size_t>(kItems));
  std::vector<InfoHashV1> ids;
  for (int i = 0; i < kItems; ++i) {
    const auto expected = state_item(i);
    ASSERT_EQ(items[i].seq, static_cast<std::uint64_t>(i + 1));
    ASSERT_EQ(items[i].info_dict, expected.info_dict) << i;
    ASSERT_EQ(items[i].seen_at, kStateItemTime);
    ids.push_back(expected.id);
  }
  for (bool fetch : node->seen().should_fetch(ids, kStateItemTime + hours(1000))) {
    ASSERT_FALSE(fetch);
  }
  EXPECT_EQ(outbox.next_seq(), static_cast<std::uint64_t>(kItems + 1));
}

}  // namespace
}  // namespace magnetar::crawler::state
