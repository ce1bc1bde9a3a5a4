#include "crawler/keeper/tracker_errors.hpp"

#include <string>

#include "common/error_category.hpp"

namespace magnetar::crawler::keeper {
namespace {

constexpr char kName[] = "tracker";

std::string describe(int ev) {
  switch (static_cast<TrackerErrc>(ev)) {
    case TrackerErrc::kBadUrl:
      return "bad tracker URL";
    case TrackerErrc::kUnsupportedScheme:
      return "unsupported tracker scheme";
    case TrackerErrc::kTruncated:
      return "truncated reply";
    case TrackerErrc::kWrongAction:
      return "reply for another action";
    case TrackerErrc::kWrongTransaction:
      return "reply with another transaction id";
    case TrackerErrc::kTrackerError:
      return "the tracker returned an error";
    case TrackerErrc::kBadHttpResponse:
      return "malformed HTTP response";
    case TrackerErrc::kHttpStatus:
      return "HTTP status other than 200";
    case TrackerErrc::kTooLarge:
      return "reply too large";
    case TrackerErrc::kMalformedReply:
      return "malformed announce reply";
    case TrackerErrc::kBadPeers:
      return "malformed compact peer list";
  }
  return "unknown tracker error";
}

}  // namespace

std::error_code make_error_code(TrackerErrc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::crawler::keeper
