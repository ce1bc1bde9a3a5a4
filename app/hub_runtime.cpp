#include "app/hub_runtime.hpp"

#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <fstream>
#include <random>
#include <stdexcept>

#include "app/classifier_setup.hpp"
#include "app/database.hpp"
#include "common/codec.hpp"
#include "common/log.hpp"
#include "indexer/classify/banned_filter.hpp"
#include "indexer/classify/classifier.hpp"
#include "indexer/ingest/ingest_pipeline.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "rpc/api/api_server.hpp"
#include "rpc/api/pin_service.hpp"
#include "rpc/hub/hub_service.hpp"
#include "rpc/hub/keeper_service.hpp"
#include "rpc/hub/pg_node_report_store.hpp"

namespace magnetar::app {
namespace {

namespace classify = indexer::classify;
namespace store = indexer::store;

// Random bytes of a generated cluster token: 256 bits.
constexpr std::size_t kTokenBytes = 32;
// How long a stopping gRPC server lets streams finish before cancelling them.
constexpr auto kShutdownGrace = std::chrono::seconds(10);

// The secret of setting `key`, or one generated once into data_dir/file.
std::string stored_token(const Config& config, const std::string& key, const char* file_name,
                         const char* who) {
  if (!config.get(key).empty()) return config.get(key);
  const std::filesystem::path dir = config.get("data_dir");
  const auto file = dir / file_name;
  if (std::ifstream in(file); in) {
    std::string token;
    std::getline(in, token);
    if (!token.empty()) return token;
  }
  std::filesystem::create_directories(dir);
  std::random_device rd;
  std::string bytes(kTokenBytes, '\0');
  for (auto& b : bytes) b = static_cast<char>(rd());
  const auto token = to_hex(bytes);
  {
    std::ofstream out(file, std::ios::trunc);
    out << token << "\n";
    if (!out) throw std::runtime_error("cannot write " + file.string());
  }
  ::chmod(file.c_str(), 0600);
  logger("hub")->info("generated a token in {} ({} need it)", file.string(), who);
  return token;
}

}  // namespace

std::string cluster_token(const Config& config) {
  return stored_token(config, "hub.token", "cluster-token", "crawler nodes");
}

std::string api_token(const Config& config) {
  return stored_token(config, "api.token", "api-token", "API clients that change things");
}

struct HubRuntime::Parts {
  std::unique_ptr<Database> database;
  std::unique_ptr<store::PgTorrentStore> store;
  classify::Rules rules;
  classify::BannedRules banned_rules;
  std::unique_ptr<classify::Classifier> classifier;
  std::unique_ptr<classify::BannedFilter> banned;
  std::unique_ptr<indexer::ingest::IngestPipeline> pipeline;
  std::unique_ptr<rpc::PgNodeReportStore> reports;  // crawler nodes' counters
  std::unique_ptr<rpc::HubService> hub;
  std::unique_ptr<rpc::KeeperService> keeper;  // pin assignments to keeper nodes
  std::unique_ptr<grpc::Server> server;
  std::string listen_address;
  std::unique_ptr<rpc::PinService> pins;  // served by the API server
  std::unique_ptr<rpc::ApiServer> api;    // the public API
};

HubRuntime::HubRuntime(const Config& config) : parts_(std::make_unique<Parts>()) {
  auto log = logger("hub");
  auto& p = *parts_;

  p.database = std::make_unique<Database>(config, [&](const schema::Migration& m) {
    log->info("applying migration {}_{}", m.version, m.name);
  });
  log->info("database schema at version {}", p.database->migrated().schema_version);
  const auto& dsn = p.database->dsn();

  store::PgTorrentStoreOptions store_options;
  store_options.dsn = dsn;
  const auto policy = store::raw_info_policy_from_string(config.get("store.raw_info"));
  if (!policy) throw ConfigError("store.raw_info: expected pinned, all or none");
  store_options.raw_info_policy = *policy;
  store_options.max_stored_files = static_cast<std::size_t>(config.get_int("store.max_files"));
  p.store = std::make_unique<store::PgTorrentStore>(store_options);

  p.rules = load_rules(config);
  p.banned_rules = load_banned(config);
  p.classifier = std::make_unique<classify::Classifier>(p.rules);
  p.banned = std::make_unique<classify::BannedFilter>(p.banned_rules);
  p.pipeline =
      std::make_unique<indexer::ingest::IngestPipeline>(*p.store, *p.classifier, *p.banned);
  p.reports = std::make_unique<rpc::PgNodeReportStore>(dsn);
  p.hub = std::make_unique<rpc::HubService>(*p.pipeline, cluster_token(config), p.reports.get());

  // Keep-alive pins (issue 8): the Keeper stream beside Hub, Pins beside the
  // public API; the ingest path keeps pinned torrents' info dicts.
  rpc::KeeperServiceOptions keeper;
  keeper.dsn = dsn;
  keeper.cluster_token = cluster_token(config);
  keeper.replication = static_cast<std::size_t>(config.get_int("pins.replication"));
  keeper.heartbeat_interval = std::chrono::seconds(config.get_int("keeper.heartbeat_interval"));
  keeper.resolve_timeout = std::chrono::seconds(config.get_int("pins.resolve_timeout"));
  if (keeper.replication < 1 || keeper.heartbeat_interval.count() < 1 ||
      keeper.resolve_timeout.count() < 1)
    throw ConfigError(
        "pins.replication, pins.resolve_timeout and keeper.heartbeat_interval must be positive");
  p.keeper = std::make_unique<rpc::KeeperService>(keeper);
  p.pipeline->set_pin_check(
      [k = p.keeper.get()](const InfoHashV1& id) { return k->is_pinned(id); });

  grpc::ServerBuilder builder;
  int port = 0;
  const auto& listen = config.get("hub.listen");
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(rpc::kMaxHubMessageBytes);
  builder.RegisterService(p.hub.get());
  builder.RegisterService(p.keeper.get());
  builder.SetMaxSendMessageSize(rpc::kMaxHubMessageBytes);
  p.server = builder.BuildAndStart();
  if (!p.server || port == 0) throw std::runtime_error("cannot listen on " + listen);
  p.listen_address = listen.substr(0, listen.rfind(':') + 1) + std::to_string(port);
  log->info("hub listening on {}", p.listen_address);

  rpc::ApiServerOptions api;
  api.listen = config.get("api.listen");
  api.tls_cert_file = config.get("api.tls_cert");
  api.tls_key_file = config.get("api.tls_key");
  api.service.dsn = dsn;
  api.service.token = api_token(config);
  api.service.public_reads = config.get_bool("api.public_reads");
  // Stats calls a keeper live by the keeper service's rule.
  api.service.keeper_live_window = keeper.heartbeat_interval * rpc::kKeeperMissedHeartbeats;
  rpc::PinServiceOptions pins;
  pins.dsn = dsn;
  pins.token = api.service.token;
  pins.public_reads = api.service.public_reads;
  pins.replication = keeper.replication;
  pins.heartbeat_interval = keeper.heartbeat_interval;
  pins.drop_info_on_unpin = *policy == store::RawInfoPolicy::kPinned;
  pins.on_pinned = [k = p.keeper.get()](const InfoHashV1& id) { k->note_pinned(id); };
  pins.on_unpinned = [k = p.keeper.get()](const InfoHashV1&) { k->kick(); };
  p.pins = std::make_unique<rpc::PinService>(pins);
  api.extra_services.push_back(p.pins.get());
  p.api = std::make_unique<rpc::ApiServer>(api, *p.store);
  log->info("API listening on {}{}", p.api->address(), p.api->tls() ? " (TLS)" : "");
}

HubRuntime::~HubRuntime() {
  auto& p = *parts_;
  p.api.reset();
  p.pins.reset();
  if (p.keeper) p.keeper->close_streams();
  if (p.server) p.server->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
  p.server.reset();
  if (p.pipeline) p.pipeline->set_pin_check({});
  p.keeper.reset();
  if (p.store) p.store->close();  // commits what is queued
  p.store.reset();
  p.database.reset();  // stops an embedded cluster
}

const std::string& HubRuntime::listen_address() const { return parts_->listen_address; }

const std::string& HubRuntime::api_address() const { return parts_->api->address(); }

}  // namespace magnetar::app
