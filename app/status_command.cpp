#include <iostream>

#include "app/build_info.hpp"
#include "app/command.hpp"
#include "schema/migrator.hpp"

namespace magnetar::app {
namespace {

struct Component {
  const char* name;
  const char* state;
  const char* detail;
};

// What this build contains. Each issue that lands a component updates its line.
constexpr Component kComponents[] = {
    {"common", "ready", "bencode, infohash, magnet URI, metainfo, config, logging"},
    {"schema", "ready", "migration runner (magnetar migrate)"},
    {"crawler/wire", "ready", "peer wire (BEP 3/10/9/11/6, MSE): metadata fetcher and server"},
    {"crawler/dht", "ready", "DHT-only session, BEP 51 sampler, harvest, peer lookups"},
    {"crawler", "ready", "RocksDB state, shipping to the hub, crawl node (magnetar crawl)"},
    {"indexer", "ready",
     "embedded PostgreSQL, store, classifier, banned filter, ingest, reclassify"},
    {"rpc/hub", "ready", "internal gRPC service: Triage, Ingest, Report, Keeper (cluster token)"},
    {"indexer/search", "ready", "query language, bounded search over PostgreSQL"},
    {"rpc/api", "ready",
     "public gRPC API (search, torrents, stats, pins; health, reflection, TLS), CLI client"},
    {"keeper", "not built yet", "keep-alive pinning"},
    {"web", "not built yet", "web UI"},
};

}  // namespace

void add_status_command(Commands& commands) {
  commands.add("status", "Show what this build of magnetar contains and its settings",
               [](const Config& config) {
                 std::cout << "magnetar " << kVersion << "\n\ncomponents:\n";
                 for (const auto& c : kComponents) {
                   std::printf("  %-14s %-14s %s\n", c.name, c.state, c.detail);
                 }
                 std::cout << "\nmigrations built in: " << schema::builtin_migrations().size()
                           << " (latest " << schema::builtin_migrations().back().version
                           << ")\n\nsettings:\n";
                 for (const auto& s : config.settings()) {
                   std::printf("  %-12s = %-20s (%s)\n", s.key.c_str(),
                               config.get(s.key).empty() ? "\"\"" : config.get(s.key).c_str(),
                               config.origin(s.key).c_str());
                 }
                 return 0;
               });
}

}  // namespace magnetar::app
