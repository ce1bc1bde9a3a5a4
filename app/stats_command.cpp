// `magnetar stats`: the Stats RPC, the index and the crawl at a glance.
#include <array>
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

void print_human(const v1::StatsResponse& r) {
  TablePrinter summary({{""}, {"", Align::kRight}});
  summary.add_row({"torrents", format_count(r.torrents())});
  summary.add_row({"blocked infohashes", format_count(r.blocked_infohashes())});
  summary.add_row({"database size", format_byte_size(r.database_bytes())});
  summary.add_row({"live crawler nodes", format_count(r.live_crawler_nodes())});
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
}

}  // namespace

void add_stats_command(Commands& commands) {
  auto flags = std::make_shared<StatsFlags>();
  auto* cmd =
      commands.add("stats", "Show the index size, torrents per type and crawl rates",
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
