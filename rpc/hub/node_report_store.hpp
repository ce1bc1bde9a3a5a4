// Where the hub keeps crawler nodes' reports (Hub.Report in
// rpc/proto/magnetar/v1/hub.proto): the seam between the gRPC handler and
// PostgreSQL (pg_node_report_store.hpp), and the checks a report passes
// before it gets there.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace magnetar::rpc {

// Limits on a report, which comes from the network: a node sends a few dozen
// counters; these bound the row (a few kB) whatever a node sends.
inline constexpr std::size_t kMaxNodeIdBytes = 128;
inline constexpr std::size_t kMaxReportNameBytes = 64;
inline constexpr std::size_t kMaxReportEntries = 256;  // counters, and gauges

struct NodeReportRecord {
  std::string node_id;
  std::chrono::system_clock::time_point started_at;
  std::map<std::string, std::uint64_t> counters;
  std::map<std::string, double> gauges;
};

// Why a report is refused (the message of INVALID_ARGUMENT), or nullopt.
// node_id: 1 to kMaxNodeIdBytes printable ASCII characters (host names);
// names: 1 to kMaxReportNameBytes of [a-z0-9_.]; at most kMaxReportEntries
// of each kind; gauges finite (JSON has no NaN or infinity); started_at set.
std::optional<std::string> report_problem(const NodeReportRecord& r);

// {"a":1,"b":2}: names are checked by report_problem, so need no escaping.
std::string counters_json(const std::map<std::string, std::uint64_t>& counters);
std::string gauges_json(const std::map<std::string, double>& gauges);

class NodeReportStore {
 public:
  virtual ~NodeReportStore() = default;
  // Stores a checked report; throws (an infrastructure error) when it cannot.
  virtual void record(const NodeReportRecord& report) = 0;
};

}  // namespace magnetar::rpc
