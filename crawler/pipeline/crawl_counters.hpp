// What a crawl node has done so far (a snapshot of running totals and
// current levels), and the one-line progress summary made from two of them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "crawler/state/seen_record.hpp"

namespace magnetar::crawler::pipeline {

// One slot per state::FetchOutcome value (kOtherFailure is the last).
inline constexpr std::size_t kOutcomeSlots =
    static_cast<std::size_t>(state::FetchOutcome::kOtherFailure) + 1;

struct CrawlCounters {
  // DHT (levels): nodes in libtorrent's routing table and the sampler's frontier.
  std::size_t routing_table_nodes = 0;
  std::size_t frontier_nodes = 0;
  // DHT (totals): BEP 51 requests sent and replies, infohashes discovered
  // (every source, after the DHT side's own dedupe).
  std::uint64_t samples_sent = 0;
  std::uint64_t sample_replies = 0;
  std::uint64_t discovered = 0;
  // Infohashes other nodes announced to us or looked up through us (each
  // once per the harvester's recent set): part of `discovered`.
  std::uint64_t harvested = 0;
  // Triage (totals): dropped as recent repeats, dropped because the
  // pipeline was full, skipped by the seen set (fetched, given up, or
  // waiting for a retry), skipped as known or blocked by the hub, and new.
  std::uint64_t repeats = 0;
  std::uint64_t dropped = 0;
  std::uint64_t skipped_seen = 0;
  std::uint64_t skipped_known = 0;
  std::uint64_t skipped_blocked = 0;
  std::uint64_t new_infohashes = 0;
  std::uint64_t triage_failures = 0;  // hub calls that failed (fetched anyway)
  // Failed infohashes re-queued by the node when their retry time came.
  std::uint64_t retried = 0;
  // Fetches (totals, and levels).
  std::uint64_t fetch_ok = 0;
  std::array<std::uint64_t, kOutcomeSlots> fetch_failed{};  // by FetchOutcome
  std::size_t fetches_in_flight = 0;                        // lookup to commit
  std::size_t fetch_queue = 0;                              // new, waiting for a slot
  bool outbox_full = false;
  // Outbox and shipping.
  std::size_t outbox_depth = 0;
  std::uint64_t outbox_bytes = 0;
  std::uint64_t shipped = 0;
  std::uint64_t acked = 0;
  std::uint64_t ship_auth_failures = 0;
  // Hub.Report calls that went through, and that failed.
  std::uint64_t reports_sent = 0;
  std::uint64_t report_failures = 0;

  std::uint64_t fetch_failed_total() const;
};

// The counters and gauges of a Hub.Report, under the names documented in
// rpc/proto/magnetar/v1/hub.proto.
std::map<std::string, std::uint64_t> report_counters(const CrawlCounters& c);
std::map<std::string, double> report_gauges(const CrawlCounters& c);

// "nodes 120 (frontier 118) | samples 40.0/s | new 12.5/s | fetched 100
// (10.0/s), failed 20 (2.0/s) (timeout 1.5, no_peers 0.5) | in flight 8 |
// outbox 3 | shipped 100, acked 97": totals since start, and rates over
// `seconds` between the two snapshots.
std::string progress_line(const CrawlCounters& before, const CrawlCounters& now, double seconds);

}  // namespace magnetar::crawler::pipeline
