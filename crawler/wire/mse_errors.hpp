// Error codes of Message Stream Encryption (MSE/PE), the obfuscated peer-wire
// handshake ("Message Stream Encryption" spec, Vuze wiki; libtorrent docs).
#pragma once

#include <system_error>

namespace magnetar::crawler::wire {

enum class MseErrc {
  kBadPublicKey = 1,         // DH public key outside [2, P-2]: degenerate shared secret
  kSyncNotFound,             // no HASH('req1', S) (responder) or encrypted VC (initiator)
                             // within the 512 bytes of padding the spec allows
  kUnknownInfohash,          // HASH('req2', SKEY) matches no infohash we serve
  kBadVerificationConstant,  // the decrypted VC is not 8 zero bytes: wrong keys
  kNoCommonCryptoMethod,     // crypto_provide offers no method our policy accepts
  kInvalidCryptoSelect,      // crypto_select is not exactly one method we provided
  kPadTooLong,               // len(PadC) or len(PadD) above 512
  kPlaintextRefused,         // a plaintext BitTorrent handshake where our policy requires MSE
};

std::error_code make_error_code(MseErrc e);

}  // namespace magnetar::crawler::wire

template <>
struct std::is_error_code_enum<magnetar::crawler::wire::MseErrc> : std::true_type {};
