// The HTTP tracker announce (BEP 3, BEP 23 compact peers, BEP 7 peers6):
// sans-I/O, the GET request we send and the reply we parse. We send HTTP/1.1
// with "Connection: close", so the reply ends with the connection; its body
// may still be chunked.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crawler/keeper/tracker_announce.hpp"
#include "crawler/keeper/tracker_url.hpp"

namespace magnetar::crawler::keeper {

// The request target: the URL's path and query, then our parameters
// (info_hash and peer_id percent-encoded, port, uploaded, downloaded, left,
// compact=1, event when not kNone, key, numwant when >= 0, ip when set).
std::string http_announce_target(const TrackerUrl& url, const TrackerAnnounce& announce);
// The whole request, ready to write.
std::string http_announce_request(const TrackerUrl& url, const TrackerAnnounce& announce);

// The body of a complete HTTP/1.x response (status 200), chunked or not.
// kBadHttpResponse, kHttpStatus, kTooLarge.
Result<std::string> http_response_body(std::string_view response);

// The bencoded reply: interval, min interval, complete/incomplete, peers
// (compact or a list of dicts) and peers6. A "failure reason" gives a reply
// with only failure_reason set. kMalformedReply, kBadPeers, kTooLarge.
Result<TrackerReply> parse_http_announce_reply(std::string_view body);

}  // namespace magnetar::crawler::keeper
