// A DHT contact as the sans-I/O crawl policy sees it: an IP address (v4 or
// v6) and a port, plus the 160-bit node id (BEP 5). Kept free of asio and
// libtorrent so the policy builds and tests without them; dht_session.cpp
// converts at the edge.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "common/infohash.hpp"

namespace magnetar::crawler::dht {

// A node id has the size of a v1 infohash (BEP 5: both are 160-bit keys).
using NodeId = InfoHashV1;

struct IpAddress {
  // IPv4 addresses use the first 4 bytes; the rest stay zero.
  std::array<std::uint8_t, 16> bytes{};
  bool v6 = false;

  static IpAddress v4_from(std::uint32_t host_order);
  // "1.2.3.4" or "::1" style; for logs and tests.
  std::string to_string() const;
  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
};

// Whether the address can be a node or peer on the public internet: not
// unspecified, loopback, private (RFC 1918, RFC 4193), shared (RFC 6598),
// link-local, documentation, benchmarking, multicast or reserved. A real
// crawler drops the others: a hostile DHT node could otherwise point our
// queries and connections at hosts of our own network.
bool is_global(const IpAddress& ip);

struct Endpoint {
  IpAddress ip;
  std::uint16_t port = 0;

  std::string to_string() const;  // "1.2.3.4:6881", "[::1]:6881"
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

struct IpAddressHash {
  std::size_t operator()(const IpAddress& a) const noexcept;
};
struct EndpointHash {
  std::size_t operator()(const Endpoint& e) const noexcept;
};

}  // namespace magnetar::crawler::dht
