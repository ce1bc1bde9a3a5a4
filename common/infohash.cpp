#include "common/infohash.hpp"

#include <algorithm>
#include <cassert>

#include "common/codec.hpp"

namespace magnetar {

template <std::size_t N>
std::optional<Digest<N>> Digest<N>::from_bytes(std::string_view raw) {
  if (raw.size() != N) return std::nullopt;
  std::array<std::uint8_t, N> bytes;
  std::memcpy(bytes.data(), raw.data(), N);
  return Digest(bytes);
}

template <std::size_t N>
std::optional<Digest<N>> Digest<N>::from_hex(std::string_view hex) {
  if (hex.size() != 2 * N) return std::nullopt;
  auto raw = magnetar::from_hex(hex);
  if (!raw) return std::nullopt;
  return from_bytes(*raw);
}

template <std::size_t N>
std::string Digest<N>::hex() const {
  return to_hex(view());
}

template class Digest<20>;
template class Digest<32>;

InfoHashV1 truncate(const InfoHashV2& v2) {
  std::array<std::uint8_t, 20> bytes;
  std::copy_n(v2.bytes().begin(), 20, bytes.begin());
  return InfoHashV1(bytes);
}

std::string to_base32(const InfoHashV1& v1) { return magnetar::to_base32(v1.view()); }

std::optional<InfoHashV1> v1_from_base32(std::string_view text) {
  if (text.size() != 32) return std::nullopt;
  auto raw = from_base32(text);
  if (!raw) return std::nullopt;
  return InfoHashV1::from_bytes(*raw);
}

InfoHashV1 InfoHashes::id() const {
  assert(!empty());
  return v1 ? *v1 : truncate(*v2);
}

}  // namespace magnetar
