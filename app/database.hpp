// The hub's PostgreSQL: the server of db.dsn when set, else a private cluster
// embedded under data_dir (started here, stopped when this goes away), with
// the migrations applied either way.
#pragma once

#include <memory>
#include <string>

#include "common/config.hpp"
#include "schema/migrator.hpp"

namespace magnetar::indexer::postgres {
class EmbeddedCluster;
}

namespace magnetar::app {

class Database {
 public:
  // Throws ClusterError, MigrationError, pqxx errors, ConfigError.
  Database(const Config& config, const schema::MigrateProgress& progress = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& dsn() const { return dsn_; }
  bool embedded() const { return cluster_ != nullptr; }
  const schema::MigrateResult& migrated() const { return migrated_; }

 private:
  std::unique_ptr<indexer::postgres::EmbeddedCluster> cluster_;  // stopped after everything else
  std::string dsn_;
  schema::MigrateResult migrated_;
};

}  // namespace magnetar::app
