#include "crawler/pipeline/crawl_counters.hpp"

#include <gtest/gtest.h>

namespace magnetar::crawler::pipeline {
namespace {

using state::FetchOutcome;

std::size_t slot(FetchOutcome o) { return static_cast<std::size_t>(o); }

TEST(ProgressLine, GivesRatesBetweenSnapshotsAndFailuresByReason) {
  CrawlCounters before;
  before.samples_sent = 100;
  before.fetch_ok = 10;
  CrawlCounters now = before;
  now.routing_table_nodes = 120;
  now.frontier_nodes = 300;
  now.samples_sent = 140;
  now.new_infohashes = 20;
  now.fetch_ok = 30;
  now.fetch_failed[slot(FetchOutcome::kTimeout)] = 6;
  now.fetch_failed[slot(FetchOutcome::kNoPeers)] = 2;
  now.fetches_in_flight = 7;
  now.outbox_depth = 3;
  now.shipped = 25;
  now.acked = 22;
  EXPECT_EQ(progress_line(before, now, 2.0),
            "nodes 120 (frontier 300) | samples 20.0/s | new 10.0/s | fetched 30 (10.0/s), "
            "failed 8 (4.0/s) (no_peers 1.0, timeout 3.0) | in flight 7 | outbox 3 | shipped 25, "
            "acked 22");
}

TEST(ProgressLine, SaysWhenTheOutboxIsFullAndTheHubRefusesTheToken) {
  CrawlCounters before;
  CrawlCounters now;
  now.outbox_full = true;
  now.outbox_depth = 9;
  now.ship_auth_failures = 1;
  now.triage_failures = 2;
  const auto line = progress_line(before, now, 1.0);
  EXPECT_NE(line.find("outbox 9 FULL"), std::string::npos) << line;
  EXPECT_NE(line.find("hub refuses the token"), std::string::npos) << line;
  EXPECT_NE(line.find("hub triage failing (2)"), std::string::npos) << line;
}

TEST(NodeReport, NamesEveryCounterAsTheHubProtoDocumentsThem) {
  CrawlCounters c;
  c.samples_sent = 40;
  c.harvested = 3;
  c.new_infohashes = 12;
  c.fetch_ok = 10;
  c.fetch_failed[slot(FetchOutcome::kTimeout)] = 2;
  c.fetch_failed[slot(FetchOutcome::kNoPeers)] = 1;
  c.shipped = 9;
  c.retried = 4;
  const auto counters = report_counters(c);
  EXPECT_EQ(counters.at("samples"), 40u);
  EXPECT_EQ(counters.at("harvested"), 3u);
  EXPECT_EQ(counters.at("new_infohashes"), 12u);
  EXPECT_EQ(counters.at("fetch_ok"), 10u);
  EXPECT_EQ(counters.at("fetch_failed"), 3u);
  EXPECT_EQ(counters.at("fetch_failed.timeout"), 2u);
  EXPECT_EQ(counters.at("fetch_failed.no_peers"), 1u);
  EXPECT_EQ(counters.at("shipped"), 9u);
  EXPECT_EQ(counters.at("retried"), 4u);
  // Outcomes that are no failure have no fetch_failed.* entry.
  EXPECT_FALSE(counters.contains("fetch_failed.ok"));
  EXPECT_FALSE(counters.contains("fetch_failed.skipped"));
  EXPECT_FALSE(counters.contains("fetch_failed.not_tried"));
  for (const auto& [name, value] : counters) {
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_."), std::string::npos)
        << name;
  }
}

TEST(NodeReport, GaugesAreTheCurrentLevels) {
  CrawlCounters c;
  c.routing_table_nodes = 120;
  c.outbox_depth = 7;
  c.fetches_in_flight = 3;
  const auto gauges = report_gauges(c);
  EXPECT_EQ(gauges.at("dht_nodes"), 120.0);
  EXPECT_EQ(gauges.at("outbox_depth"), 7.0);
  EXPECT_EQ(gauges.at("fetches_in_flight"), 3.0);
}

}  // namespace
}  // namespace magnetar::crawler::pipeline
