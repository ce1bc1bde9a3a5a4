// Settings, from three layers where the later wins: a TOML file, MAGNETAR_*
// environment variables, then command-line flags.
//
// Every setting is declared up front with its default and help text, so a
// typo in a file or a bad value is an error at start, and `--help` can list
// them. Keys are dotted ("db.dsn"); the environment variable is MAGNETAR_ and
// the key upper-cased with '.' as '_' (MAGNETAR_DB_DSN); the flag is the key
// with '.' and '_' as '-' (--db-dsn). In a file, "db.dsn" is `dsn` in `[db]`.
// Config errors are infrastructure errors: they throw ConfigError, and the
// program exits with its one-line message.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace magnetar {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Setting {
  std::string key;            // "db.dsn"
  std::string default_value;  // as text, as it would be written in a file
  std::string help;
};

class Config {
 public:
  explicit Config(std::vector<Setting> settings);

  const std::vector<Setting>& settings() const { return settings_; }
  static std::string env_name(std::string_view key);   // MAGNETAR_DB_DSN
  static std::string flag_name(std::string_view key);  // db-dsn

  // Each layer overrides what came before. Unknown keys are errors.
  void load_file(const std::filesystem::path& file);
  void load_toml(std::string_view text, std::string_view origin);
  using GetEnv = std::function<const char*(const char*)>;
  void load_env(const GetEnv& getenv);
  void set_flag(std::string_view key, std::string value);

  const std::string& get(std::string_view key) const;
  std::int64_t get_int(std::string_view key) const;
  bool get_bool(std::string_view key) const;
  double get_double(std::string_view key) const;
  // A comma-separated value (or a TOML array) as its items, blanks dropped.
  std::vector<std::string> get_list(std::string_view key) const;
  // Where the value came from: "default", "file F", "env MAGNETAR_X", "flag --x".
  const std::string& origin(std::string_view key) const;

 private:
  struct Entry {
    std::string value;
    std::string origin;
  };
  Entry& entry(std::string_view key, std::string_view context);
  const Entry& entry(std::string_view key) const;
  [[noreturn]] void bad_value(std::string_view key, std::string_view expected) const;

  std::vector<Setting> settings_;
  std::map<std::string, Entry, std::less<>> values_;
};

}  // namespace magnetar
