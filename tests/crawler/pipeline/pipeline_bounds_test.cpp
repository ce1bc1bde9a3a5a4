#include <gtest/gtest.h>

#include "crawler/pipeline/crawl_node.hpp"

namespace magnetar::crawler::pipeline {
namespace {

TEST(PipelineBounds, EveryQueueIsSizedFromTheConcurrency) {
  const auto b = bounds_for(64);
  EXPECT_EQ(b.fetches_in_flight, 64u);
  EXPECT_EQ(b.fetch_queue, 64u * 64);
  EXPECT_EQ(b.triage_batch, 8u * 64);
  EXPECT_EQ(b.triage_backlog, 64u * 64);
  EXPECT_EQ(b.lookups_in_flight, 32u);
  EXPECT_EQ(b.retries_per_scan, 64u);
}

TEST(PipelineBounds, StayWithinTheHubAndUdpLimitsAtTheExtremes) {
  const auto small = bounds_for(0);
  EXPECT_EQ(small.fetches_in_flight, 1u);
  EXPECT_GE(small.triage_batch, 1u);
  EXPECT_GE(small.lookups_in_flight, 8u);
  EXPECT_GE(small.triage_backlog, small.triage_batch);
  const auto big = bounds_for(100'000);
  EXPECT_LE(big.triage_batch, ship::kMaxTriageBatch);
  EXPECT_LE(big.lookups_in_flight, 64u);
  EXPECT_GE(big.triage_backlog, big.triage_batch);
  // Due retries taken at once go to the hub in one Triage call, and fit
  // the fetch queue beside what is queued.
  for (const auto& b : {small, bounds_for(64), big}) {
    EXPECT_GE(b.retries_per_scan, 1u);
    EXPECT_LE(b.retries_per_scan, b.triage_batch);
    EXPECT_LE(b.retries_per_scan, b.fetch_queue / 2);
  }
}

}  // namespace
}  // namespace magnetar::crawler::pipeline
