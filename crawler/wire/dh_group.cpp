#include "crawler/wire/dh_group.hpp"

#include <openssl/bn.h>

#include <cstddef>
#include <cstdlib>
#include <vector>

#include "crawler/wire/mse_errors.hpp"

namespace magnetar::crawler::wire {
namespace {

// The fixed-base table: x is read in 4-bit digits, digit i weighing 16^i.
// kDhPrivateKeySize bytes hold 2 digits each; each digit d in 1..15 has the
// entry 2^(d * 16^i) (digit 0 multiplies by nothing).
constexpr std::size_t kDigitBits = 4;
constexpr std::size_t kDigits = kDhPrivateKeySize * 8 / kDigitBits;
constexpr std::size_t kDigitValues = (1u << kDigitBits) - 1;

// OpenSSL fails these calls only when out of memory: not a peer's doing.
template <class T>
T checked(T value) {
  if (!value) std::abort();
  return value;
}

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

Bn new_bn() { return Bn(checked(BN_new())); }

}  // namespace

struct DhGroup::State {
  struct CtxFree {
    void operator()(BN_CTX* ctx) const { BN_CTX_free(ctx); }
  };
  struct MontFree {
    void operator()(BN_MONT_CTX* mont) const { BN_MONT_CTX_free(mont); }
  };

  std::unique_ptr<BN_CTX, CtxFree> ctx{checked(BN_CTX_new())};
  std::unique_ptr<BN_MONT_CTX, MontFree> mont{checked(BN_MONT_CTX_new())};
  Bn p = new_bn();
  Bn p_minus_1 = new_bn();
  // Reused for every call: no allocation per exchange.
  Bn x = new_bn();
  Bn y = new_bn();
  Bn result = new_bn();
  // table[i * kDigitValues + d - 1] = 2^(d * 16^i) mod P, Montgomery form.
  std::vector<Bn> table;

  Bn mont_mul(const BIGNUM* a, const BIGNUM* b) {
    Bn r = new_bn();
    checked(BN_mod_mul_montgomery(r.get(), a, b, mont.get(), ctx.get()));
    return r;
  }
};

namespace {

DhKey to_key(const BIGNUM* bn) {
  DhKey out{};
  if (BN_bn2binpad(bn, out.data(), static_cast<int>(out.size())) != static_cast<int>(out.size())) {
    std::abort();  // the value is reduced mod P, so it always fits
  }
  return out;
}

}  // namespace

DhGroup::DhGroup() : state_(std::make_unique<State>()) {
  State& s = *state_;
  const DhKey& prime = dh_prime();
  checked(BN_bin2bn(prime.data(), static_cast<int>(prime.size()), s.p.get()));
  checked(BN_copy(s.p_minus_1.get(), s.p.get()));
  checked(BN_sub_word(s.p_minus_1.get(), 1));
  checked(BN_MONT_CTX_set(s.mont.get(), s.p.get(), s.ctx.get()));

  // g walks 2^(16^i); each row is g^1..g^15, and g^16 = g^15 * g starts the
  // next row: 600 multiplications in all.
  Bn g = new_bn();
  checked(BN_set_word(s.y.get(), 2));
  checked(BN_to_montgomery(g.get(), s.y.get(), s.mont.get(), s.ctx.get()));
  s.table.reserve(kDigits * kDigitValues);
  for (std::size_t i = 0; i < kDigits; ++i) {
    s.table.push_back(Bn(checked(BN_dup(g.get()))));
    for (std::size_t d = 2; d <= kDigitValues; ++d) {
      s.table.push_back(s.mont_mul(s.table.back().get(), g.get()));
    }
    g = s.mont_mul(s.table.back().get(), g.get());
  }
}

DhGroup::~DhGroup() = default;

DhKey DhGroup::public_key(const DhPrivateKey& x) {
  State& s = *state_;
  BIGNUM* acc = s.result.get();
  bool started = false;
  for (std::size_t i = 0; i < kDigits; ++i) {
    // Digit i from the least significant end of the big-endian key.
    const std::uint8_t byte = x[kDhPrivateKeySize - 1 - i / 2];
    const unsigned digit = (i % 2 == 0) ? (byte & 0x0f) : (byte >> 4);
    if (digit == 0) continue;
    const BIGNUM* entry = s.table[i * kDigitValues + digit - 1].get();
    if (started) {
      checked(BN_mod_mul_montgomery(acc, acc, entry, s.mont.get(), s.ctx.get()));
    } else {
      checked(BN_copy(acc, entry));
      started = true;
    }
  }
  if (!started) {
    checked(BN_one(acc));  // x = 0: 2^0
    return to_key(acc);
  }
  checked(BN_from_montgomery(acc, acc, s.mont.get(), s.ctx.get()));
  return to_key(acc);
}

Result<DhKey> DhGroup::shared_secret(std::span<const std::uint8_t, kDhKeySize> remote,
                                     const DhPrivateKey& x) {
  State& s = *state_;
  checked(BN_bin2bn(remote.data(), static_cast<int>(remote.size()), s.y.get()));
  if (BN_cmp(s.y.get(), BN_value_one()) <= 0 || BN_cmp(s.y.get(), s.p_minus_1.get()) >= 0) {
    return MseErrc::kBadPublicKey;
  }
  checked(BN_bin2bn(x.data(), static_cast<int>(x.size()), s.x.get()));
  // Not constant-time, like DhKeyExchange: one-shot keys, obfuscation only.
  checked(
      BN_mod_exp_mont(s.result.get(), s.y.get(), s.x.get(), s.p.get(), s.ctx.get(), s.mont.get()));
  BN_clear(s.x.get());
  return to_key(s.result.get());
}

}  // namespace magnetar::crawler::wire
