#include "app/crawl_command.hpp"

#include <unistd.h>

#include <boost/asio/ip/address.hpp>
#include <ctime>
#include <iostream>

#include "app/command.hpp"
#include "common/log.hpp"
#include "crawler/pipeline/crawl_node.hpp"
#include "crawler/state/state_error.hpp"

namespace magnetar::app {
namespace {

using crawler::pipeline::CrawlCounters;
using crawler::pipeline::CrawlNode;

// How often the progress line is printed.
constexpr std::chrono::seconds kProgressInterval{5};

crawler::wire::EncryptionPolicy encryption_policy(const Config& config) {
  const auto& v = config.get("crawler.encryption");
  if (v == "prefer_plaintext") return crawler::wire::EncryptionPolicy::kPreferPlaintext;
  if (v == "prefer_encrypted") return crawler::wire::EncryptionPolicy::kPreferEncrypted;
  if (v == "require") return crawler::wire::EncryptionPolicy::kRequire;
  throw ConfigError(
      "crawler.encryption: expected prefer_plaintext, prefer_encrypted or require, "
      "got '" +
      v + "'");
}

// "1.2.3.4:6881" or "[::1]:6881" as a DHT endpoint; nullopt for a host name.
std::optional<crawler::dht::Endpoint> literal_endpoint(const std::string& host_port) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string::npos) {
    throw ConfigError("crawler.bootstrap: expected host:port, got '" + host_port + "'");
  }
  std::string host = host_port.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  try {
    port = std::stoi(host_port.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (port <= 0 || port > 65535) {
    throw ConfigError("crawler.bootstrap: bad port in '" + host_port + "'");
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return std::nullopt;
  crawler::dht::Endpoint e;
  e.port = static_cast<std::uint16_t>(port);
  if (address.is_v6()) {
    e.ip.v6 = true;
    e.ip.bytes = address.to_v6().to_bytes();
  } else {
    const auto b = address.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), e.ip.bytes.begin());
  }
  return e;
}

std::string node_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "crawler";
  return host;
}

