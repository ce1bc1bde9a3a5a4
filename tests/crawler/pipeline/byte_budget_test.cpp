#include "crawler/pipeline/byte_budget.hpp"

#include <gtest/gtest.h>

namespace magnetar::crawler::pipeline {
namespace {

using namespace std::chrono_literals;
const ByteBudget::Clock::time_point t0{};

TEST(ByteBudget, NoRateMeansNoCap) {
  ByteBudget b(0, t0);
  b.spend(1'000'000'000, t0);
  EXPECT_TRUE(b.allows(t0));
}

TEST(ByteBudget, DebtStopsStartsUntilTheRateHasPaidItBack) {
  ByteBudget b(1000, t0);  // 1000 B/s, starts with one second's credit
  EXPECT_TRUE(b.allows(t0));
  b.spend(3000, t0);  // 2000 B in debt
  EXPECT_FALSE(b.allows(t0));
  EXPECT_FALSE(b.allows(t0 + 1s));     // -1000
  EXPECT_FALSE(b.allows(t0 + 2s));     // 0: not in credit yet
  EXPECT_TRUE(b.allows(t0 + 2001ms));  // +1
}

TEST(ByteBudget, IdleTimeBuysAtMostOneSecondOfCredit) {
  ByteBudget b(1000, t0);
  b.spend(1000, t0);
  EXPECT_TRUE(b.allows(t0 + 1h));
  b.spend(1001, t0 + 1h);  // one second's credit was all there was
  EXPECT_FALSE(b.allows(t0 + 1h));
  EXPECT_TRUE(b.allows(t0 + 1h + 2ms));
}

TEST(ByteBudget, AClockThatDoesNotAdvanceAddsNothing) {
  ByteBudget b(1000, t0 + 5s);
  b.spend(1500, t0 + 5s);
  EXPECT_FALSE(b.allows(t0));  // earlier than the last charge
  EXPECT_FALSE(b.allows(t0 + 5s));
}

}  // namespace
}  // namespace magnetar::crawler::pipeline
