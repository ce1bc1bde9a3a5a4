#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/codec.hpp"
#include "crawler/wire/dh_group.hpp"
#include "crawler/wire/dh_key_exchange.hpp"
#include "crawler/wire/mse_errors.hpp"

namespace magnetar::crawler::wire {
namespace {

DhPrivateKey private_key(std::uint8_t last) {
  DhPrivateKey key{};
  key.back() = last;
  return key;
}

// A 96-byte big-endian key holding a small value.
DhKey small_key(std::uint8_t value) {
  DhKey key{};
  key.back() = value;
  return key;
}

DhKey prime_minus(std::uint8_t k) {
  DhKey key = dh_prime();
  key.back() = static_cast<std::uint8_t>(key.back() - k);  // P ends in 0x63: no borrow
  return key;
}

std::string hex(const DhKey& key) {
  return to_hex({reinterpret_cast<const char*>(key.data()), key.size()});
}

TEST(DhKeyExchange, PrimeIsTheOneFromTheMseSpec) {
  EXPECT_EQ(hex(dh_prime()),
            "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a"
            "08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9"
            "a63a36210000000000090563");
}

TEST(DhKeyExchange, PublicKeyIsTwoToThePrivateKeyLeftPaddedTo96Bytes) {
  EXPECT_EQ(DhKeyExchange(private_key(1)).public_key(), small_key(2));
  DhKey two_to_the_8{};
  two_to_the_8[94] = 0x01;  // 0x0100
  EXPECT_EQ(DhKeyExchange(private_key(8)).public_key(), two_to_the_8);
  DhKey two_to_the_100{};
  two_to_the_100[96 - 13] = 0x10;  // 2^100 = 0x10 followed by 12 zero bytes
  EXPECT_EQ(DhKeyExchange(private_key(100)).public_key(), two_to_the_100);
}

TEST(DhKeyExchange, SharedSecretIsRemoteToThePrivateKeyModP) {
  const DhKeyExchange x2(private_key(2));
  // (P-2)^2 = 4 mod P
  const Result<DhKey> s = x2.shared_secret(prime_minus(2));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, small_key(4));
  const Result<DhKey> t = DhKeyExchange(private_key(3)).shared_secret(small_key(3));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, small_key(27));
}

TEST(DhKeyExchange, BothSidesDeriveTheSameSecret) {
  DhPrivateKey a{}, b{};
  for (std::size_t n = 0; n < a.size(); ++n) {
    a[n] = static_cast<std::uint8_t>(0x9d * n + 7);
    b[n] = static_cast<std::uint8_t>(0x3b * n + 201);
  }
  const DhKeyExchange alice(a), bob(b);
  const Result<DhKey> s1 = alice.shared_secret(bob.public_key());
  const Result<DhKey> s2 = bob.shared_secret(alice.public_key());
  ASSERT_TRUE(s1.ok());
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(*s1, *s2);
  EXPECT_NE(*s1, DhKey{});
}

TEST(DhKeyExchange, RejectsDegeneratePublicKeys) {
  const DhKeyExchange dh(private_key(77));
  DhKey all_ones;
  all_ones.fill(0xff);
  DhKey p_plus_1 = dh_prime();
  p_plus_1.back() += 1;
  for (const DhKey& bad : {DhKey{}, small_key(1), prime_minus(1), dh_prime(), p_plus_1, all_ones}) {
    const Result<DhKey> s = dh.shared_secret(bad);
    ASSERT_FALSE(s.ok()) << hex(bad);
    EXPECT_EQ(s.error().code, make_error_code(MseErrc::kBadPublicKey));
  }
}

TEST(DhKeyExchange, AcceptsTheExtremesOfTheValidRange) {
  const DhKeyExchange dh(private_key(77));
  EXPECT_TRUE(dh.shared_secret(small_key(2)).ok());
  EXPECT_TRUE(dh.shared_secret(prime_minus(2)).ok());
}

// Private keys that exercise every 4-bit digit of the fixed-base table: all
// zero digits, all fifteens, single bits at both ends, and random ones.
std::vector<DhPrivateKey> sample_private_keys() {
  std::vector<DhPrivateKey> keys;
  keys.push_back(private_key(1));
  keys.push_back(private_key(8));
  keys.push_back(private_key(100));
  DhPrivateKey all_ones;
  all_ones.fill(0xff);
  keys.push_back(all_ones);
  DhPrivateKey top_bit{};
  top_bit[0] = 0x80;
  keys.push_back(top_bit);
  std::mt19937 rng(2024);
  for (int n = 0; n < 64; ++n) {
    DhPrivateKey k;
    for (auto& b : k) b = static_cast<std::uint8_t>(rng() & 0xff);
    keys.push_back(k);
  }
  return keys;
}

TEST(DhGroup, PublicKeysEqualTheOneOffComputation) {
  DhGroup group;
  for (const DhPrivateKey& k : sample_private_keys()) {
    EXPECT_EQ(hex(DhKeyExchange(k, group).public_key()), hex(DhKeyExchange(k).public_key()));
  }
  EXPECT_EQ(DhKeyExchange(private_key(1), group).public_key(), small_key(2));
}

TEST(DhGroup, ZeroPrivateKeyGivesOne) {
  DhGroup group;
  EXPECT_EQ(group.public_key(DhPrivateKey{}), small_key(1));
}

TEST(DhGroup, SharedSecretsEqualTheOneOffComputation) {
  DhGroup group;
  const std::vector<DhPrivateKey> keys = sample_private_keys();
  for (std::size_t n = 0; n + 1 < keys.size(); ++n) {
    const DhKeyExchange ours(keys[n], group);
    const DhKeyExchange theirs(keys[n + 1]);
    const Result<DhKey> a = ours.shared_secret(theirs.public_key());
    const Result<DhKey> b = theirs.shared_secret(ours.public_key());
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(hex(*a), hex(*b));
    EXPECT_EQ(hex(*a), hex(*DhKeyExchange(keys[n]).shared_secret(theirs.public_key())));
  }
}

TEST(DhGroup, RejectsDegeneratePublicKeys) {
  DhGroup group;
  const DhKeyExchange dh(private_key(77), group);
  DhKey p_plus_1 = dh_prime();
  p_plus_1.back() += 1;
  for (const DhKey& bad : {DhKey{}, small_key(1), prime_minus(1), dh_prime(), p_plus_1}) {
    const Result<DhKey> s = dh.shared_secret(bad);
    ASSERT_FALSE(s.ok()) << hex(bad);
    EXPECT_EQ(s.error().code, make_error_code(MseErrc::kBadPublicKey));
  }
  EXPECT_TRUE(dh.shared_secret(small_key(2)).ok());
  EXPECT_TRUE(dh.shared_secret(prime_minus(2)).ok());
}

}  // namespace
}  // namespace magnetar::crawler::wire
