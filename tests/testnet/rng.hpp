// A small deterministic pseudo-random generator (SplitMix64). The standard
// library's distributions are implementation-defined, so the generated
// torrents would differ between standard libraries; this one gives the same
// sequence everywhere for a given seed.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace magnetar::testnet {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  // A seed for an independent stream, e.g. one per torrent, so that torrent
  // i is the same whatever the number of torrents generated.
  static std::uint64_t derive(std::uint64_t seed, std::uint64_t stream);

  std::uint64_t next();
  // Uniform in [lo, hi] (inclusive); lo <= hi.
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi);
  // Uniform in [0, 1).
  double unit();
  bool chance(double p) { return unit() < p; }
  // `n` pseudo-random bytes.
  std::string bytes(std::size_t n);
  void fill(char* out, std::size_t n);

  template <class T>
  const T& pick(std::span<const T> items) {
    return items[between(0, items.size() - 1)];
  }

 private:
  std::uint64_t state_;
};

}  // namespace magnetar::testnet
