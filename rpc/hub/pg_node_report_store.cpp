#include "rpc/hub/pg_node_report_store.hpp"

#include <fmt/format.h>

#include <ctime>
#include <pqxx/pqxx>

namespace magnetar::rpc {
namespace {

// Rates are (counter now - counter before) / seconds between the reports, for
// a row of the same run (same started_at); a restart or a first report gives
// {}. A counter that went down (it never should within a run) rates 0. The
// WHERE keeps the newest report when a late one (a client retry) arrives.
constexpr char kUpsert[] = R"sql(
INSERT INTO crawler_nodes AS n
  (node_id, started_at, first_report, last_report, counters, gauges, rates)
VALUES ($1, $2::timestamptz, now(), now(), $3::jsonb, $4::jsonb, '{}'::jsonb)
ON CONFLICT (node_id) DO UPDATE SET
  started_at = excluded.started_at,
  first_report = CASE WHEN n.started_at = excluded.started_at
                      THEN n.first_report ELSE excluded.first_report END,
  last_report = excluded.last_report,
  counters = excluded.counters,
  gauges = excluded.gauges,
  rates = CASE WHEN n.started_at = excluded.started_at THEN (
            SELECT coalesce(jsonb_object_agg(c.key,
                     greatest(c.value::numeric - coalesce((n.counters ->> c.key)::numeric, 0), 0)
                     / nullif(extract(epoch FROM excluded.last_report - n.last_report), 0)),
                   '{}'::jsonb)
            FROM jsonb_each_text(excluded.counters) AS c)
          ELSE '{}'::jsonb END
WHERE excluded.started_at > n.started_at
   OR (excluded.started_at = n.started_at AND excluded.last_report > n.last_report)
)sql";

// "2026-11-23 00:25:00.123456+00": exact to the microsecond (PostgreSQL's
// resolution), so two reports of one run compare equal.
std::string to_timestamptz(std::chrono::system_clock::time_point t) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(us / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us % 1'000'000);
}

}  // namespace

PgNodeReportStore::PgNodeReportStore(std::string dsn) : dsn_(std::move(dsn)) {}

PgNodeReportStore::~PgNodeReportStore() = default;

void PgNodeReportStore::record(const NodeReportRecord& report) {
  std::lock_guard lock(mu_);
  try {
    if (!connection_) connection_ = std::make_unique<pqxx::connection>(dsn_);
    pqxx::work tx(*connection_);
    tx.exec_params(kUpsert, report.node_id, to_timestamptz(report.started_at),
                   counters_json(report.counters), gauges_json(report.gauges));
    tx.commit();
  } catch (...) {
    connection_.reset();  // reopened by the next report
    throw;
  }
}

}  // namespace magnetar::rpc
