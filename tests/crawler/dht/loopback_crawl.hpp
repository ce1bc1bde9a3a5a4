// Helpers for the loopback tests of the crawler's DHT side: a DHT session
// configuration for 127.0.0.0/8 (no routers, no LSD/UPnP/NAT-PMP/IP
// notifier), endpoint conversion, and a bounded wait on an io_context.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <libtorrent/socket.hpp>

#include "crawler/dht/dht_session.hpp"
#include "tests/testnet/loopback_settings.hpp"

namespace magnetar::crawler::dht::nettest {

// Crawler sessions sit past any testnet address (loopback_address(k)).
inline constexpr std::size_t kCrawlerAddress = 60'000;
inline constexpr std::size_t kClientAddress = 60'001;

inline DhtSessionConfig loopback_session(std::size_t address = kCrawlerAddress) {
  DhtSessionConfig c;
  c.listen_interfaces = testnet::loopback_address(address) + ":0";
  c.routers.clear();
  c.loopback = true;
  c.local_discovery = false;
  c.port_mapping = false;
  return c;
}

inline Endpoint to_endpoint(const lt::udp::endpoint& e) {
  IpAddress ip;
  const auto b = e.address().to_v4().to_bytes();
  std::copy(b.begin(), b.end(), ip.bytes.begin());
  return {ip, e.port()};
}

inline Endpoint to_endpoint(const lt::tcp::endpoint& e) {
  return to_endpoint(lt::udp::endpoint(e.address(), e.port()));
}

// Runs `io` until `done()` holds or `limit` passes; returns done().
inline bool run_until(boost::asio::io_context& io, std::chrono::milliseconds limit,
                      const std::function<bool()>& done) {
  // A previous wait's guard going away stopped the io_context.
  io.restart();
  auto guard = boost::asio::make_work_guard(io);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(10));
  }
  return done();
}

// Records what a DhtSession reports.
struct RecordingEvents : DhtEvents {
  std::vector<SampleReply> samples;
  std::vector<std::pair<InfoHashV1, std::vector<Endpoint>>> peers;
  std::vector<std::pair<InfoHashV1, Endpoint>> announces;
  std::vector<InfoHashV1> lookups;
  std::optional<RoutingTableStats> table;
  std::optional<DhtCounters> counters;

  void on_sample_reply(const SampleReply& r) override { samples.push_back(r); }
  void on_get_peers_reply(const InfoHashV1& ih, const std::vector<Endpoint>& p) override {
    peers.emplace_back(ih, p);
  }
  void on_incoming_announce(const InfoHashV1& ih, const Endpoint& peer) override {
    announces.emplace_back(ih, peer);
  }
  void on_incoming_get_peers(const InfoHashV1& ih) override { lookups.push_back(ih); }
  void on_routing_table(const RoutingTableStats& s) override { table = s; }
  void on_counters(const DhtCounters& c) override { counters = c; }
};

}  // namespace magnetar::crawler::dht::nettest
