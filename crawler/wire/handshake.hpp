// The BEP 3 peer-wire handshake: <pstrlen=19><"BitTorrent protocol">
// <8 reserved bytes><20-byte infohash><20-byte peer id>, 68 bytes in all.
// For a v2-only torrent the infohash field carries the truncated SHA-256
// (BEP 52).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/infohash.hpp"
#include "common/result.hpp"

namespace magnetar::crawler::wire {

inline constexpr std::string_view kProtocolString = "BitTorrent protocol";               // BEP 3
inline constexpr std::size_t kHandshakeSize = 1 + kProtocolString.size() + 8 + 20 + 20;  // 68

using PeerId = Digest<20>;

// The 8 reserved bytes. Each extension claims one bit.
struct ReservedBits {
  std::array<std::uint8_t, 8> bytes{};

  // BEP 10 extension protocol: reserved[5] & 0x10.
  bool extension_protocol() const { return (bytes[5] & 0x10) != 0; }
  // BEP 6 fast extension: reserved[7] & 0x04.
  bool fast_extension() const { return (bytes[7] & 0x04) != 0; }
  // BEP 5 DHT (the peer answers the 'port' message): reserved[7] & 0x01.
  bool dht() const { return (bytes[7] & 0x01) != 0; }

  ReservedBits& set_extension_protocol(bool on = true) { return set(5, 0x10, on); }
  ReservedBits& set_fast_extension(bool on = true) { return set(7, 0x04, on); }
  ReservedBits& set_dht(bool on = true) { return set(7, 0x01, on); }

  friend bool operator==(const ReservedBits&, const ReservedBits&) = default;

 private:
  ReservedBits& set(std::size_t byte, std::uint8_t mask, bool on) {
    bytes[byte] = on ? (bytes[byte] | mask) : (bytes[byte] & ~mask);
    return *this;
  }
};

struct Handshake {
  ReservedBits reserved;
  InfoHashV1 info_hash;  // v1, or the truncated v2 (BEP 52)
  PeerId peer_id;

  friend bool operator==(const Handshake&, const Handshake&) = default;
};

// Appends the 68 handshake bytes to out.
void append_handshake(const Handshake& h, std::string& out);
std::string encode_handshake(const Handshake& h);

// Decodes a handshake at the start of input, which may be partial: nullopt
// means "need more bytes" (kHandshakeSize in all). A wrong pstrlen or pstr is
// reported as soon as its first wrong byte is available, so a peer speaking
// another protocol (or MSE) is recognised early. Bytes after the first
// kHandshakeSize are not looked at.
Result<std::optional<Handshake>> decode_handshake(std::string_view input);

}  // namespace magnetar::crawler::wire
