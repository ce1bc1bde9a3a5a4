#include "crawler/wire/session_errors.hpp"

#include "common/error_category.hpp"

namespace magnetar::crawler::wire {
namespace {

constexpr char kName[] = "peer session";

std::string describe(int ev) {
  switch (static_cast<SessionErrc>(ev)) {
    case SessionErrc::kRefused:
      return "connection refused";
    case SessionErrc::kBadHandshake:
      return "bad handshake";
    case SessionErrc::kInfohashMismatch:
      return "peer answered for another infohash";
    case SessionErrc::kNoExtensionProtocol:
      return "peer does not support the extension protocol";
    case SessionErrc::kNoUtMetadata:
      return "peer does not support ut_metadata";
    case SessionErrc::kNoMetadataSize:
      return "peer did not advertise metadata_size";
    case SessionErrc::kTooLarge:
      return "metadata too large";
    case SessionErrc::kRejected:
      return "peer rejected the metadata request";
    case SessionErrc::kHashMismatch:
      return "metadata does not match the infohash";
    case SessionErrc::kProtocolError:
      return "protocol error";
    case SessionErrc::kMessageTooLarge:
      return "message too large";
    case SessionErrc::kTimeout:
      return "timed out";
    case SessionErrc::kClosed:
      return "peer closed the connection";
    case SessionErrc::kUnknownInfohash:
      return "unknown infohash";
    case SessionErrc::kPieceRequested:
      return "peer requested piece data";
    case SessionErrc::kTooManyRequests:
      return "too many metadata requests";
  }
  return "unknown peer session error";
}

}  // namespace

std::error_code make_error_code(SessionErrc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::crawler::wire
