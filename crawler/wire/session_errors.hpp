// Why a peer-wire session ended without success: the outcome of one
// connection of a metadata fetch (MetadataSession) or of a metadata upload
// (MetadataServerSession). The codec-level cause, when there is one, is a
// WireErrc kept alongside.
#pragma once

#include <system_error>

namespace magnetar::crawler::wire {

enum class SessionErrc {
  kRefused = 1,          // connection refused, or closed before the peer's handshake
  kBadHandshake,         // the peer's first bytes are not a BEP 3 handshake
  kInfohashMismatch,     // the peer answered for another infohash
  kNoExtensionProtocol,  // the peer did not set the BEP 10 bit
  kNoUtMetadata,         // the peer's extension handshake has no ut_metadata (BEP 9)
  kNoMetadataSize,       // the peer's extension handshake has no metadata_size (BEP 9)
  kTooLarge,             // metadata_size above kMaxMetadataSize
  kRejected,             // the peer rejected a ut_metadata request
  kHashMismatch,         // the assembled metadata does not hash to the infohash
  kProtocolError,        // a malformed or out-of-place message
  kMessageTooLarge,      // a message length above kMaxMessageLength
  kTimeout,              // the caller's deadline passed (on_deadline())
  kClosed,               // the peer closed the connection after the handshake
  kUnknownInfohash,      // server: a handshake for an infohash we do not serve
  kPieceRequested,       // server: the peer asked for piece data, which we never serve
  kTooManyRequests,      // server: more ut_metadata requests than kMaxServedRequests
};

std::error_code make_error_code(SessionErrc e);

}  // namespace magnetar::crawler::wire

template <>
struct std::is_error_code_enum<magnetar::crawler::wire::SessionErrc> : std::true_type {};
