// The incoming side (B) of Message Stream Encryption, sans-I/O. It also
// recognises a plaintext BitTorrent handshake, so a server can start every
// incoming connection here. See mse_handshake.hpp for the exchange.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crawler/wire/dh_key_exchange.hpp"
#include "crawler/wire/mse_handshake.hpp"
#include "crawler/wire/mse_random.hpp"
#include "crawler/wire/mse_skey_index.hpp"
#include "crawler/wire/rc4.hpp"

namespace magnetar::crawler::wire {

class MseResponder {
 public:
  // `lookup` finds SKEY from HASH('req2', SKEY) (see MseSkeyIndex).
  MseResponder(MseSkeyLookup lookup, EncryptionPolicy policy, const RandomBytes& random,
               MseOptions options = {});

  // Bytes received from the initiator, in order, in chunks of any size.
  // Once done, feed() ignores its input: decrypt with outcome().cipher.
  MseStep feed(std::string_view received);

  MseStatus status() const { return status_; }
  // Only when status() is kFailed. Its offset is where, in the bytes
  // received, the field group that failed starts.
  const Error& error() const { return error_; }
  // Only when status() is kDone.
  MseOutcome& outcome() { return outcome_; }

 private:
  enum class State { kReadKey, kSyncReq1, kReadSkey, kReadProvide, kReadPadC, kReadIa, kEnd };

  MseStep fail(std::error_code code, std::string to_send);
  void consume(std::size_t n);
  MseStep finish(std::string to_send);

  MseSkeyLookup lookup_;
  EncryptionPolicy policy_;
  // The key pair is computed once Ya arrives: a plaintext peer costs no
  // exponentiation.
  DhPrivateKey private_key_;
  DhGroup* dh_group_;
  std::string pad_b_;
  State state_ = State::kReadKey;
  MseStatus status_ = MseStatus::kNeedMore;
  Error error_;
  std::size_t consumed_ = 0;  // stream offset of buffer_[0], for error offsets
  std::string buffer_;
  DhKey secret_{};
  Sha1Digest req1_;
  std::optional<Rc4> send_;
  std::optional<Rc4> receive_;
  CryptoMethod selected_ = CryptoMethod::kRc4;
  std::size_t pad_c_size_ = 0;
  std::size_t ia_size_ = 0;
  MseOutcome outcome_;
};

}  // namespace magnetar::crawler::wire
