// The real `magnetar` binary, run as a user would.
#include <gtest/gtest.h>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace magnetar {
namespace {

using testing::run_command;

TEST(Cli, HelpListsTheSubcommandsAndSettings) {
  auto r = run_command({MAGNETAR_BINARY, "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"version", "status", "migrate", "--db-dsn", "--log-level", "--config"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word << " missing from:\n" << r.out;
  }
}

TEST(Cli, VersionNamesTheLibraries) {
  auto r = run_command({MAGNETAR_BINARY, "version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("magnetar ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("libtorrent-rasterbar 2.0.8"), std::string::npos) << r.out;
}

TEST(Cli, NoSubcommandIsAUsageError) {
  auto r = run_command({MAGNETAR_BINARY});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("subcommand is required"), std::string::npos) << r.out;
}

TEST(Cli, SettingsLayersAreShownWithTheirOrigin) {
  testing::TempDir dir;
  auto file = dir.write("m.toml", "data_dir = \"/from/file\"\n[log]\nlevel = \"warn\"\n");
  auto r =
      run_command({MAGNETAR_BINARY, "status", "--config", file.string(), "--log-level", "error"},
                  {"MAGNETAR_DB_DSN=host=/nowhere"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("/from/file"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("error                (flag --log-level)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(env MAGNETAR_DB_DSN)"), std::string::npos) << r.out;
}

TEST(Cli, BadSettingsExitWithAOneLineReason) {
  testing::TempDir dir;
  auto file = dir.write("m.toml", "[db]\ndns = \"typo\"\n");
  auto r = run_command({MAGNETAR_BINARY, "status", "--config", file.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("unknown setting 'db.dns'"), std::string::npos) << r.out;

  r = run_command({MAGNETAR_BINARY, "status", "--log-level", "loud"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("log.level"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace magnetar
