#include "crawler/pipeline/fetch_outcome.hpp"

#include <boost/asio/error.hpp>

#include "crawler/wire/fetch_errors.hpp"
#include "crawler/wire/mse_errors.hpp"
#include "crawler/wire/session_errors.hpp"

namespace magnetar::crawler::pipeline {

using state::FetchOutcome;

bool is_cancelled(const std::error_code& error) { return error == wire::FetchErrc::kCancelled; }

FetchOutcome outcome_of(const std::error_code& error) {
  using wire::SessionErrc;
  if (error == wire::FetchErrc::kNoPeers) return FetchOutcome::kNoPeers;
  if (error.category() == wire::make_error_code(SessionErrc::kRefused).category()) {
    switch (static_cast<SessionErrc>(error.value())) {
      case SessionErrc::kTimeout:
        return FetchOutcome::kTimeout;
      case SessionErrc::kRefused:
      case SessionErrc::kBadHandshake:
      case SessionErrc::kInfohashMismatch:
        // The peer does not serve this torrent to us: as good as no connection.
        return FetchOutcome::kConnectFailed;
      case SessionErrc::kNoExtensionProtocol:
      case SessionErrc::kNoUtMetadata:
      case SessionErrc::kNoMetadataSize:
      case SessionErrc::kRejected:
      case SessionErrc::kClosed:
        return FetchOutcome::kNoMetadata;
      case SessionErrc::kTooLarge:
      case SessionErrc::kHashMismatch:
      case SessionErrc::kProtocolError:
      case SessionErrc::kMessageTooLarge:
        return FetchOutcome::kBadMetadata;
      default:
        return FetchOutcome::kOtherFailure;
    }
  }
  // MSE failures happen before any BitTorrent byte: the peer would not talk.
  if (error.category() == wire::make_error_code(wire::MseErrc{1}).category()) {
    return FetchOutcome::kConnectFailed;
  }
  // Socket errors (refused, reset, unreachable) from the connect or the stream.
  if (error.category() == std::system_category() || error.category() == std::generic_category()) {
    if (error == std::errc::timed_out) return FetchOutcome::kTimeout;
    return FetchOutcome::kConnectFailed;
  }
  return FetchOutcome::kOtherFailure;
}

}  // namespace magnetar::crawler::pipeline
