#include "common/sha.hpp"

#include <openssl/evp.h>

#include <cstdlib>

namespace magnetar {
namespace {

template <std::size_t N>
std::array<std::uint8_t, N> digest(const EVP_MD* md, std::string_view bytes) {
  std::array<std::uint8_t, N> out{};
  unsigned int len = 0;
  // Fails only on allocation failure inside OpenSSL: a bug-level condition.
  if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &len, md, nullptr) != 1 || len != N) {
    std::abort();
  }
  return out;
}

}  // namespace

std::array<std::uint8_t, 20> sha1(std::string_view bytes) { return digest<20>(EVP_sha1(), bytes); }

std::array<std::uint8_t, 32> sha256(std::string_view bytes) {
  return digest<32>(EVP_sha256(), bytes);
}

}  // namespace magnetar
