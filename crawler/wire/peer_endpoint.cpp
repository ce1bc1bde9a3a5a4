#include "crawler/wire/peer_endpoint.hpp"

#include <cassert>
#include <cstdio>
#include <cstring>

namespace magnetar::crawler::wire {

PeerEndpoint PeerEndpoint::v4_from(const std::array<std::uint8_t, 4>& a, std::uint16_t port) {
  PeerEndpoint e;
  std::memcpy(e.address.data(), a.data(), a.size());
  e.port = port;
  return e;
}

PeerEndpoint PeerEndpoint::v6_from(const std::array<std::uint8_t, 16>& a, std::uint16_t port) {
  PeerEndpoint e;
  e.v6 = true;
  e.address = a;
  e.port = port;
  return e;
}

PeerEndpoint PeerEndpoint::from_compact(std::string_view compact) {
  assert(compact.size() == 6 || compact.size() == 18);
  PeerEndpoint e;
  const std::size_t n = compact.size() - 2;
  e.v6 = n == 16;
  std::memcpy(e.address.data(), compact.data(), n);
  e.port = static_cast<std::uint16_t>((static_cast<std::uint8_t>(compact[n]) << 8) |
                                      static_cast<std::uint8_t>(compact[n + 1]));
  return e;
}

void PeerEndpoint::append_compact(std::string& out) const {
  out.append(reinterpret_cast<const char*>(address.data()), v6 ? 16 : 4);
  out += static_cast<char>(port >> 8);
  out += static_cast<char>(port & 0xff);
}

std::string PeerEndpoint::to_string() const {
  char buf[64];
  if (!v6) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u:%u", address[0], address[1], address[2], address[3],
                  port);
    return buf;
  }
  std::string out = "[";
  for (int i = 0; i < 8; ++i) {
    if (i) out += ':';
    std::snprintf(buf, sizeof buf, "%x", (address[2 * i] << 8) | address[2 * i + 1]);
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "]:%u", port);
  out += buf;
  return out;
}

}  // namespace magnetar::crawler::wire
