// The PostgreSQL server of scripts/with-postgres, for *_pgtest.cpp tests.
// A test that needs it and finds no server fails loudly: it never skips.
#pragma once

#include <string>

namespace magnetar::testing {

// MAGNETAR_TEST_DSN, or throws (failing the test) with a message saying to run
// the tests through scripts/with-postgres (scripts/test does).
std::string server_dsn();

// A fresh, empty database on the test server, dropped when this goes away.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  // A connection string for this database.
  const std::string& dsn() const { return dsn_; }

 private:
  std::string name_;
  std::string dsn_;
};

}  // namespace magnetar::testing
