#include "indexer/search/correlated_estimate.hpp"

#include <gtest/gtest.h>

namespace magnetar::search {
namespace {

TEST(CorrelatedEstimate, OneFacetOrNoneLeavesThePlannersEstimate) {
  EXPECT_EQ(correlated_estimate(1'234, 10'000'000, {}), 1'234);
  EXPECT_EQ(correlated_estimate(1'234, 10'000'000, {0.05}), 1'234);
}

TEST(CorrelatedEstimate, EpisodesOf2160pSeasonFourAtTenMillion) {
  // bench/search's corpus at 10M: ~s4 137,311 rows, ~r2160 736,212, ~t2
  // 1,796,370; the planner says 1,817 (their product); 22,759 match.
  const std::int64_t n = 10'000'000;
  const auto got = correlated_estimate(1'817, n, {137'311.0 / n, 736'212.0 / n, 1'796'370.0 / n});
  // 1,817 x (0.0737^-1/2 x 0.1796^-3/4): the damped product, ~24,200.
  EXPECT_GT(got, 20'000);
  EXPECT_LT(got, 28'000);
}

TEST(CorrelatedEstimate, TheOrderOfTheFacetsDoesNotMatter) {
  EXPECT_EQ(correlated_estimate(500, 1'000'000, {0.5, 0.01, 0.2}),
            correlated_estimate(500, 1'000'000, {0.2, 0.5, 0.01}));
}

TEST(CorrelatedEstimate, NeverBelowThePlannerNorAboveTheTable) {
  EXPECT_EQ(correlated_estimate(900, 1'000, {0.001, 0.001, 0.001}), 1'000);
  EXPECT_GE(correlated_estimate(10, 1'000'000, {1.0, 1.0}), 10);
  EXPECT_EQ(correlated_estimate(10, 1'000'000, {1.0, 1.0}), 10);
}

}  // namespace
}  // namespace magnetar::search
