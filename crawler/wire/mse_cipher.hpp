// The stream transform after a completed MSE handshake: RC4 in both
// directions, or nothing when plaintext was selected. The peer-wire session
// runs unchanged on top: encrypt what it sends, decrypt what it receives.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "crawler/wire/mse_policy.hpp"
#include "crawler/wire/rc4.hpp"

namespace magnetar::crawler::wire {

class MseCipher {
 public:
  // Plaintext: both operations leave the bytes as they are.
  MseCipher() = default;
  // RC4, each stream positioned where the handshake left it.
  MseCipher(Rc4 send, Rc4 receive) : send_(send), receive_(receive) {}

  CryptoMethod method() const { return send_ ? CryptoMethod::kRc4 : CryptoMethod::kPlaintext; }
  bool encrypted() const { return send_.has_value(); }

  // In place, in stream order: every byte sent or received goes through
  // exactly once.
  void encrypt(std::span<std::uint8_t> outgoing) {
    if (send_) send_->apply(outgoing);
  }
  void encrypt(std::span<char> outgoing) {
    if (send_) send_->apply(outgoing);
  }
  void decrypt(std::span<std::uint8_t> incoming) {
    if (receive_) receive_->apply(incoming);
  }
  void decrypt(std::span<char> incoming) {
    if (receive_) receive_->apply(incoming);
  }

 private:
  std::optional<Rc4> send_;
  std::optional<Rc4> receive_;
};

}  // namespace magnetar::crawler::wire
