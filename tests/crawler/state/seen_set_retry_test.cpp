// The seen set's retry index over a real RocksDB: failures come back when
// their retry time has come, earliest first, bounded, leased, with their
// source; a success (under any of a torrent's ids) or giving up ends them.
#include <gtest/gtest.h>

#include "crawler/state/node_state.hpp"
#include "tests/support/temp_dir.hpp"

namespace magnetar::crawler::state {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kT0{seconds(1'700'000'000)};
constexpr seconds kLease{600};

InfoHashV1 id(int i) {
  std::array<std::uint8_t, 20> b{};
  b[0] = static_cast<std::uint8_t>(i);
  b[19] = 0xa5;
  return InfoHashV1(b);
}

std::vector<InfoHashV1> ids_of(const std::vector<DueRetry>& due) {
  std::vector<InfoHashV1> out;
  for (const auto& d : due) out.push_back(d.id);
  return out;
}

class SeenSetRetryTest : public ::testing::Test {
 protected:
  std::unique_ptr<NodeState> open() {
    NodeStateOptions o;
    o.data_dir = dir_.path();
    o.retry.first_delay = minutes(15);
    o.retry.max_attempts = 3;
    return std::make_unique<NodeState>(o);
  }
  void fail(SeenSet& seen, int i, TimePoint at, Source source = Source::kDhtSample) {
    const SeenAttempt a{id(i), FetchOutcome::kNoPeers, source};
    seen.record_attempts(std::span(&a, 1), at);
  }

  testing::TempDir dir_{"magnetar-retry"};
};

TEST_F(SeenSetRetryTest, DueFailuresComeBackEarliestFirstBoundedAndOnlyOnceWhileLeased) {
  auto node = open();
  auto& seen = node->seen();
  // Failed a minute apart: due 15 minutes after each failure.
  for (int i = 1; i <= 5; ++i) fail(seen, i, kT0 + minutes(i));
  EXPECT_EQ(seen.pending_retries(), 5u);
  EXPECT_TRUE(seen.take_due_retries(kT0 + minutes(15), 10, kLease).empty());

  const auto now = kT0 + minutes(18);  // ids 1, 2 and 3 are due
  EXPECT_EQ(ids_of(seen.take_due_retries(now, 2, kLease)), (std::vector{id(1), id(2)}));
  // Leased: not handed out again, and not fetched on rediscovery either.
  EXPECT_EQ(ids_of(seen.take_due_retries(now, 10, kLease)), (std::vector{id(3)}));
  EXPECT_TRUE(seen.take_due_retries(now, 10, kLease).empty());
  EXPECT_FALSE(seen.should_fetch(id(1), now));
  EXPECT_EQ(seen.get(id(1))->attempts, 1u);  // a lease is no attempt

  // The attempt on id 1 fails again: its next retry follows the backoff (30 min).
  fail(seen, 1, now + seconds(5));
  EXPECT_EQ(seen.get(id(1))->next_retry, now + seconds(5) + minutes(30));
  // Id 2's attempt never got recorded (the node died): back after the lease.
  const auto after_lease = now + kLease + seconds(1);
  EXPECT_EQ(ids_of(seen.take_due_retries(after_lease, 10, kLease)),
            (std::vector{id(4), id(5), id(2), id(3)}));
  EXPECT_EQ(seen.pending_retries(), 5u);
}

TEST_F(SeenSetRetryTest, ARetryKeepsTheSourceOfItsFailure) {
  auto node = open();
  fail(node->seen(), 1, kT0, Source::kDhtAnnounce);
  fail(node->seen(), 2, kT0, Source::kDhtGetPeers);
  const auto due = node->seen().take_due_retries(kT0 + minutes(20), 10, kLease);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0], (DueRetry{id(1), Source::kDhtAnnounce}));
  EXPECT_EQ(due[1], (DueRetry{id(2), Source::kDhtGetPeers}));
}

TEST_F(SeenSetRetryTest, SuccessSkipOrGivingUpEndsTheRetries) {
  auto node = open();
  auto& seen = node->seen();
  fail(seen, 1, kT0);
  fail(seen, 2, kT0);
  fail(seen, 3, kT0);
  seen.mark_fetched(id(1), kT0 + minutes(1));
  seen.record_attempt(id(2), FetchOutcome::kSkipped, kT0 + minutes(1));
  // Id 3 fails its last allowed attempt (max_attempts 3): given up.
  fail(seen, 3, kT0 + minutes(20));
  fail(seen, 3, kT0 + minutes(60));
  EXPECT_EQ(seen.get(id(3))->attempts, 3u);
  EXPECT_EQ(seen.pending_retries(), 0u);
  EXPECT_TRUE(seen.take_due_retries(kT0 + std::chrono::hours(48), 10, kLease).empty());
}

TEST_F(SeenSetRetryTest, PendingRetriesSurviveReopening) {
  {
    auto node = open();
    fail(node->seen(), 7, kT0, Source::kDhtAnnounce);
  }
  auto node = open();
  EXPECT_EQ(node->seen().take_due_retries(kT0 + minutes(15), 10, kLease),
            (std::vector{DueRetry{id(7), Source::kDhtAnnounce}}));
}

TEST_F(SeenSetRetryTest, ACommitMarksEveryIdOfTheTorrentFetchedAndEndsTheirRetries) {
  auto node = open();
  auto& seen = node->seen();
  // A hybrid torrent: its truncated v2 id (2) failed earlier; it is then
  // fetched under its v1 id (1).
  fail(seen, 2, kT0);
  const std::vector<InfoHashV1> both = {id(1), id(2)};
  ASSERT_TRUE(
      node->commit_fetch(id(1), "d4:name1:xe", Source::kDhtSample, kT0 + minutes(1), both).ok());
  for (const auto& i : both) {
    EXPECT_FALSE(seen.should_fetch(i, kT0 + std::chrono::hours(48))) << i.hex();
    EXPECT_EQ(seen.get(i)->last_outcome, FetchOutcome::kOk);
  }
  EXPECT_EQ(seen.pending_retries(), 0u);
  EXPECT_EQ(node->outbox().size(), 1u);
}

}  // namespace
}  // namespace magnetar::crawler::state
