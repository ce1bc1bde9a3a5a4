#include "crawler/wire/mse_random.hpp"

#include <openssl/rand.h>

#include <climits>
#include <cstdlib>

namespace magnetar::crawler::wire {

void openssl_random_bytes(std::span<std::uint8_t> out) {
  while (!out.empty()) {
    const std::size_t n = out.size() < INT_MAX ? out.size() : INT_MAX;
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) std::abort();
    out = out.subspan(n);
  }
}

}  // namespace magnetar::crawler::wire

namespace magnetar::crawler::wire {

DhPrivateKey random_dh_private_key(const RandomBytes& random) {
  DhPrivateKey key;
  random(key);
  return key;
}

std::string random_pad(const RandomBytes& random, std::size_t max_size) {
  std::uint8_t draw[2];
  random(draw);
  // Pads are at most 512 bytes: the bias of a 16-bit draw modulo 513 is harmless
  // for padding whose only purpose is to vary message sizes.
  const std::size_t size = ((std::size_t{draw[0]} << 8) | draw[1]) % (max_size + 1);
  std::string pad(size, '\0');
  random({reinterpret_cast<std::uint8_t*>(pad.data()), pad.size()});
  return pad;
}

}  // namespace magnetar::crawler::wire
