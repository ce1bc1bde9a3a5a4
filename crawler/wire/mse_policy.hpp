// Which stream a peer-wire connection uses: plaintext BitTorrent (BEP 3) or
// Message Stream Encryption (MSE/PE), and inside MSE which crypto method.
// Many real peers refuse plaintext, some refuse MSE: a connection that fails
// in one mode is retried once in the other when the policy allows it.
#pragma once

#include <cstdint>
#include <optional>

namespace magnetar::crawler::wire {

enum class EncryptionPolicy {
  kPreferPlaintext,  // connect in plaintext first; in MSE, select plaintext when offered
  kPreferEncrypted,  // connect with MSE first; in MSE, select RC4 when offered
  kRequire,          // MSE with RC4 only: never a plaintext stream
};

// The crypto_provide / crypto_select bits of the MSE spec.
enum class CryptoMethod : std::uint32_t {
  kPlaintext = 0x01,  // MSE handshake, then the stream in the clear
  kRc4 = 0x02,        // the stream RC4-encrypted
};

// The crypto_provide bitfield an initiator sends under `policy`.
std::uint32_t crypto_provide(EncryptionPolicy policy);

// The method a responder selects from the peer's crypto_provide, or nullopt
// when none is acceptable. Unknown bits are ignored.
std::optional<CryptoMethod> select_crypto(std::uint32_t provide, EncryptionPolicy policy);

// Whether an initiator that sent crypto_provide(policy) accepts the peer's
// crypto_select: exactly one known method, one we provided.
std::optional<CryptoMethod> accept_crypto_select(std::uint32_t select, EncryptionPolicy policy);

// Whether an incoming plaintext BitTorrent handshake is accepted.
bool accepts_plaintext_handshake(EncryptionPolicy policy);

// How an outgoing connection speaks from its first byte.
enum class ConnectMode {
  kPlaintext,  // the BEP 3 handshake in the clear
  kMse,        // the MSE handshake, then whatever method it selected
};

ConnectMode first_connect_mode(EncryptionPolicy policy);

// The mode to retry in after a connection in `failed` mode ended before or
// during the handshake (peer closed, reset, timed out or refused our mode),
// or nullopt when the policy allows no other mode. One retry per peer: a
// second failure is final.
std::optional<ConnectMode> fallback_connect_mode(EncryptionPolicy policy, ConnectMode failed);

}  // namespace magnetar::crawler::wire
