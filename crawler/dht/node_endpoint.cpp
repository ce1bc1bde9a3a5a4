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

namespace {

// a.b.c.d within prefix/bits (both in host order).
bool in_v4(std::uint32_t a, std::uint32_t prefix, int bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (prefix & mask);
}

bool is_global_v4(std::uint32_t a) {
  struct Range {
    std::uint32_t prefix;
    int bits;
  };
  // IANA special-purpose registry (RFC 6890 and successors), the ranges that
  // are never reachable public unicast.
  static constexpr Range kNotGlobal[] = {
      {0x00000000, 8},   // 0.0.0.0/8 "this network"
      {0x0a000000, 8},   // 10/8 private
      {0x64400000, 10},  // 100.64/10 carrier-grade NAT
      {0x7f000000, 8},   // 127/8 loopback
      {0xa9fe0000, 16},  // 169.254/16 link-local
      {0xac100000, 12},  // 172.16/12 private
      {0xc0000000, 24},  // 192.0.0/24 protocol assignments
      {0xc0000200, 24},  // 192.0.2/24 documentation
      {0xc0a80000, 16},  // 192.168/16 private
      {0xc6120000, 15},  // 198.18/15 benchmarking
      {0xc6336400, 24},  // 198.51.100/24 documentation
      {0xcb007100, 24},  // 203.0.113/24 documentation
      {0xe0000000, 4},   // 224/4 multicast
      {0xf0000000, 4},   // 240/4 reserved, broadcast
  };
  for (const auto& r : kNotGlobal) {
    if (in_v4(a, r.prefix, r.bits)) return false;
  }
  return true;
}

}  // namespace

bool is_global(const IpAddress& ip) {
  const auto& b = ip.bytes;
  if (!ip.v6) {
    return is_global_v4(std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 |
                        std::uint32_t{b[2]} << 8 | b[3]);
  }
  bool zero_prefix = true;  // ::/96 (unspecified, loopback, v4-compatible)
  for (int i = 0; i < 12; ++i) zero_prefix = zero_prefix && b[i] == 0;
  if (zero_prefix) return false;
  bool mapped = b[10] == 0xff && b[11] == 0xff;  // ::ffff:a.b.c.d
  for (int i = 0; i < 10; ++i) mapped = mapped && b[i] == 0;
  if (mapped) {
    return is_global_v4(std::uint32_t{b[12]} << 24 | std::uint32_t{b[13]} << 16 |
                        std::uint32_t{b[14]} << 8 | b[15]);
  }
  if ((b[0] & 0xfe) == 0xfc) return false;                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;  // fe80::/10 link-local
  if (b[0] == 0xff) return false;                           // ff00::/8 multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;  // 2001:db8::/32
  return true;
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
