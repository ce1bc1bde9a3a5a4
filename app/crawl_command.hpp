// The crawl node as the `magnetar` executable runs it: built from the
// crawler.* settings, by `magnetar crawl` (against a remote hub) and by
// `magnetar up` (in-process, against the local hub).
#pragma once

#include <csignal>
#include <memory>
#include <string>

#include "common/config.hpp"

namespace magnetar::crawler::pipeline {
class CrawlNode;
}

namespace magnetar::app {

// A crawl node from the settings, shipping to `hub` ("host:port") with the
// cluster token; not started. Throws ConfigError on a bad setting.
std::unique_ptr<crawler::pipeline::CrawlNode> make_crawl_node(const Config& config,
                                                              const std::string& hub,
                                                              const std::string& token);

// Waits for one of `signals` (blocked in every thread), printing the node's
// progress line to stderr every few seconds meanwhile (node may be null).
// Returns the signal taken.
int wait_for_stop(const sigset_t& signals, const crawler::pipeline::CrawlNode* node);

// An address to reach a server listening on `listen` from this machine:
// a wildcard host (0.0.0.0, [::]) becomes loopback.
std::string local_address(const std::string& listen);

}  // namespace magnetar::app
