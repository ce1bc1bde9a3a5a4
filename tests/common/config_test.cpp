#include "common/config.hpp"

#include <gtest/gtest.h>

#include <map>

#include "tests/support/temp_dir.hpp"

namespace magnetar {
namespace {

Config make_config() {
  return Config({{"db.dsn", "", "PostgreSQL connection string"},
                 {"crawler.max_fetches", "200", "fetches in flight"},
                 {"crawler.enabled", "true", "run the crawler"},
                 {"crawler.routers", "a:1, b:2", "DHT routers"},
                 {"ratio", "0.5", "a number"}});
}

TEST(Config, NamesEnvironmentVariablesAndFlagsAfterTheKey) {
  EXPECT_EQ(Config::env_name("crawler.max_fetches"), "MAGNETAR_CRAWLER_MAX_FETCHES");
  EXPECT_EQ(Config::flag_name("crawler.max_fetches"), "crawler-max-fetches");
}

TEST(Config, DefaultsApplyWhenNothingIsGiven) {
  auto c = make_config();
  EXPECT_EQ(c.get_int("crawler.max_fetches"), 200);
  EXPECT_TRUE(c.get_bool("crawler.enabled"));
  EXPECT_EQ(c.get_list("crawler.routers"), (std::vector<std::string>{"a:1", "b:2"}));
  EXPECT_DOUBLE_EQ(c.get_double("ratio"), 0.5);
  EXPECT_EQ(c.origin("db.dsn"), "default");
}

TEST(Config, FlagBeatsEnvironmentBeatsFile) {
  testing::TempDir dir;
  auto file = dir.write("magnetar.toml",
                        "[db]\ndsn = \"from-file\"\n[crawler]\nmax_fetches = 10\n"
                        "enabled = false\nrouters = [\"x:1\", \"y:2\"]\n");
  auto c = make_config();
  c.load_file(file);
  EXPECT_EQ(c.get("db.dsn"), "from-file");
  EXPECT_EQ(c.get_int("crawler.max_fetches"), 10);
  EXPECT_FALSE(c.get_bool("crawler.enabled"));
  EXPECT_EQ(c.get_list("crawler.routers"), (std::vector<std::string>{"x:1", "y:2"}));

  std::map<std::string, std::string> env{{"MAGNETAR_DB_DSN", "from-env"},
                                         {"MAGNETAR_CRAWLER_MAX_FETCHES", "20"}};
  c.load_env([&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  EXPECT_EQ(c.get("db.dsn"), "from-env");
  EXPECT_EQ(c.origin("db.dsn"), "env MAGNETAR_DB_DSN");
  EXPECT_EQ(c.get_int("crawler.max_fetches"), 20);

  c.set_flag("db.dsn", "from-flag");
  EXPECT_EQ(c.get("db.dsn"), "from-flag");
  EXPECT_EQ(c.origin("db.dsn"), "flag --db-dsn");
  EXPECT_EQ(c.get_int("crawler.max_fetches"), 20);
}

TEST(Config, UnknownKeyInAFileIsAnErrorWithItsLine) {
  auto c = make_config();
  try {
    c.load_toml("[db]\ndsn = \"x\"\ndns = \"typo\"\n", "test.toml");
    FAIL() << "accepted an unknown key";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "test.toml:3: unknown setting 'db.dns'");
  }
}

TEST(Config, SyntaxErrorNamesLineAndColumn) {
  auto c = make_config();
  try {
    c.load_toml("[db]\ndsn = \n", "test.toml");
    FAIL() << "accepted bad TOML";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("test.toml:2:"), std::string::npos) << e.what();
  }
}

TEST(Config, BadValuesAreErrorsThatNameTheirOrigin) {
  auto c = make_config();
  c.set_flag("crawler.max_fetches", "lots");
  try {
    (void)c.get_int("crawler.max_fetches");
    FAIL() << "accepted a non-integer";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(
        e.what(),
        "crawler.max_fetches (flag --crawler-max-fetches): expected an integer, got 'lots'");
  }
  c.set_flag("crawler.enabled", "maybe");
  EXPECT_THROW((void)c.get_bool("crawler.enabled"), ConfigError);
  EXPECT_THROW(c.set_flag("no.such", "1"), ConfigError);
  EXPECT_THROW(c.load_file("/nonexistent/magnetar.toml"), ConfigError);
}

}  // namespace
}  // namespace magnetar
