#include "app/cli.hpp"

#include <cstdlib>
#include <iostream>
#include <map>

#include "app/command.hpp"
#include "app/settings.hpp"
#include "common/log.hpp"

namespace magnetar::app {

CLI::App* Commands::add(const std::string& name, const std::string& help, CommandBody body) {
  auto* sub = app_.add_subcommand(name, help);
  sub->callback([this, body = std::move(body)] { exit_code_ = body(config_); });
  return sub;
}

int run_cli(int argc, char** argv) {
  CLI::App app{
      "magnetar: a self-hosted BitTorrent DHT crawler and indexer.\n"
      "Settings come from a TOML file (--config or MAGNETAR_CONFIG), then MAGNETAR_* environment\n"
      "variables, then the flags below; the later wins.",
      "magnetar"};
  app.require_subcommand(1);
  app.fallthrough();  // settings flags may follow the subcommand

  Config config(all_settings());
  std::string config_file;
  app.add_option("--config", config_file, "TOML settings file")->envname("MAGNETAR_CONFIG");
  std::map<std::string, std::string> flags;
  for (const auto& s : config.settings()) {
    auto* opt = app.add_option("--" + Config::flag_name(s.key), flags[s.key], s.help);
    opt->default_str(s.default_value);
    opt->group("Settings");
  }
  // Load every layer once the command line is parsed, before any subcommand runs.
  app.parse_complete_callback([&] {
    if (!config_file.empty()) config.load_file(config_file);
    config.load_env([](const char* name) { return std::getenv(name); });
    for (const auto& s : config.settings()) {
      if (app.get_option("--" + Config::flag_name(s.key))->count() > 0) {
        config.set_flag(s.key, flags[s.key]);
      }
    }
    init_logging(config.get("log.level"));
  });

  Commands commands(app, config);
  add_version_command(commands);
  add_status_command(commands);
  add_migrate_command(commands);
  add_serve_command(commands);
  add_reclassify_command(commands);
  add_crawl_command(commands);
  add_search_command(commands);
  add_show_command(commands);
  add_stats_command(commands);
  add_block_command(commands);
  add_pin_command(commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help exits 0; any usage error exits 2, as is usual for command lines.
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const ConfigError& e) {
    std::cerr << "magnetar: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "magnetar: " << e.what() << "\n";
    return 1;
  }
  return commands.exit_code();
}

}  // namespace magnetar::app
