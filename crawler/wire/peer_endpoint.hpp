// A peer's IPv4 or IPv6 address and TCP port, as carried in compact form
// on the wire (BEP 23 / BEP 7 / BEP 11). Plain bytes, no socket types, so the
// codecs stay sans-I/O; the socket loop converts to its endpoint type.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace magnetar::crawler::wire {

struct PeerEndpoint {
  bool v6 = false;
  // IPv4 uses the first 4 bytes; the rest stay zero.
  std::array<std::uint8_t, 16> address{};
  std::uint16_t port = 0;

  static PeerEndpoint v4_from(const std::array<std::uint8_t, 4>& a, std::uint16_t port);
  static PeerEndpoint v6_from(const std::array<std::uint8_t, 16>& a, std::uint16_t port);
  // From compact bytes: 6 (IPv4 + port) or 18 (IPv6 + port), port big-endian.
  static PeerEndpoint from_compact(std::string_view compact);
  // The compact form: 6 or 18 bytes.
  void append_compact(std::string& out) const;

  // "1.2.3.4:6881", "[2001:db8::1]:6881" (IPv6 printed in full hex groups).
  std::string to_string() const;

  friend auto operator<=>(const PeerEndpoint&, const PeerEndpoint&) = default;
};

}  // namespace magnetar::crawler::wire
