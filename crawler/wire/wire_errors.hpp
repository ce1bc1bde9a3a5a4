// Error codes of the peer-wire codecs (BEP 3 handshake and framing, BEP 10
// extension handshake, BEP 9 ut_metadata, BEP 11 ut_pex). Every decoder in
// crawler/wire reports malformed or out-of-bounds input with one of these.
#pragma once

#include <system_error>

namespace magnetar::crawler::wire {

enum class WireErrc {
  // BEP 3 handshake
  kBadProtocolString = 1,  // pstrlen is not 19 or pstr is not "BitTorrent protocol"
  // BEP 3 message framing
  kMessageTooLarge,  // a length prefix above the reader's cap (kMaxMessageLength)
  // BEP 10 extension handshake
  kMalformedExtensionHandshake,  // not a bencoded dict, or 'm' is not a dict
  kInvalidExtensionId,           // an 'm' id outside 0..255
  kTooManyExtensions,            // more 'm' entries than kMaxExtensionEntries
  kInvalidMetadataSize,          // metadata_size is not an integer, or <= 0 (BEP 9)
  kMetadataTooLarge,             // metadata_size above kMaxMetadataSize (BEP 9)
  // BEP 9 ut_metadata
  kMalformedUtMetadata,  // not a bencoded dict, msg_type/piece/total_size missing or mistyped
  kPieceOutOfRange,      // a piece index past the last piece (or beyond 32 bits)
  kWrongPieceSize,       // a data piece that is not 16 KiB (or the remainder, for the last)
  kDuplicatePiece,       // a data piece received twice
  kTotalSizeMismatch,    // total_size differs from the advertised metadata_size
  kHashMismatch,         // the assembled metadata does not hash to the infohash
  // BEP 11 ut_pex
  kMalformedPex,       // not a bencoded dict, or a peer list not a multiple of 6/18 bytes
  kTooManyPexEntries,  // more entries than kMaxPexEntries
};

std::error_code make_error_code(WireErrc e);

}  // namespace magnetar::crawler::wire

template <>
struct std::is_error_code_enum<magnetar::crawler::wire::WireErrc> : std::true_type {};
