// The outgoing side (A) of Message Stream Encryption, sans-I/O: bytes in,
// bytes to send and a status out. See mse_handshake.hpp for the exchange.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/infohash.hpp"
#include "common/result.hpp"
#include "crawler/wire/dh_key_exchange.hpp"
#include "crawler/wire/mse_handshake.hpp"
#include "crawler/wire/mse_random.hpp"
#include "crawler/wire/rc4.hpp"

namespace magnetar::crawler::wire {

class MseInitiator {
 public:
  // `skey`: the torrent's 20-byte id (v1 infohash or truncated v2).
  // `initial_payload` (IA) travels RC4-encrypted with step 3, saving a round
  // trip: libtorrent sends its BitTorrent handshake there (at most 68 bytes is
  // what libtorrent accepts; never more than kMseMaxInitialPayload).
  MseInitiator(const InfoHashV1& skey, EncryptionPolicy policy, const RandomBytes& random,
               std::string initial_payload = {}, MseOptions options = {});

  // Ya and PadA: the first bytes to send. Call once, before feed().
  std::string start();

  // Bytes received from the responder, in order, in chunks of any size.
  // Once done, feed() ignores its input: decrypt with outcome().cipher.
  MseStep feed(std::string_view received);

  MseStatus status() const { return status_; }
  // Only when status() is kFailed. Its offset is where, in the bytes
  // received, the field group that failed starts.
  const Error& error() const { return error_; }
  // Only when status() is kDone; take the cipher and payload from here.
  MseOutcome& outcome() { return outcome_; }

  // Whether the shared secret S (known once Yb arrived) starts with a zero
  // byte, as 1 exchange in 256 does. libtorrent before 2.0.13 hashes such
  // an S without its leading zeros in HASH('req3', S) (fixed upstream in
  // commit e7049d21d, "fix dh shared secret padding"; Debian 12 ships
  // 2.0.8), so its responder finds no torrent and closes the connection.
  // A new connection (a fresh key) then succeeds 255 times in 256.
  bool secret_has_leading_zero() const { return secret_has_leading_zero_; }

 private:
  enum class State { kStart, kReadKey, kSyncVc, kReadSelect, kReadPadD, kEnd };

  MseStep fail(std::error_code code, std::string to_send);
  void consume(std::size_t n);
  std::string step3(const DhKey& secret);

  InfoHashV1 skey_;
  EncryptionPolicy policy_;
  std::string initial_payload_;
  DhKeyExchange dh_;
  std::string pad_a_;
  State state_ = State::kStart;
  MseStatus status_ = MseStatus::kNeedMore;
  Error error_;
  std::size_t consumed_ = 0;  // stream offset of buffer_[0], for error offsets
  std::string buffer_;        // received, not yet consumed
  std::string expected_vc_;   // ENCRYPT(VC) under keyB: the sync point
  std::optional<Rc4> send_;
  std::optional<Rc4> receive_;
  CryptoMethod selected_ = CryptoMethod::kRc4;
  std::size_t pad_d_size_ = 0;
  bool secret_has_leading_zero_ = false;
  MseOutcome outcome_;
};

}  // namespace magnetar::crawler::wire
