#include <iostream>
#include <pqxx/pqxx>

#include "app/command.hpp"
#include "app/database.hpp"

namespace magnetar::app {

void add_migrate_command(Commands& commands) {
  commands.add(
      "migrate",
      "Apply the database migrations built into this binary (to --db-dsn, or to the embedded "
      "cluster in --data-dir)",
      [](const Config& config) {
        try {
          Database db(config, [](const schema::Migration& m) {
            std::cout << "applying " << m.version << "_" << m.name << "\n";
          });
          std::cout << "schema at version " << db.migrated().schema_version << " ("
                    << db.migrated().applied << " applied)\n";
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
