#include "bench/corpus/bench_database.hpp"

#include <pqxx/pqxx>

#include "schema/migrator.hpp"

namespace magnetar::bench {

std::string create_bench_database(const std::string& server_dsn, const std::string& name) {
  drop_bench_database(server_dsn, name);
  {
    pqxx::connection admin(server_dsn);
    pqxx::nontransaction(admin).exec("CREATE DATABASE " + admin.quote_name(name));
  }
  const std::string dsn = server_dsn + " dbname=" + name;
  pqxx::connection c(dsn);
  schema::migrate(c);
  return dsn;
}

void drop_bench_database(const std::string& server_dsn, const std::string& name) {
  pqxx::connection admin(server_dsn);
  pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + admin.quote_name(name) +
                                   " WITH (FORCE)");
}

}  // namespace magnetar::bench
