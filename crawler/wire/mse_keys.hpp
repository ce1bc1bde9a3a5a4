// The hashes and RC4 keys of Message Stream Encryption, all SHA-1 (the spec's
// HASH) over a 4-byte ASCII tag and the DH secret S and/or SKEY. SKEY is the
// torrent's 20-byte id: the v1 infohash, or the truncated v2 one (BEP 52).
#pragma once

#include <cstddef>

#include "common/infohash.hpp"
#include "crawler/wire/dh_key_exchange.hpp"
#include "crawler/wire/rc4.hpp"

namespace magnetar::crawler::wire {

// Both RC4 streams start after 1024 discarded bytes (MSE spec).
inline constexpr std::size_t kMseRc4Discard = 1024;

using Sha1Digest = Digest<20>;

// HASH('req1', S): the responder's sync point, sent in the clear.
Sha1Digest mse_req1_hash(const DhKey& secret);
// HASH('req2', SKEY): what the responder's index is keyed by.
Sha1Digest mse_req2_hash(const InfoHashV1& skey);
// HASH('req3', S): the mask the initiator XORs over HASH('req2', SKEY).
Sha1Digest mse_req3_hash(const DhKey& secret);

// The keystream A (the initiator) encrypts with: HASH('keyA', S, SKEY),
// its first 1024 bytes discarded.
Rc4 mse_initiator_rc4(const DhKey& secret, const InfoHashV1& skey);
// The keystream B (the responder) encrypts with: HASH('keyB', S, SKEY).
Rc4 mse_responder_rc4(const DhKey& secret, const InfoHashV1& skey);

Sha1Digest operator^(const Sha1Digest& a, const Sha1Digest& b);

}  // namespace magnetar::crawler::wire