int run_crawl(const Config& config) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const auto& hub = config.get("crawler.hub");
  const auto& token = config.get("crawler.token");
  if (token.empty()) {
    std::cerr << "magnetar crawl: no cluster token (--token, crawler.token or "
                 "MAGNETAR_CRAWLER_TOKEN; the hub keeps it in its data_dir/cluster-token)\n";
    return 2;
  }
  try {
    auto node = make_crawl_node(config, hub, token);
    node->start();
    std::cout << "magnetar crawl: shipping to " << hub << "; Ctrl-C to stop" << std::endl;
    const int signal = wait_for_stop(signals, node.get());
    logger("crawler")->info("stopping ({})", signal == SIGINT ? "SIGINT" : "SIGTERM");
    node->stop();
  } catch (const ConfigError& e) {
    std::cerr << "magnetar crawl: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "magnetar crawl: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

std::unique_ptr<CrawlNode> make_crawl_node(const Config& config, const std::string& hub,
                                           const std::string& token) {
  crawler::pipeline::CrawlNodeOptions o;
  o.session.listen_interfaces = config.get("crawler.listen");
  o.session.routers = config.get_list("crawler.routers");
  o.session.bandwidth_cap = config.get_int("crawler.bandwidth");
  if (o.session.bandwidth_cap < 0)
    throw ConfigError("crawler.bandwidth: expected bytes per second, 0 for no cap");
  for (const auto& b : config.get_list("crawler.bootstrap")) {
    if (const auto e = literal_endpoint(b)) {
      o.dht.seeds.push_back(*e);
    } else {
      o.session.routers.push_back(b);  // a host name: libtorrent resolves routers
    }
  }
  const auto concurrency = config.get_int("crawler.concurrency");
  if (concurrency < 1 || concurrency > 100'000) {
    throw ConfigError("crawler.concurrency: expected 1 to 100000");
  }
  o.concurrency = static_cast<std::size_t>(concurrency);
  o.fetcher.encryption = encryption_policy(config);
  o.state.data_dir = config.get("data_dir");
  o.hub.address = hub;
  o.hub.token = token;
  o.shipper.node_id =
      config.get("crawler.node_id").empty() ? node_name() : config.get("crawler.node_id");
  const double report_seconds = config.get_double("crawler.report_interval");
  if (!(report_seconds >= 0.1 && report_seconds <= 86'400)) {
    throw ConfigError("crawler.report_interval: expected 0.1 to 86400 seconds");
  }
  o.report_interval = std::chrono::milliseconds(static_cast<std::int64_t>(report_seconds * 1000));
  if (config.get_bool("crawler.testnet")) {
    // A magnetar-testnet on 127.x: libtorrent accepts loopback nodes (and
    // fetches go to loopback peers), and its few infohashes per node are
    // worth asking again as soon as the nodes allow.
    o.session.loopback = true;
    o.dht.sampler.min_expected_yield = 0;
    // Its torrents have a seeder or two: fetch from the first one found
    // instead of waiting out the lookup for more.
    o.dht.lookups.enough_peers = 1;
  }
  const double retry_seconds = config.get_double("crawler.retry_delay");
  if (!(retry_seconds >= 1 && retry_seconds <= 86'400)) {
    throw ConfigError("crawler.retry_delay: expected 1 to 86400 seconds");
  }
  o.state.retry.first_delay = std::chrono::seconds(static_cast<std::int64_t>(retry_seconds));
  if (config.get_bool("keeper.enabled")) {
    crawler::keeper::KeeperNodeOptions k;
    k.announce_address = config.get("keeper.announce_address");
    const auto port = config.get_int("keeper.peer_port");
    if (port < 0 || port > 65'535) throw ConfigError("keeper.peer_port: expected 0 to 65535");
    k.peer_port = static_cast<std::uint16_t>(port);
    const auto budget = config.get_int("keeper.announce_budget");
    if (budget < 1 || budget > 100'000) {
      throw ConfigError("keeper.announce_budget: expected 1 to 100000 announces per second");
    }
    k.dht_announce.budget_per_second = static_cast<std::size_t>(budget);
    const auto heartbeat = config.get_int("keeper.heartbeat_interval");
    if (heartbeat < 1) throw ConfigError("keeper.heartbeat_interval: expected at least 1 second");
    k.heartbeat_interval = std::chrono::seconds(heartbeat);
    k.encryption = o.fetcher.encryption;
    k.fetcher = o.fetcher;
    o.session.port_mapping = config.get_bool("keeper.upnp");
    o.keeper = std::move(k);
  }
  return std::make_unique<CrawlNode>(std::move(o));
}

int wait_for_stop(const sigset_t& signals, const CrawlNode* node) {
  CrawlCounters before = node ? node->counters() : CrawlCounters{};
  auto since = std::chrono::steady_clock::now();
  for (;;) {
    timespec timeout{};
    timeout.tv_sec = kProgressInterval.count();
    const int signal = sigtimedwait(&signals, nullptr, &timeout);
    if (signal > 0) return signal;
    if (!node) continue;
    const auto now = std::chrono::steady_clock::now();
    const auto counters = node->counters();
    std::cerr << crawler::pipeline::progress_line(
                     before, counters, std::chrono::duration<double>(now - since).count())
              << std::endl;
    before = counters;
    since = now;
  }
}

std::string local_address(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return listen;
  const auto host = listen.substr(0, colon);
  if (host == "0.0.0.0" || host.empty()) return "127.0.0.1" + listen.substr(colon);
  if (host == "[::]") return "[::1]" + listen.substr(colon);
  return listen;
}

void add_crawl_command(Commands& commands) {
  // --hub and --token are shorthands of --crawler-hub and --crawler-token.
  auto hub = std::make_shared<std::string>();
  auto token = std::make_shared<std::string>();
  auto* sub = commands.add(
      "crawl", "Run a crawler node: crawl the DHT, fetch info dicts, ship them to the hub",
      [hub, token](const Config& loaded) {
        Config config = loaded;
        if (!hub->empty()) config.set_flag("crawler.hub", *hub);
        if (!token->empty()) config.set_flag("crawler.token", *token);
        return run_crawl(config);
      });
  sub->add_option("--hub", *hub, "hub address host:port (crawler.hub)");
  sub->add_option("--token", *token,
                  "cluster token (crawler.token; MAGNETAR_CRAWLER_TOKEN keeps it off the "
                  "command line)");
}

}  // namespace magnetar::app
