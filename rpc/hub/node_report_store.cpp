#include "rpc/hub/node_report_store.hpp"

#include <fmt/format.h>

#include <cmath>

namespace magnetar::rpc {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxReportNameBytes) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

template <class Map>
std::optional<std::string> names_problem(const Map& entries, const char* what) {
  if (entries.size() > kMaxReportEntries) {
    return fmt::format("at most {} {}", kMaxReportEntries, what);
  }
  for (const auto& [name, value] : entries) {
    if (!valid_name(name)) {
      return fmt::format("{}: names are 1 to {} characters of [a-z0-9_.]", what,
                         kMaxReportNameBytes);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> report_problem(const NodeReportRecord& r) {
  if (r.node_id.empty() || r.node_id.size() > kMaxNodeIdBytes) {
    return fmt::format("node_id: 1 to {} characters", kMaxNodeIdBytes);
  }
  for (const char c : r.node_id) {
    if (c < 0x21 || c > 0x7e) return "node_id: printable ASCII only";
  }
  if (r.started_at.time_since_epoch().count() <= 0) return "started_at is not set";
  if (auto p = names_problem(r.counters, "counters")) return p;
  if (auto p = names_problem(r.gauges, "gauges")) return p;
  for (const auto& [name, value] : r.gauges) {
    if (!std::isfinite(value)) return "gauges: " + name + " is not a finite number";
  }
  return std::nullopt;
}

std::string counters_json(const std::map<std::string, std::uint64_t>& counters) {
  std::string out = "{";
  for (const auto& [name, value] : counters) {
    if (out.size() > 1) out += ',';
    out += fmt::format("\"{}\":{}", name, value);
  }
  return out + "}";
}

std::string gauges_json(const std::map<std::string, double>& gauges) {
  std::string out = "{";
  for (const auto& [name, value] : gauges) {
    if (out.size() > 1) out += ',';
    // fmt's shortest round-trip form is a valid JSON number for finite values.
    out += fmt::format("\"{}\":{}", name, value);
  }
  return out + "}";
}

}  // namespace magnetar::rpc
