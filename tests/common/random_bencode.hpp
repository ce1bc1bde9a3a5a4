// Random bencode values for round-trip and differential tests.
#pragma once

#include <random>
#include <string>

#include "common/bencode_value.hpp"

namespace magnetar::bencode::testing {

inline std::string random_bytes(std::mt19937_64& rng, std::size_t max_len) {
  std::string s(std::uniform_int_distribution<std::size_t>(0, max_len)(rng), '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

inline std::int64_t random_integer(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0:
      return static_cast<std::int64_t>(rng() % 10);
    case 1:
      return -static_cast<std::int64_t>(rng() % 1000);
    case 2:
      return static_cast<std::int64_t>(rng());  // any 64-bit value
    default:
      return static_cast<std::int64_t>(rng() % 100000);
  }
}

inline Value random_value(std::mt19937_64& rng, int depth) {
  const auto kind = depth <= 0 ? rng() % 2 : rng() % 4;
  switch (kind) {
    case 0:
      return Value(random_integer(rng));
    case 1:
      return Value(random_bytes(rng, 12));
    case 2: {
      List l;
      for (auto n = rng() % 5; n > 0; --n) l.push_back(random_value(rng, depth - 1));
      return Value(std::move(l));
    }
    default: {
      Dict d;
      for (auto n = rng() % 5; n > 0; --n) d[random_bytes(rng, 6)] = random_value(rng, depth - 1);
      return Value(std::move(d));
    }
  }
}

}  // namespace magnetar::bencode::testing
