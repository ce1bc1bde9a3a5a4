// Error codes of the tracker codecs (BEP 3 HTTP announces, BEP 15 UDP).
#pragma once

#include <system_error>

namespace magnetar::crawler::keeper {

enum class TrackerErrc {
  kBadUrl = 1,         // not "scheme://host[:port][/path]"
  kUnsupportedScheme,  // neither http://, https:// nor udp://
  kTruncated,          // a UDP reply shorter than its fixed part
  kWrongAction,        // a UDP reply for another action than we asked
  kWrongTransaction,   // a UDP reply with another transaction id
  kTrackerError,       // the tracker refused (BEP 15 action 3)
  kBadHttpResponse,    // no status line, bad headers or chunks
  kHttpStatus,         // an HTTP status other than 200
  kTooLarge,           // a reply above kMaxTrackerReplyBytes
  kMalformedReply,     // not a bencoded dict, or a field of the wrong type
  kBadPeers,           // compact peers not a multiple of 6 (18 for IPv6)
};

std::error_code make_error_code(TrackerErrc e);

}  // namespace magnetar::crawler::keeper

template <>
struct std::is_error_code_enum<magnetar::crawler::keeper::TrackerErrc> : std::true_type {};
