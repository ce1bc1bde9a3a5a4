#include "crawler/wire/mse_policy.hpp"

namespace magnetar::crawler::wire {
namespace {

constexpr std::uint32_t bit(CryptoMethod m) { return static_cast<std::uint32_t>(m); }

}  // namespace

std::uint32_t crypto_provide(EncryptionPolicy policy) {
  if (policy == EncryptionPolicy::kRequire) return bit(CryptoMethod::kRc4);
  return bit(CryptoMethod::kPlaintext) | bit(CryptoMethod::kRc4);
}

std::optional<CryptoMethod> select_crypto(std::uint32_t provide, EncryptionPolicy policy) {
  const bool plaintext = (provide & bit(CryptoMethod::kPlaintext)) != 0;
  const bool rc4 = (provide & bit(CryptoMethod::kRc4)) != 0;
  switch (policy) {
    case EncryptionPolicy::kPreferPlaintext:
      if (plaintext) return CryptoMethod::kPlaintext;
      if (rc4) return CryptoMethod::kRc4;
      return std::nullopt;
    case EncryptionPolicy::kPreferEncrypted:
      if (rc4) return CryptoMethod::kRc4;
      if (plaintext) return CryptoMethod::kPlaintext;
      return std::nullopt;
    case EncryptionPolicy::kRequire:
      if (rc4) return CryptoMethod::kRc4;
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<CryptoMethod> accept_crypto_select(std::uint32_t select, EncryptionPolicy policy) {
  const std::uint32_t provided = crypto_provide(policy);
  if (select == bit(CryptoMethod::kPlaintext) && (provided & select) != 0) {
    return CryptoMethod::kPlaintext;
  }
  if (select == bit(CryptoMethod::kRc4) && (provided & select) != 0) return CryptoMethod::kRc4;
  return std::nullopt;
}

bool accepts_plaintext_handshake(EncryptionPolicy policy) {
  return policy != EncryptionPolicy::kRequire;
}

ConnectMode first_connect_mode(EncryptionPolicy policy) {
  return policy == EncryptionPolicy::kPreferPlaintext ? ConnectMode::kPlaintext : ConnectMode::kMse;
}

std::optional<ConnectMode> fallback_connect_mode(EncryptionPolicy policy, ConnectMode failed) {
  switch (policy) {
    case EncryptionPolicy::kPreferPlaintext:
      if (failed == ConnectMode::kPlaintext) return ConnectMode::kMse;
      return std::nullopt;
    case EncryptionPolicy::kPreferEncrypted:
      if (failed == ConnectMode::kMse) return ConnectMode::kPlaintext;
      return std::nullopt;
    case EncryptionPolicy::kRequire:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace magnetar::crawler::wire
