// The Diffie-Hellman exchange of Message Stream Encryption: the 768-bit prime
// P of the MSE spec (the Oakley group 1 prime), generator 2, 160-bit private
// keys, public keys and the shared secret S as 96-byte big-endian numbers,
// left-padded with zeros.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.hpp"

namespace magnetar::crawler::wire {

// 768 bits: the size of P, so of every public key and of S (MSE spec).
inline constexpr std::size_t kDhKeySize = 96;
// Private keys of 160 bits, as the spec recommends ("Xa and Xb ... at least 128 bits").
inline constexpr std::size_t kDhPrivateKeySize = 20;

using DhKey = std::array<std::uint8_t, kDhKeySize>;
using DhPrivateKey = std::array<std::uint8_t, kDhPrivateKeySize>;

// The prime P, big-endian.
const DhKey& dh_prime();

class DhGroup;

class DhKeyExchange {
 public:
  // Computes the public key 2^x mod P of the private key x (big-endian).
  explicit DhKeyExchange(const DhPrivateKey& private_key);
  // The same through `group`'s prepared tables (several times cheaper); the
  // group must outlive this object and be used on this thread only.
  DhKeyExchange(const DhPrivateKey& private_key, DhGroup& group);

  const DhKey& public_key() const { return public_key_; }

  // S = remote^x mod P. Fails with MseErrc::kBadPublicKey unless
  // 2 <= remote <= P-2: 0, 1 and P-1 (and anything >= P) give a shared
  // secret an eavesdropper knows.
  Result<DhKey> shared_secret(std::span<const std::uint8_t, kDhKeySize> remote) const;

 private:
  DhPrivateKey private_key_;
  DhKey public_key_;
  DhGroup* group_ = nullptr;
};

}  // namespace magnetar::crawler::wire
