#include "tests/support/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <pqxx/pqxx>
#include <random>
#include <stdexcept>

namespace magnetar::testing {

std::string server_dsn() {
  const char* dsn = std::getenv("MAGNETAR_TEST_DSN");
  if (dsn == nullptr || *dsn == '\0') {
    throw std::runtime_error(
        "MAGNETAR_TEST_DSN is not set: PostgreSQL tests run through scripts/with-postgres "
        "(scripts/test does that)");
  }
  return dsn;
}

TestDatabase::TestDatabase() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  name_ = "magnetar_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
          std::to_string(rd() % 100000);
  const auto server = server_dsn();
  pqxx::connection admin(server);
  pqxx::nontransaction(admin).exec("CREATE DATABASE " + admin.quote_name(name_));
  dsn_ = server + " dbname=" + name_;  // a later dbname overrides the server's
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(server_dsn());
    pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + admin.quote_name(name_) +
                                     " WITH (FORCE)");
  } catch (const std::exception&) {
    // The server went away with the test run; the cluster is removed anyway.
  }
}

}  // namespace magnetar::testing
