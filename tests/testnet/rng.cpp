#include "tests/testnet/rng.hpp"

#include <cassert>

namespace magnetar::testnet {

namespace {

// SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective mix of 64 bits.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;

}  // namespace

std::uint64_t Rng::derive(std::uint64_t seed, std::uint64_t stream) {
  return mix(mix(seed) ^ mix(stream * kGoldenGamma + 1));
}

std::uint64_t Rng::next() {
  state_ += kGoldenGamma;
  return mix(state_);
}

std::uint64_t Rng::between(std::uint64_t lo, std::uint64_t hi) {
  assert(lo <= hi);
  const std::uint64_t span = hi - lo + 1;
  if (span == 0) return next();  // the full 64-bit range
  // The modulo bias is below 2^-40 for the small ranges used here.
  return lo + next() % span;
}

double Rng::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::string Rng::bytes(std::size_t n) {
  std::string out(n, '\0');
  fill(out.data(), n);
  return out;
}

void Rng::fill(char* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t v = next();
    // Little-endian order whatever the machine, so the bytes match everywhere.
    for (int k = 0; k < 8; ++k, v >>= 8)
      out[i + static_cast<std::size_t>(k)] = static_cast<char>(v & 0xff);
  }
  if (i < n) {
    std::uint64_t v = next();
    for (; i < n; ++i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  }
}

}  // namespace magnetar::testnet
