#include "crawler/wire/handshake.hpp"

#include <algorithm>
#include <cstring>

#include "crawler/wire/wire_errors.hpp"

namespace magnetar::crawler::wire {
namespace {

constexpr std::size_t kReservedOffset = 1 + kProtocolString.size();  // 20
constexpr std::size_t kInfoHashOffset = kReservedOffset + 8;         // 28
constexpr std::size_t kPeerIdOffset = kInfoHashOffset + 20;          // 48

}  // namespace

void append_handshake(const Handshake& h, std::string& out) {
  out.reserve(out.size() + kHandshakeSize);
  out += static_cast<char>(kProtocolString.size());
  out += kProtocolString;
  out.append(reinterpret_cast<const char*>(h.reserved.bytes.data()), h.reserved.bytes.size());
  out += h.info_hash.view();
  out += h.peer_id.view();
}

std::string encode_handshake(const Handshake& h) {
  std::string out;
  append_handshake(h, out);
  return out;
}

Result<std::optional<Handshake>> decode_handshake(std::string_view input) {
  if (input.empty()) return std::optional<Handshake>();
  if (static_cast<std::uint8_t>(input[0]) != kProtocolString.size()) {
    return Error(WireErrc::kBadProtocolString, 0);
  }
  const std::size_t pstr_seen = std::min(input.size() - 1, kProtocolString.size());
  for (std::size_t i = 0; i < pstr_seen; ++i) {
    if (input[1 + i] != kProtocolString[i]) return Error(WireErrc::kBadProtocolString, 1 + i);
  }
  if (input.size() < kHandshakeSize) return std::optional<Handshake>();

  Handshake h;
  std::memcpy(h.reserved.bytes.data(), input.data() + kReservedOffset, h.reserved.bytes.size());
  h.info_hash = *InfoHashV1::from_bytes(input.substr(kInfoHashOffset, 20));
  h.peer_id = *PeerId::from_bytes(input.substr(kPeerIdOffset, 20));
  return std::optional<Handshake>(h);
}

}  // namespace magnetar::crawler::wire
