// What both sides of the Message Stream Encryption handshake share: limits,
// the per-call step, and the outcome handed to the peer-wire session.
//
// The exchange (A initiates, B responds; "Message Stream Encryption" spec):
//   1 A->B: Ya, PadA
//   2 B->A: Yb, PadB
//   3 A->B: HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S),
//           ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA)), ENCRYPT(IA)
//   4 B->A: ENCRYPT(VC, crypto_select, len(PadD), PadD), ENCRYPT2(payload)
//   5 A->B: ENCRYPT2(payload)
// Y are 96-byte DH public keys, S the shared secret, SKEY the torrent's 20-byte
// id, VC 8 zero bytes, ENCRYPT RC4 and ENCRYPT2 the selected method. Integers
// are big-endian. Pads are random, at most 512 bytes; since PadA and PadB have
// no length field, each side finds where they end by scanning for a value
// only the holder of S can produce (the sync point).
//
// In a socket loop (the machines never touch a socket):
//   outgoing: MseInitiator mse(skey, policy, openssl_random_bytes, bt_handshake);
//             write(mse.start());
//   incoming: MseResponder mse(index.lookup(), policy, openssl_random_bytes);
//   on read:  MseStep step = mse.feed(bytes); write(step.to_send);
//     kDone   continue with mse.outcome(): hand outcome.payload to the
//             peer-wire decoder first, then outcome.cipher.encrypt() all we
//             write and outcome.cipher.decrypt() all we read.
//     kFailed close; mse.error() says why. If an outgoing MSE attempt ended
//             with the peer closing or timing out, fallback_connect_mode()
//             says whether to retry in plaintext.
// The responder also accepts a plaintext BitTorrent handshake (outcome.mse is
// false) unless the policy is kRequire.
#pragma once

#include <cstddef>
#include <string>

#include "common/infohash.hpp"
#include "crawler/wire/dh_key_exchange.hpp"
#include "crawler/wire/mse_cipher.hpp"
#include "crawler/wire/mse_policy.hpp"

namespace magnetar::crawler::wire {

// Every pad (PadA to PadD) is 0 to 512 bytes (MSE spec).
inline constexpr std::size_t kMsePadMax = 512;
// The verification constant: 8 zero bytes.
inline constexpr std::size_t kMseVcSize = 8;
// SHA-1 digests: HASH('req1', S) and the obfuscated SKEY hash.
inline constexpr std::size_t kMseHashSize = 20;
// crypto_provide / crypto_select (4 bytes), then len(PadC) / len(PadD) (2).
inline constexpr std::size_t kMseCryptoFieldSize = 4;
inline constexpr std::size_t kMseLengthSize = 2;
// len(IA) is a 2-byte field. libtorrent sends the 68-byte BitTorrent
// handshake and refuses more than 68 as a responder; we accept what the field
// can say, which bounds the buffer at 64 KiB per connection.
inline constexpr std::size_t kMseMaxInitialPayload = 65535;

// The responder gives up when HASH('req1', S) has not started within PadA's
// 512 bytes after Ya.
inline constexpr std::size_t kMseResponderSyncWindow = kMsePadMax + kMseHashSize;
// The initiator gives up when ENCRYPT(VC) has not started within PadB's 512
// bytes after Yb.
inline constexpr std::size_t kMseInitiatorSyncWindow = kMsePadMax + kMseVcSize;
// Most bytes each side reads before its handshake is done: with these the
// socket loop can size buffers and deadlines.
inline constexpr std::size_t kMseMaxInitiatorHandshakeBytes =
    kDhKeySize + kMseInitiatorSyncWindow + kMseCryptoFieldSize + kMseLengthSize + kMsePadMax;
inline constexpr std::size_t kMseMaxResponderHandshakeBytes =
    kDhKeySize + kMseResponderSyncWindow + kMseHashSize + kMseVcSize + kMseCryptoFieldSize +
    kMseLengthSize + kMsePadMax + kMseLengthSize + kMseMaxInitialPayload;

enum class MseStatus {
  kNeedMore,  // feed more received bytes
  kDone,      // outcome() is ready
  kFailed,    // error() says why; drop the connection
};

// The result of one feed(): what to write to the socket now (possibly
// non-empty also when done), and where the handshake stands.
struct MseStep {
  MseStatus status = MseStatus::kNeedMore;
  std::string to_send;
};

class DhGroup;

struct MseOptions {
  // PadA / PadB get a random length in [0, max_pad]. Lower it to save
  // bytes; 0 makes the first message exactly the public key.
  std::size_t max_pad = kMsePadMax;
  // The DH group prepared for this thread's exchanges (several times
  // cheaper than a one-off computation); it must outlive the handshake.
  // Null: each exchange computes on its own.
  DhGroup* dh_group = nullptr;
};

// A finished handshake: what the peer-wire session continues with.
struct MseOutcome {
  CryptoMethod method = CryptoMethod::kPlaintext;
  // Encrypt what we send, decrypt what we receive from now on.
  MseCipher cipher;
  // Bytes already received after the handshake, decrypted, in stream order.
  // On the responder it starts with the initiator's initial payload (IA).
  std::string payload;
  // The torrent id the connection is for (the responder's index match).
  InfoHashV1 skey;
  // False when the responder saw a plaintext BitTorrent handshake instead of
  // MSE (allowed by its policy): payload holds the raw bytes, cipher is a no-op.
  bool mse = true;
};

}  // namespace magnetar::crawler::wire
