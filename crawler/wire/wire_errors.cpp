#include "crawler/wire/wire_errors.hpp"

#include "common/error_category.hpp"

namespace magnetar::crawler::wire {
namespace {

constexpr char kName[] = "peer wire";

std::string describe(int ev) {
  switch (static_cast<WireErrc>(ev)) {
    case WireErrc::kBadProtocolString:
      return "not a BitTorrent handshake";
    case WireErrc::kMessageTooLarge:
      return "message length above the limit";
    case WireErrc::kMalformedExtensionHandshake:
      return "malformed extension handshake";
    case WireErrc::kInvalidExtensionId:
      return "extension id outside 0..255";
    case WireErrc::kTooManyExtensions:
      return "too many extensions in the handshake";
    case WireErrc::kInvalidMetadataSize:
      return "invalid metadata_size";
    case WireErrc::kMetadataTooLarge:
      return "metadata_size above the limit";
    case WireErrc::kMalformedUtMetadata:
      return "malformed ut_metadata message";
    case WireErrc::kPieceOutOfRange:
      return "metadata piece index out of range";
    case WireErrc::kWrongPieceSize:
      return "metadata piece of the wrong size";
    case WireErrc::kDuplicatePiece:
      return "metadata piece received twice";
    case WireErrc::kTotalSizeMismatch:
      return "total_size differs from metadata_size";
    case WireErrc::kHashMismatch:
      return "metadata does not match the infohash";
    case WireErrc::kMalformedPex:
      return "malformed ut_pex message";
    case WireErrc::kTooManyPexEntries:
      return "too many ut_pex entries";
  }
  return "unknown peer wire error";
}

}  // namespace

std::error_code make_error_code(WireErrc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::crawler::wire
