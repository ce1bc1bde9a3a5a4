#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "schema/migrator.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::schema {
namespace {

using testing::TestDatabase;

int count_rows(pqxx::connection& c, const std::string& table) {
  pqxx::read_transaction tx(c);
  return tx.exec1("SELECT count(*) FROM " + table)[0].as<int>();
}

TEST(Migrator, AppliesTheBuiltinMigrationsOnceAndIsANoOpTheSecondTime) {
  TestDatabase db;
  pqxx::connection c(db.dsn());
  EXPECT_EQ(schema_version(c), 0);

  const auto first = migrate(c);
  const int latest = builtin_migrations().back().version;
  EXPECT_EQ(first.applied, static_cast<int>(builtin_migrations().size()));
  EXPECT_EQ(first.schema_version, latest);
  EXPECT_EQ(count_rows(c, "schema_version"), static_cast<int>(builtin_migrations().size()));

  std::string before;
  {
    pqxx::read_transaction tx(c);
    before = tx.exec1(
                   "SELECT string_agg(version || ':' || checksum || ':' || applied_at, ',' "
                   "ORDER BY version) FROM schema_version")[0]
                 .as<std::string>();
  }
  const auto second = migrate(c);
  EXPECT_EQ(second.applied, 0);
  EXPECT_EQ(second.schema_version, latest);
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT string_agg(version || ':' || checksum || ':' || applied_at, ',' "
                     "ORDER BY version) FROM schema_version")[0]
                .as<std::string>(),
            before);
}

TEST(Migrator, AppliesOnlyTheNewMigrationsInOrder) {
  TestDatabase db;
  pqxx::connection c(db.dsn());
  std::vector<Migration> list = builtin_migrations();
  migrate(c, list);

  list.push_back({900, "first", "CREATE TABLE t900 (x int); INSERT INTO t900 VALUES (1);"});
  list.push_back({901, "second", "INSERT INTO t900 VALUES (2);"});
  std::vector<int> seen;
  const auto r = migrate(c, list, [&](const Migration& m) { seen.push_back(m.version); });
  EXPECT_EQ(r.applied, 2);
  EXPECT_EQ(r.schema_version, 901);
  EXPECT_EQ(seen, (std::vector<int>{900, 901}));
  EXPECT_EQ(count_rows(c, "t900"), 2);
}

TEST(Migrator, AFailingMigrationIsRolledBackWhole) {
  TestDatabase db;
  pqxx::connection c(db.dsn());
  std::vector<Migration> list = builtin_migrations();
  list.push_back({900, "good", "CREATE TABLE t_good (x int);"});
  list.push_back({901, "bad", "CREATE TABLE t_bad (x int); SELECT no_such_function();"});
  EXPECT_THROW(migrate(c, list), MigrationError);
  EXPECT_EQ(schema_version(c), 900);
  pqxx::read_transaction tx(c);
  EXPECT_TRUE(tx.exec1("SELECT to_regclass('t_bad') IS NULL")[0].as<bool>());
  EXPECT_FALSE(tx.exec1("SELECT to_regclass('t_good') IS NULL")[0].as<bool>());
}

TEST(Migrator, RefusesADatabaseNewerThanTheBinary) {
  TestDatabase db;
  pqxx::connection c(db.dsn());
  std::vector<Migration> list = builtin_migrations();
  list.push_back({900, "future", "SELECT 1;"});
  migrate(c, list);
  try {
    migrate(c);
    FAIL() << "migrated a newer database";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this binary"), std::string::npos);
  }
}

TEST(Migrator, RefusesAnAppliedMigrationWhoseSqlChanged) {
  TestDatabase db;
  pqxx::connection c(db.dsn());
  std::vector<Migration> list = builtin_migrations();
  list.push_back({900, "x", "CREATE TABLE tx (x int);"});
  migrate(c, list);
  list.back().sql = "CREATE TABLE tx (x bigint);";
  EXPECT_THROW(migrate(c, list), MigrationError);
}

TEST(Migrator, RefusesMigrationsOutOfOrder) {
  TestDatabase db;
  pqxx::connection c(db.dsn());
  std::vector<Migration> list{{2, "b", "SELECT 1;"}, {1, "a", "SELECT 1;"}};
  EXPECT_THROW(migrate(c, list), MigrationError);
}

}  // namespace
}  // namespace magnetar::schema
