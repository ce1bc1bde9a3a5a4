#include <iostream>
#include <pqxx/pqxx>

#include "app/command.hpp"
#include "schema/migrator.hpp"

namespace magnetar::app {

void add_migrate_command(Commands& commands) {
  commands.add(
      "migrate", "Apply the database migrations built into this binary (--db-dsn)",
      [](const Config& config) {
        const auto& dsn = config.get("db.dsn");
        if (dsn.empty()) {
          std::cerr << "magnetar migrate: no database given: set --db-dsn or MAGNETAR_DB_DSN\n";
          return 2;
        }
        try {
          pqxx::connection db(dsn);
          const auto r =
              schema::migrate(db, schema::builtin_migrations(), [](const schema::Migration& m) {
                std::cout << "applying " << m.version << "_" << m.name << "\n";
              });
          std::cout << "schema at version " << r.schema_version << " (" << r.applied
                    << " applied)\n";
          return 0;
        } catch (const pqxx::broken_connection& e) {
          std::cerr << "magnetar migrate: cannot connect to PostgreSQL: " << e.what() << "\n";
          return 1;
        } catch (const std::exception& e) {
          std::cerr << "magnetar migrate: " << e.what() << "\n";
          return 1;
        }
      });
}

}  // namespace magnetar::app
