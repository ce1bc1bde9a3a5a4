// Infohashes: v1 is the SHA-1 of the bencoded info dict (BEP 3), v2 its
// SHA-256 (BEP 52). A hybrid torrent has both. Where a 20-byte id is needed
// (DHT, peer-wire handshake), a v2 hash is truncated to its first 20 bytes.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace magnetar {

template <std::size_t N>
class Digest {
 public:
  static constexpr std::size_t kSize = N;

  Digest() : bytes_{} {}
  explicit Digest(const std::array<std::uint8_t, N>& bytes) : bytes_(bytes) {}

  // nullopt unless exactly N bytes.
  static std::optional<Digest> from_bytes(std::string_view raw);
  // nullopt unless exactly 2N hex digits (either case).
  static std::optional<Digest> from_hex(std::string_view hex);

  const std::array<std::uint8_t, N>& bytes() const { return bytes_; }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  std::string hex() const;

  friend auto operator<=>(const Digest&, const Digest&) = default;

 private:
  std::array<std::uint8_t, N> bytes_;
};

using InfoHashV1 = Digest<20>;
using InfoHashV2 = Digest<32>;

// The first 20 bytes of a v2 infohash: its id in the DHT and handshakes (BEP 52).
InfoHashV1 truncate(const InfoHashV2& v2);

// RFC 4648 base32 (32 characters), the older magnet form of a v1 infohash.
std::string to_base32(const InfoHashV1& v1);
std::optional<InfoHashV1> v1_from_base32(std::string_view text);

// The infohashes of one torrent: v1, v2 or both (hybrid).
struct InfoHashes {
  std::optional<InfoHashV1> v1;
  std::optional<InfoHashV2> v2;

  bool empty() const { return !v1 && !v2; }
  bool hybrid() const { return v1 && v2; }
  // The 20-byte id used on the DHT and in the peer-wire handshake: v1 if
  // present, else the truncated v2.
  InfoHashV1 id() const;

  friend bool operator==(const InfoHashes&, const InfoHashes&) = default;
};

extern template class Digest<20>;
extern template class Digest<32>;

}  // namespace magnetar

template <std::size_t N>
struct std::hash<magnetar::Digest<N>> {
  std::size_t operator()(const magnetar::Digest<N>& d) const noexcept {
    std::size_t h;  // hashes are uniformly distributed already
    std::memcpy(&h, d.bytes().data(), sizeof h);
    return h;
  }
};
