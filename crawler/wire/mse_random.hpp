// The randomness MSE needs (DH private keys, padding), injected so tests are
// deterministic. Production uses OpenSSL's CSPRNG.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "crawler/wire/dh_key_exchange.hpp"

namespace magnetar::crawler::wire {

// Fills its argument with random bytes.
using RandomBytes = std::function<void(std::span<std::uint8_t>)>;

// OpenSSL RAND_bytes. Aborts if the CSPRNG fails (it cannot be seeded: a
// broken host, not a peer's doing).
void openssl_random_bytes(std::span<std::uint8_t> out);

// A fresh 160-bit DH private key.
DhPrivateKey random_dh_private_key(const RandomBytes& random);

// Random padding of a random length in [0, max_size].
std::string random_pad(const RandomBytes& random, std::size_t max_size);

}  // namespace magnetar::crawler::wire
