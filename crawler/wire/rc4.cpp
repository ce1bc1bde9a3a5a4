#include "crawler/wire/rc4.hpp"

#include <cassert>
#include <utility>

namespace magnetar::crawler::wire {

Rc4::Rc4(std::span<const std::uint8_t> key) {
  assert(!key.empty() && key.size() <= kMaxKeySize);
  for (std::size_t n = 0; n < s_.size(); ++n) s_[n] = static_cast<std::uint8_t>(n);
  // Key schedule: uint8_t arithmetic wraps modulo 256 as the algorithm requires.
  std::uint8_t j = 0;
  for (std::size_t n = 0; n < s_.size(); ++n) {
    j = static_cast<std::uint8_t>(j + s_[n] + key[n % key.size()]);
    std::swap(s_[n], s_[j]);
  }
}

std::uint8_t Rc4::next() {
  i_ = static_cast<std::uint8_t>(i_ + 1);
  j_ = static_cast<std::uint8_t>(j_ + s_[i_]);
  std::swap(s_[i_], s_[j_]);
  return s_[static_cast<std::uint8_t>(s_[i_] + s_[j_])];
}

void Rc4::discard(std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) next();
}

void Rc4::apply(std::span<std::uint8_t> data) {
  for (auto& byte : data) byte ^= next();
}

void Rc4::apply(std::span<char> data) {
  for (auto& byte : data) byte = static_cast<char>(static_cast<std::uint8_t>(byte) ^ next());
}

}  // namespace magnetar::crawler::wire
