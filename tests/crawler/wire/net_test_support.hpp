// Helpers of the socket tests of crawler/wire (*_nettest.cpp): bounded runs
// of an io_context, and testnet options that start fast.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>

#include "tests/testnet/testnet.hpp"

namespace magnetar::crawler::wire::testing {

using Clock = std::chrono::steady_clock;

// Runs `io` until `done()` holds or `limit` passed; returns done(). Every
// wait of a test goes through here (or is otherwise bounded).
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  const auto until = Clock::now() + limit;
  while (!done() && Clock::now() < until) {
    io.restart();
    io.run_for(std::chrono::milliseconds(5));
  }
  return done();
}

// A small testnet of seeders only (no DHT announces: tests hand the
// endpoints in), so it starts in about a second.
inline testnet::TestnetOptions seeders_only(
    std::size_t seeders, std::size_t torrents, std::size_t copies,
    testnet::Encryption encryption = testnet::Encryption::kPlaintextAllowed) {
  testnet::TestnetOptions o;
  o.dht_nodes = 0;
  o.seeders = seeders;
  o.copies = copies;
  o.announce = false;
  o.join_degree = 1;
  o.encryption = encryption;
  o.generator.count = torrents;
  return o;
}

}  // namespace magnetar::crawler::wire::testing
