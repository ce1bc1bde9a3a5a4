// Applies the numbered SQL migrations of schema/migrations/ to a PostgreSQL
// database: each once, in order, each in its own transaction together with its
// row in schema_version. Safe to run from several processes at once (an
// advisory lock serialises them) and any number of times (a no-op when up to
// date).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace magnetar::schema {

struct Migration {
  int version;
  std::string name;
  std::string_view sql;
};

// The migrations compiled into this binary, by ascending version.
const std::vector<Migration>& builtin_migrations();

class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MigrateResult {
  int applied = 0;         // migrations applied by this call
  int schema_version = 0;  // the version the database is at afterwards
};

// Called before each migration is applied.
using MigrateProgress = std::function<void(const Migration&)>;

// Throws MigrationError when a migration fails (that migration is rolled
// back; earlier ones stay), when the database is newer than the binary, or
// when an applied migration's SQL has changed since.
MigrateResult migrate(pqxx::connection_base& db,
                      const std::vector<Migration>& migrations = builtin_migrations(),
                      const MigrateProgress& progress = {});

// 0 for an empty database.
int schema_version(pqxx::connection_base& db);

}  // namespace magnetar::schema
