#include <csignal>
#include <iostream>

#include "app/command.hpp"
#include "app/hub_runtime.hpp"
#include "common/log.hpp"

namespace magnetar::app {
namespace {

// Blocks SIGINT and SIGTERM in this thread and every thread it starts
// afterwards, so they can be taken with sigwait() instead of a handler.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int run_hub(const Config& config, const char* what) {
  const auto signals = block_stop_signals();
  try {
    HubRuntime hub(config);
    std::cout << "magnetar " << what << ": hub on " << hub.listen_address() << "; Ctrl-C to stop"
              << std::endl;
    int signal = 0;
    sigwait(&signals, &signal);
    logger("hub")->info("stopping ({})", signal == SIGINT ? "SIGINT" : "SIGTERM");
  } catch (const std::exception& e) {
    std::cerr << "magnetar " << what << ": " << e.what() << "\n";
    return 1;
  }
  logger("hub")->info("stopped");
  return 0;
}

}  // namespace

void add_serve_command(Commands& commands) {
  commands.add("serve",
               "Run the hub: PostgreSQL (embedded unless --db-dsn), the indexer and the gRPC "
               "service crawler nodes ship to",
               [](const Config& config) { return run_hub(config, "serve"); });
  commands.add("up",
               "Run everything on this machine (for now the hub: the crawler joins when it lands)",
               [](const Config& config) { return run_hub(config, "up"); });
}

}  // namespace magnetar::app
