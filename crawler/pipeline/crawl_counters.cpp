#include "crawler/pipeline/crawl_counters.hpp"

#include <fmt/format.h>

namespace magnetar::crawler::pipeline {

std::uint64_t CrawlCounters::fetch_failed_total() const {
  std::uint64_t total = 0;
  for (const auto n : fetch_failed) total += n;
  return total;
}

std::map<std::string, std::uint64_t> report_counters(const CrawlCounters& c) {
  std::map<std::string, std::uint64_t> out = {
      {"samples", c.samples_sent},
      {"sample_replies", c.sample_replies},
      {"harvested", c.harvested},
      {"discovered", c.discovered},
      {"new_infohashes", c.new_infohashes},
      {"retried", c.retried},
      {"fetch_ok", c.fetch_ok},
      {"fetch_failed", c.fetch_failed_total()},
      {"shipped", c.shipped},
      {"acked", c.acked},
      {"dropped", c.dropped},
      {"skipped_seen", c.skipped_seen},
      {"skipped_known", c.skipped_known},
      {"skipped_blocked", c.skipped_blocked},
      {"triage_failures", c.triage_failures},
  };
  for (std::size_t i = 0; i < kOutcomeSlots; ++i) {
    const auto outcome = static_cast<state::FetchOutcome>(i);
    // Only failure reasons: not_tried, ok and skipped are no fetch failures.
    if (outcome == state::FetchOutcome::kNotTried || state::is_final(outcome)) continue;
    out[std::string("fetch_failed.") + state::to_string(outcome)] = c.fetch_failed[i];
  }
  return out;
}

std::map<std::string, double> report_gauges(const CrawlCounters& c) {
  return {
      {"dht_nodes", static_cast<double>(c.routing_table_nodes)},
      {"frontier_nodes", static_cast<double>(c.frontier_nodes)},
      {"fetches_in_flight", static_cast<double>(c.fetches_in_flight)},
      {"fetch_queue", static_cast<double>(c.fetch_queue)},
      {"outbox_depth", static_cast<double>(c.outbox_depth)},
      {"outbox_bytes", static_cast<double>(c.outbox_bytes)},
  };
}

std::string progress_line(const CrawlCounters& before, const CrawlCounters& now, double seconds) {
  const double s = seconds > 0 ? seconds : 1.0;
  const auto rate = [&](std::uint64_t a, std::uint64_t b) {
    return b >= a ? static_cast<double>(b - a) / s : 0.0;
  };
  std::string reasons;
  for (std::size_t i = 0; i < kOutcomeSlots; ++i) {
    const double r = rate(before.fetch_failed[i], now.fetch_failed[i]);
    if (r <= 0) continue;
    if (!reasons.empty()) reasons += ", ";
    reasons += fmt::format("{} {:.1f}", state::to_string(static_cast<state::FetchOutcome>(i)), r);
  }
  std::string line = fmt::format(
      "nodes {} (frontier {}) | samples {:.1f}/s | new {:.1f}/s | fetched {} ({:.1f}/s), failed "
      "{} ({:.1f}/s)",
      now.routing_table_nodes, now.frontier_nodes, rate(before.samples_sent, now.samples_sent),
      rate(before.new_infohashes, now.new_infohashes), now.fetch_ok,
      rate(before.fetch_ok, now.fetch_ok), now.fetch_failed_total(),
      rate(before.fetch_failed_total(), now.fetch_failed_total()));
  if (!reasons.empty()) line += " (" + reasons + ")";
  line += fmt::format(" | in flight {} | outbox {}{} | shipped {}, acked {}", now.fetches_in_flight,
                      now.outbox_depth, now.outbox_full ? " FULL" : "", now.shipped, now.acked);
  if (now.dropped > before.dropped) {
    line += fmt::format(" | dropped {:.1f}/s (pipeline full)", rate(before.dropped, now.dropped));
  }
  if (now.triage_failures > before.triage_failures) {
    line += fmt::format(" | hub triage failing ({})", now.triage_failures - before.triage_failures);
  }
  if (now.ship_auth_failures > before.ship_auth_failures) line += " | hub refuses the token";
  return line;
}

}  // namespace magnetar::crawler::pipeline
