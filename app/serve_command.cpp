#include <csignal>
#include <iostream>

#include "app/command.hpp"
#include "app/crawl_command.hpp"
#include "app/hub_runtime.hpp"
#include "common/log.hpp"
#include "crawler/pipeline/crawl_node.hpp"

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

int run_hub(const Config& config, const char* what, bool with_crawler) {
  const auto signals = block_stop_signals();
  try {
    HubRuntime hub(config);
    std::cout << "magnetar " << what << ": hub on " << hub.listen_address() << ", API on "
              << hub.api_address() << "; Ctrl-C to stop" << std::endl;
    // `up`: a crawler node in-process, shipping to the hub above.
    std::unique_ptr<crawler::pipeline::CrawlNode> crawl;
    if (with_crawler && config.get_bool("crawler.enabled")) {
      crawl = make_crawl_node(config, local_address(hub.listen_address()), cluster_token(config));
      crawl->start();
    }
    const int signal = wait_for_stop(signals, crawl.get());
    logger("hub")->info("stopping ({})", signal == SIGINT ? "SIGINT" : "SIGTERM");
    if (crawl) crawl->stop();
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
               [](const Config& config) { return run_hub(config, "serve", false); });
  commands.add("up", "Run everything on this machine: the hub and a crawler node shipping to it",
               [](const Config& config) { return run_hub(config, "up", true); });
}

}  // namespace magnetar::app
