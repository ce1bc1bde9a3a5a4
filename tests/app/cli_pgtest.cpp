// `magnetar migrate` against a real PostgreSQL.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar {
namespace {

using testing::run_command;

TEST(CliMigrate, AppliesOnceThenReportsNothingToDo) {
  testing::TestDatabase db;
  auto first = run_command({MAGNETAR_BINARY, "migrate", "--db-dsn", db.dsn()});
  EXPECT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("applying 1_schema_version"), std::string::npos) << first.out;
  auto second = run_command({MAGNETAR_BINARY, "migrate", "--db-dsn", db.dsn()});
  EXPECT_EQ(second.exit_code, 0) << second.out;
  EXPECT_EQ(second.out.find("applying"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("(0 applied)"), std::string::npos) << second.out;
}

TEST(CliMigrate, WithoutADsnMigratesTheEmbeddedCluster) {
  testing::TempDir dir;
  // Run as root, PostgreSQL runs as `postgres` and must pass through the dir.
  std::filesystem::permissions(dir.path(), std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  const auto data = (dir.path() / "data").string();
  auto first = run_command({MAGNETAR_BINARY, "migrate", "--data-dir", data}, {"MAGNETAR_DB_DSN="});
  EXPECT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("applying 1_schema_version"), std::string::npos) << first.out;
  auto second = run_command({MAGNETAR_BINARY, "migrate", "--data-dir", data}, {"MAGNETAR_DB_DSN="});
  EXPECT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("(0 applied)"), std::string::npos) << second.out;
}

TEST(CliReclassify, RunsOverTheIndexAndReportsCounts) {
  testing::TestDatabase db;
  auto migrated = run_command({MAGNETAR_BINARY, "migrate", "--db-dsn", db.dsn()});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.out;
  {
    pqxx::connection c(db.dsn());
    pqxx::work tx(c);
    tx.exec(
        "INSERT INTO torrents (first_seen, last_seen, total_size, file_count, piece_length, "
        "source, private, id, name) VALUES (now(), now(), 1, 1, 16384, 1, false, "
        "'\\x0101010101010101010101010101010101010101', 'Some.Movie.2004.720p.BluRay.x264-GRP')");
    tx.commit();
  }
  auto r = run_command({MAGNETAR_BINARY, "reclassify", "--db-dsn", db.dsn()});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("reclassify 100% 1/1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reclassified 1 torrents: 1 changed, 0 blocked"), std::string::npos)
      << r.out;
  pqxx::connection c(db.dsn());
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT year FROM torrents")[0].as<int>(), 2004);
}

TEST(CliMigrate, UnreachableServerIsAClearError) {
  testing::TempDir dir;
  auto r = run_command({MAGNETAR_BINARY, "migrate", "--db-dsn",
                        "host=" + dir.path().string() + " port=1 connect_timeout=5"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("cannot connect to PostgreSQL"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace magnetar
