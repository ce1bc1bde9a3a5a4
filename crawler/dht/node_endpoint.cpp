#include "crawler/dht/node_endpoint.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace magnetar::crawler::dht {

IpAddress IpAddress::v4_from(std::uint32_t host_order) {
  IpAddress a;
  a.bytes[0] = static_cast<std::uint8_t>(host_order >> 24);
  a.bytes[1] = static_cast<std::uint8_t>(host_order >> 16);
  a.bytes[2] = static_cast<std::uint8_t>(host_order >> 8);
  a.bytes[3] = static_cast<std::uint8_t>(host_order);
  return a;
}

std::string IpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (::inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), text, sizeof text) == nullptr) return "?";
  return text;
}

std::string Endpoint::to_string() const {
  const std::string ip_text = ip.to_string();
  return (ip.v6 ? "[" + ip_text + "]" : ip_text) + ":" + std::to_string(port);
}

std::size_t IpAddressHash::operator()(const IpAddress& a) const noexcept {
  // FNV-1a: addresses are attacker-chosen, but the maps they key are
  // bounded (frontier cap), so a collision flood costs time, not memory.
  std::uint64_t h = 1469598103934665603ull;
  for (const auto b : a.bytes) h = (h ^ b) * 1099511628211ull;
  return static_cast<std::size_t>(h ^ (a.v6 ? 0x9e3779b97f4a7c15ull : 0));
}

std::size_t EndpointHash::operator()(const Endpoint& e) const noexcept {
  return IpAddressHash{}(e.ip) * 31 + e.port;
}

}  // namespace magnetar::crawler::dht
