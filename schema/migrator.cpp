#include "schema/migrator.hpp"

#include <map>
#include <pqxx/pqxx>

#include "common/codec.hpp"
#include "common/sha.hpp"

namespace magnetar::schema {
namespace {

// pg_advisory_lock key shared by every magnetar process migrating one database.
constexpr long long kMigrationLockKey = 0x6d61676e6574;  // "magnet"

std::string checksum(std::string_view sql) {
  const auto digest = sha256(sql);
  return to_hex({reinterpret_cast<const char*>(digest.data()), digest.size()});
}

void check_order(const std::vector<Migration>& migrations) {
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      throw MigrationError("migrations out of order: " + std::to_string(migrations[i].version) +
                           " after " + std::to_string(migrations[i - 1].version));
    }
  }
}

bool has_version_table(pqxx::transaction_base& tx) {
  return !tx.exec1("SELECT to_regclass('schema_version') IS NULL")[0].as<bool>();
}

// Releases the session-level advisory lock on every exit path.
class MigrationLock {
 public:
  explicit MigrationLock(pqxx::connection_base& db) : db_(db) {
    pqxx::nontransaction(db_).exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) +
                                   ")");
  }
  ~MigrationLock() {
    try {
      pqxx::nontransaction(db_).exec("SELECT pg_advisory_unlock(" +
                                     std::to_string(kMigrationLockKey) + ")");
    } catch (...) {
      // The connection is gone; the server released the lock with the session.
    }
  }

 private:
  pqxx::connection_base& db_;
};

}  // namespace

int schema_version(pqxx::connection_base& db) {
  pqxx::read_transaction tx(db);
  if (!has_version_table(tx)) return 0;
  return tx.exec1("SELECT coalesce(max(version), 0) FROM schema_version")[0].as<int>();
}

MigrateResult migrate(pqxx::connection_base& db, const std::vector<Migration>& migrations,
                      const MigrateProgress& progress) {
  check_order(migrations);
  MigrationLock lock(db);

  // What is applied already, with checksums.
  std::map<int, std::string> applied;
  {
    pqxx::read_transaction tx(db);
    if (has_version_table(tx)) {
      for (const auto& row : tx.exec("SELECT version, checksum FROM schema_version")) {
        applied[row[0].as<int>()] = row[1].as<std::string>();
      }
    }
  }
  const int known = migrations.empty() ? 0 : migrations.back().version;
  if (!applied.empty() && applied.rbegin()->first > known) {
    throw MigrationError("database schema version " + std::to_string(applied.rbegin()->first) +
                         " is newer than this binary's " + std::to_string(known) +
                         ": upgrade magnetar");
  }

  MigrateResult result;
  for (const auto& m : migrations) {
    const auto sum = checksum(m.sql);
    if (auto it = applied.find(m.version); it != applied.end()) {
      if (it->second != sum) {
        throw MigrationError("migration " + std::to_string(m.version) + "_" + m.name +
                             " was changed after it was applied");
      }
      continue;
    }
    if (progress) progress(m);
    try {
      pqxx::work tx(db);
      tx.exec(std::string(m.sql));
      tx.exec_params("INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3)",
                     m.version, m.name, sum);
      tx.commit();
    } catch (const pqxx::sql_error& e) {
      throw MigrationError("migration " + std::to_string(m.version) + "_" + m.name +
                           " failed: " + e.what());
    }
    ++result.applied;
  }
  result.schema_version = schema_version(db);
  return result;
}

}  // namespace magnetar::schema
