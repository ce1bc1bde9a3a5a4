#include "crawler/keeper/announce_scheduler.hpp"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>

#include "common/sha.hpp"

namespace magnetar::crawler::keeper {
namespace {

using namespace std::chrono_literals;
using TimePoint = AnnounceScheduler::TimePoint;

const TimePoint kEpoch{std::chrono::hours(1000)};

// An id whose first 8 bytes are `prefix` (big-endian), the rest `fill`.
InfoHashV1 id_with_prefix(std::uint64_t prefix, std::uint8_t fill = 0) {
  std::array<std::uint8_t, 20> b{};
  for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(prefix >> (56 - 8 * i));
  for (int i = 8; i < 20; ++i) b[i] = fill;
  return InfoHashV1(b);
}

InfoHashV1 hashed_id(int i) { return InfoHashV1(sha1(std::to_string(i))); }

TEST(AnnounceScheduler, NewPinsGoAtOnceInOrderUpToTheBudget) {
  AnnounceScheduler s({.interval = 30min, .budget_per_second = 5}, kEpoch);
  for (int i = 0; i < 12; ++i) s.add(id_with_prefix(i));
  const auto first = s.due(kEpoch);
  ASSERT_EQ(first.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(first[i], id_with_prefix(i));
  EXPECT_TRUE(s.due(kEpoch + 999ms).empty());
  EXPECT_EQ(s.next_wakeup(kEpoch + 999ms), kEpoch + 1s);
  const auto second = s.due(kEpoch + 1s);
  ASSERT_EQ(second.size(), 5u);
  EXPECT_EQ(second[0], id_with_prefix(5));
  EXPECT_EQ(s.due(kEpoch + 2s).size(), 2u);
  EXPECT_EQ(s.waiting(kEpoch + 2s), 0u);
}

TEST(AnnounceScheduler, RegularAnnouncesFallOnThePhaseAtLeastAQuarterIntervalLater) {
  AnnounceScheduler s({.interval = 1000ms, .budget_per_second = 10}, kEpoch);
  const InfoHashV1 id = id_with_prefix(2300);  // 2300 mod 1000: phase 300 ms
  EXPECT_EQ(s.phase(id), 300ms);
  s.add(id);
  EXPECT_EQ(s.next_due(id), std::nullopt);
  ASSERT_EQ(s.due(kEpoch + 100ms).size(), 1u);
  // 100 ms + 250 ms = 350 ms: the next phase time is 1300 ms.
  EXPECT_EQ(s.next_due(id), kEpoch + 1300ms);
  EXPECT_TRUE(s.due(kEpoch + 1299ms).empty());
  EXPECT_EQ(s.next_wakeup(kEpoch + 1299ms), kEpoch + 1300ms);
  ASSERT_EQ(s.due(kEpoch + 1300ms).size(), 1u);
  EXPECT_EQ(s.next_due(id), kEpoch + 2300ms);
}

TEST(AnnounceScheduler, APinAnnouncedJustBeforeItsPhaseWaitsAWholeCycle) {
  AnnounceScheduler s({.interval = 1000ms, .budget_per_second = 10}, kEpoch);
  const InfoHashV1 id = id_with_prefix(300);
  s.add(id);
  ASSERT_EQ(s.due(kEpoch + 200ms).size(), 1u);  // 200 + 250 > 300: not this cycle
  EXPECT_EQ(s.next_due(id), kEpoch + 1300ms);
}

TEST(AnnounceScheduler, PhasesOfRealInfohashesSpreadEvenlyOverTheInterval) {
  AnnounceScheduler s({.interval = 30min, .budget_per_second = 20}, kEpoch);
  std::array<int, 30> per_minute{};
  for (int i = 0; i < 30'000; ++i) {
    ++per_minute[std::chrono::duration_cast<std::chrono::minutes>(s.phase(hashed_id(i))).count()];
  }
  // 1,000 expected per minute (standard deviation about 31).
  for (int n : per_minute) {
    EXPECT_GT(n, 850);
    EXPECT_LT(n, 1150);
  }
}

TEST(AnnounceScheduler, EveryPinIsReannouncedWithinOneAndAQuarterIntervalsUnderBudget) {
  // 600 pins, 60 s interval: 10/s needed, budget 20/s.
  AnnounceScheduler s({.interval = 60s, .budget_per_second = 20}, kEpoch);
  std::map<InfoHashV1, TimePoint> last;
  for (int i = 0; i < 600; ++i) s.add(hashed_id(i));
  std::chrono::milliseconds longest{0};
  std::size_t announces = 0;
  for (TimePoint now = kEpoch; now < kEpoch + 10min; now += 50ms) {
    for (const auto& id : s.due(now)) {
      ++announces;
      auto [it, first] = last.try_emplace(id, now);
      if (!first) {
        longest = std::max(longest,
                           std::chrono::duration_cast<std::chrono::milliseconds>(now - it->second));
        it->second = now;
      }
    }
  }
  EXPECT_EQ(last.size(), 600u);
  EXPECT_LE(longest, 75s);
  // About one announce per pin per interval (600 first + ~9.5 cycles).
  EXPECT_GT(announces, 600u * 9);
  EXPECT_LT(announces, 600u * 12);
}

TEST(AnnounceScheduler, CapacityIsTheBudgetOverOneInterval) {
  EXPECT_EQ(AnnounceScheduler({.interval = 30min, .budget_per_second = 60}, kEpoch).capacity(),
            108'000u);
  EXPECT_EQ(AnnounceScheduler({.interval = 60s, .budget_per_second = 20}, kEpoch).capacity(),
            1'200u);
}

TEST(AnnounceScheduler, PinsBeyondCapacityAreAnnouncedLateButAll) {
  // 300 pins, capacity 10 s x 10/s = 100: each cycle takes 30 s, not 10.
  AnnounceScheduler s({.interval = 10s, .budget_per_second = 10}, kEpoch);
  for (int i = 0; i < 300; ++i) s.add(hashed_id(i));
  ASSERT_GT(s.size(), s.capacity());
  std::map<InfoHashV1, int> announced;
  for (TimePoint now = kEpoch; now < kEpoch + 95s; now += 100ms) {
    for (const auto& id : s.due(now)) ++announced[id];
  }
  EXPECT_EQ(announced.size(), 300u);
  EXPECT_GT(s.waiting(kEpoch + 95s), 0u);
}

TEST(AnnounceScheduler, NeverExceedsTheBudgetInAnyOneSecondWindow) {
  // 3,000 pins on a 60 s interval need 50/s; the budget is 20/s.
  AnnounceScheduler s({.interval = 60s, .budget_per_second = 20}, kEpoch);
  for (int i = 0; i < 3'000; ++i) s.add(hashed_id(i));
  std::vector<TimePoint> releases;
  for (TimePoint now = kEpoch; now < kEpoch + 5min; now += 7ms) {
    for (std::size_t n = s.due(now).size(); n > 0; --n) releases.push_back(now);
  }
  std::size_t begin = 0;
  std::size_t most = 0;
  for (std::size_t end = 0; end < releases.size(); ++end) {
    while (releases[begin] + 1s <= releases[end]) ++begin;
    most = std::max(most, end - begin + 1);
  }
  EXPECT_EQ(most, 20u);
  // Behind by design: many pins wait.
  EXPECT_GT(s.waiting(kEpoch + 5min), 0u);
}

TEST(AnnounceScheduler, RetryBringsTheNextAnnounceForwardOnly) {
  AnnounceScheduler s({.interval = 1000ms, .budget_per_second = 10}, kEpoch);
  const InfoHashV1 id = id_with_prefix(300);
  s.retry(id, kEpoch);  // unknown: nothing
  s.add(id);
  s.retry(id, kEpoch);  // new: announced promptly anyway
  ASSERT_EQ(s.due(kEpoch).size(), 1u);
  ASSERT_EQ(s.next_due(id), kEpoch + 300ms);
  s.retry(id, kEpoch + 500ms);  // later than planned: kept
  EXPECT_EQ(s.next_due(id), kEpoch + 300ms);
  s.retry(id, kEpoch + 100ms);
  EXPECT_EQ(s.next_due(id), kEpoch + 100ms);
  EXPECT_EQ(s.due(kEpoch + 100ms).size(), 1u);
}

TEST(AnnounceScheduler, RemovedPinsAreNeverAnnouncedAgain) {
  AnnounceScheduler s({.interval = 10s, .budget_per_second = 100}, kEpoch);
  const InfoHashV1 kept = hashed_id(1);
  const InfoHashV1 gone = hashed_id(2);
  const InfoHashV1 never = hashed_id(3);
  s.add(kept);
  s.add(gone);
  s.add(never);
  s.remove(never);  // removed while new
  const auto first = s.due(kEpoch);
  EXPECT_EQ(first, (std::vector<InfoHashV1>{kept, gone}));
  s.remove(gone);  // removed while scheduled
  EXPECT_FALSE(s.contains(gone));
  for (TimePoint now = kEpoch; now < kEpoch + 60s; now += 100ms) {
    for (const auto& id : s.due(now)) EXPECT_EQ(id, kept);
  }
  s.remove(kept);
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.next_wakeup(kEpoch + 60s), std::nullopt);
}

TEST(AnnounceScheduler, ReaddedPinIsAnnouncedOnceAsNew) {
  AnnounceScheduler s({.interval = 10s, .budget_per_second = 100}, kEpoch);
  const InfoHashV1 id = hashed_id(7);
  s.add(id);
  s.remove(id);
  s.add(id);
  s.add(id);  // already scheduled: no effect
  EXPECT_EQ(s.due(kEpoch).size(), 1u);
  EXPECT_TRUE(s.due(kEpoch + 1s).empty());
}

}  // namespace
}  // namespace magnetar::crawler::keeper
