// `magnetar stats`: the Stats RPC, the index, the crawl and the pins'
// keepers at a glance.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "app/api_client.hpp"
#include "app/api_text.hpp"
#include "app/byte_size.hpp"
#include "app/command.hpp"
#include "app/table_printer.hpp"

namespace magnetar::app {
namespace {

struct StatsFlags {
  bool json = false;
  ApiFlags api;
};

std::string format_rate(double rate) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.1f/s", rate);
  return buf.data();
}

// How long ago a heartbeat came: "42s ago", "5m ago", "3h ago", "2d ago"
// (whole units, rounded down); "-" when unset. A time ahead of ours (clocks
// apart) counts as now.
std::string format_age(const google::protobuf::Timestamp& t,
                       std::chrono::system_clock::time_point now) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  const auto then = std::chrono::system_clock::time_point(std::chrono::seconds(t.seconds()));
  const auto age = std::max<std::int64_t>(
      0, std::chrono::duration_cast<std::chrono::seconds>(now - then).count());
  constexpr std::int64_t kMinute = 60, kHour = 60 * kMinute, kDay = 24 * kHour;
  if (age < kMinute) return std::to_string(age) + "s ago";
  if (age < kHour) return std::to_string(age / kMinute) + "m ago";
  if (age < kDay) return std::to_string(age / kHour) + "h ago";
  return std::to_string(age / kDay) + "d ago";
}

// host:port, [v6]:port; "(auto)" for a keeper without keeper.announce_address
// (peers reach it at the address trackers and DHT nodes see).
std::string format_endpoint(const v1::KeeperStats& k) {
  std::string host = k.announce_address();
  if (host.empty())
    host = "(auto)";
  else if (host.find(':') != std::string::npos)
    host = "[" + host + "]";
  return host + ":" + std::to_string(k.peer_port());
}

// Live keepers that hold pins, none of which any peer has connected to: the
// usual cause is an address or port peers cannot reach (issue 8).
bool no_peer_reached_a_keeper(const v1::StatsResponse& r) {
  bool live_with_pins = false;
  for (const auto& k : r.keepers()) {
    if (!k.live()) continue;
    if (k.incoming_connections() > 0) return false;
    if (k.pins() > 0) live_with_pins = true;
  }
  return live_with_pins;
}

void print_human(const v1::StatsResponse& r) {
  TablePrinter summary({{""}, {"", Align::kRight}});
  summary.add_row({"torrents", format_count(r.torrents())});
  summary.add_row({"blocked infohashes", format_count(r.blocked_infohashes())});
  summary.add_row({"database size", format_byte_size(r.database_bytes())});
  summary.add_row({"live crawler nodes", format_count(r.live_crawler_nodes())});
  summary.add_row({"pins", format_count(r.pins().total())});
  summary.add_row({"  alive", format_count(r.pins().alive())});
  summary.add_row({"  resolving", format_count(r.pins().resolving())});
  summary.add_row({"  failed", format_count(r.pins().failed())});
  summary.print(std::cout);

  if (r.content_types_size() > 0) {
    std::cout << "\nby type:\n";
    TablePrinter types({{"  TYPE"}, {"TORRENTS", Align::kRight}});
    for (const auto& c : r.content_types()) {
      types.add_row({"  " + content_type_name(c.content_type()), format_count(c.count())});
    }
    types.print(std::cout);
  }
  if (!r.crawl_rates().empty()) {
    std::cout << "\ncrawl rates (all live nodes):\n";
    TablePrinter rates({{"  COUNTER"}, {"RATE", Align::kRight}});
    // Sorted by name: a protobuf map has no order.
    const std::map<std::string, double> sorted(r.crawl_rates().begin(), r.crawl_rates().end());
    for (const auto& [name, rate] : sorted) rates.add_row({"  " + name, format_rate(rate)});
    rates.print(std::cout);
  }
  if (r.keepers_size() > 0) {
    // Counters are sums over the keeper's pins, since the keeper started.
    std::cout << "\nkeepers:\n";
    TablePrinter keepers({{"  NODE"},
                          {"ADDRESS"},
                          {"STATE"},
                          {"PINS", Align::kRight},
                          {"INCOMING", Align::kRight},
                          {"SERVED", Align::kRight},
                          {"LAST HEARTBEAT"}});
    const auto now = std::chrono::system_clock::now();
    for (const auto& k : r.keepers()) {
      keepers.add_row({"  " + k.node_id(), format_endpoint(k), k.live() ? "live" : "stale",
                       format_count(k.pins()), format_count(k.incoming_connections()),
                       format_count(k.metadata_served()), format_age(k.last_heartbeat(), now)});
    }
    keepers.print(std::cout);
    if (no_peer_reached_a_keeper(r)) {
      std::cout << "no peer has connected to a keeper yet: check keeper.announce_address/"
                   "keeper.peer_port and that the port is reachable\n";
    }
  }
}

}  // namespace

void add_stats_command(Commands& commands) {
  auto flags = std::make_shared<StatsFlags>();
  auto* cmd =
      commands.add("stats", "Show the index size, torrents per type, crawl rates, pins and keepers",
                   [flags](const Config& config) {
                     return run_api_call("stats", config, flags->api, [&](ApiClient& client) {
                       v1::StatsResponse response;
                       auto status = client.stats({}, &response);
                       if (!status.ok()) return status;
                       if (flags->json) {
                         std::cout << to_json(response);
                       } else {
                         print_human(response);
                       }
                       return status;
                     });
                   });
  cmd->add_flag("--json", flags->json, "print the response as JSON (proto3 JSON mapping)");
  add_api_flags(*cmd, flags->api);
}

}  // namespace magnetar::app
