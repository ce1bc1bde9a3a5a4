#include "app/database.hpp"

#include <pqxx/pqxx>

#include "common/log.hpp"
#include "indexer/postgres/embedded_cluster.hpp"

namespace magnetar::app {

Database::Database(const Config& config, const schema::MigrateProgress& progress)
    : dsn_(config.get("db.dsn")) {
  if (dsn_.empty()) {
    indexer::postgres::ClusterOptions options;
    options.data_dir = config.get("data_dir");
    options.pg_bin = config.get("db.pg_bin");
    options.server_user = config.get("db.embedded_user");
    for (const auto& item : config.get_list("db.embedded_settings")) {
      const auto eq = item.find('=');
      if (eq == std::string::npos) {
        throw ConfigError("db.embedded_settings: expected name=value, got '" + item + "'");
      }
      options.settings.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    }
    std::filesystem::create_directories(options.data_dir);
    logger("db")->info("starting the embedded PostgreSQL in {}",
                       (options.data_dir / "postgres").string());
    cluster_ = std::make_unique<indexer::postgres::EmbeddedCluster>(std::move(options));
    cluster_->start();
    dsn_ = cluster_->dsn();
  }
  pqxx::connection db(dsn_);
  migrated_ = schema::migrate(db, schema::builtin_migrations(), progress);
}

Database::~Database() = default;  // ~EmbeddedCluster stops the cluster (fast)

}  // namespace magnetar::app
