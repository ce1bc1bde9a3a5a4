// How subcommands plug into the `magnetar` executable: each registers itself
// on the CLI11 app and gets the loaded Config when it runs.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "common/config.hpp"

namespace magnetar::app {

// Runs a subcommand with the final Config; returns the process exit code.
using CommandBody = std::function<int(const Config&)>;

// The settings layers are loaded and logging set up before the body runs.
class Commands {
 public:
  Commands(CLI::App& app, Config& config) : app_(app), config_(config) {}
  CLI::App* add(const std::string& name, const std::string& help, CommandBody body);
  // Exit code of the subcommand that ran (0 when none ran).
  int exit_code() const { return exit_code_; }

 private:
  CLI::App& app_;
  Config& config_;
  int exit_code_ = 0;
};

void add_version_command(Commands& commands);
void add_status_command(Commands& commands);
void add_migrate_command(Commands& commands);
void add_serve_command(Commands& commands);
void add_reclassify_command(Commands& commands);
void add_crawl_command(Commands& commands);
// Clients of the public API (api_client.hpp).
void add_search_command(Commands& commands);
void add_show_command(Commands& commands);  // show, torrent-file
void add_stats_command(Commands& commands);
void add_block_command(Commands& commands);  // delete, block
void add_pin_command(Commands& commands);    // pin, unpin, pins

}  // namespace magnetar::app
