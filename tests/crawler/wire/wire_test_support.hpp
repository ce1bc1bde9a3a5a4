// Helpers shared by the peer-wire tests: byte builders for hand-written
// messages, info dicts of a chosen size, and a scripted peer assembled from
// our own encoders.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "common/infohash.hpp"
#include "common/result.hpp"
#include "common/sha.hpp"
#include "crawler/wire/handshake.hpp"
#include "crawler/wire/metadata_source.hpp"

namespace magnetar {
// GoogleTest prints Errors as "category: message at byte N".
inline void PrintTo(const Error& e, std::ostream* os) { *os << e.message(); }
}  // namespace magnetar

namespace magnetar::crawler::wire::testing {

// 4-byte big-endian length.
inline std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// <length><body>, where body is the id byte and the payload.
inline std::string frame(std::string_view body) {
  return be32(static_cast<std::uint32_t>(body.size())) + std::string(body);
}

// A framed BEP 10 extended message: <len><20><ext id><payload>.
inline std::string extended_frame(std::uint8_t ext_id, std::string_view payload) {
  std::string body;
  body += '\x14';
  body += static_cast<char>(ext_id);
  body += payload;
  return frame(body);
}

inline InfoHashV1 filled_v1(char c) { return *InfoHashV1::from_bytes(std::string(20, c)); }
inline PeerId filled_peer_id(char c) { return *PeerId::from_bytes(std::string(20, c)); }

// A bencoded info dict of exactly `size` bytes (size >= 40):
// d4:name4:test6:piecesN:<filler>e, the filler varying with `seed`.
inline std::string make_info_dict(std::size_t size, char seed = 'a') {
  const std::string head = "d4:name4:test6:pieces";
  // head + digits(n) + ':' + n + 'e' == size
  for (std::size_t digits = 1; digits < 10; ++digits) {
    const std::size_t n = size - head.size() - digits - 2;
    if (std::to_string(n).size() != digits) continue;
    std::string filler(n, '\0');
    for (std::size_t i = 0; i < n; ++i) filler[i] = static_cast<char>(seed + (i * 7) % 23);
    return head + std::to_string(n) + ":" + filler + "e";
  }
  return {};
}

inline InfoHashV1 v1_of(std::string_view info) { return InfoHashV1(sha1(info)); }
inline InfoHashV2 v2_of(std::string_view info) { return InfoHashV2(sha256(info)); }

// The 68 bytes of a handshake with the given reserved bits.
inline std::string handshake_bytes(const InfoHashV1& ih, const PeerId& id, ReservedBits bits) {
  return encode_handshake(Handshake{bits, ih, id});
}

// A MetadataSource over a map, keyed by handshake id.
class MapSource final : public MetadataSource {
 public:
  void add(const InfoHashV1& id, std::string info) {
    dicts_[id] = std::make_shared<const std::string>(std::move(info));
  }
  std::shared_ptr<const std::string> find(const InfoHashV1& id) override {
    ++lookups_;
    auto it = dicts_.find(id);
    return it == dicts_.end() ? nullptr : it->second;
  }
  int lookups() const { return lookups_; }

 private:
  std::map<InfoHashV1, std::shared_ptr<const std::string>> dicts_;
  int lookups_ = 0;
};

}  // namespace magnetar::crawler::wire::testing
