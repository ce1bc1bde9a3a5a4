#include "tests/testnet/rng.hpp"

#include <gtest/gtest.h>

#include <set>

namespace magnetar::testnet {
namespace {

// The generated torrents must be the same on every machine and standard
// library: pin the sequence (SplitMix64 of Steele, Lea and Flood).
TEST(Rng, ProducesTheSplitMix64Sequence) {
  Rng rng(0);
  EXPECT_EQ(rng.next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(rng.next(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(rng.next(), 0x06c45d188009454fULL);
}

TEST(Rng, SameSeedSameStream) {
  Rng a(123), b(123);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(), b.next());
}

TEST(Rng, DerivedSeedsDifferPerStream) {
  std::set<std::uint64_t> seeds;
  for (std::uint64_t i = 0; i < 1000; ++i) seeds.insert(Rng::derive(7, i));
  EXPECT_EQ(seeds.size(), 1000u);
  EXPECT_NE(Rng::derive(7, 0), Rng::derive(8, 0));
}

TEST(Rng, BetweenStaysInRangeAndReachesBothEnds) {
  Rng rng(5);
  bool lo = false, hi = false;
  for (int i = 0; i < 1000; ++i) {
    const auto v = rng.between(3, 6);
    ASSERT_GE(v, 3u);
    ASSERT_LE(v, 6u);
    lo |= v == 3;
    hi |= v == 6;
  }
  EXPECT_TRUE(lo);
  EXPECT_TRUE(hi);
  EXPECT_EQ(rng.between(9, 9), 9u);
}

TEST(Rng, UnitIsInTheHalfOpenInterval) {
  Rng rng(6);
  for (int i = 0; i < 1000; ++i) {
    const double u = rng.unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

TEST(Rng, BytesAreTheFilledBytes) {
  Rng a(9), b(9);
  const std::string bytes = a.bytes(13);
  char filled[13];
  b.fill(filled, sizeof filled);
  EXPECT_EQ(bytes, std::string(filled, sizeof filled));
}

}  // namespace
}  // namespace magnetar::testnet
