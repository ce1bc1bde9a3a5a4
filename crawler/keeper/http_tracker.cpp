#include "crawler/keeper/http_tracker.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "common/bencode_decoder.hpp"
#include "common/codec.hpp"
#include "crawler/keeper/tracker_errors.hpp"

namespace magnetar::crawler::keeper {
namespace {

// Bencode limits for a tracker reply: a flat dict with a list of peer
// dicts at most (BEP 3), far below the decoder's info-dict limits.
constexpr std::size_t kMaxReplyDepth = 4;
constexpr std::size_t kMaxReplyTokens = 4 * kMaxTrackerPeers + 64;
// A tracker interval below this is not honoured (a broken tracker would
// make us announce in a loop); above kMaxInterval it is capped.
constexpr std::int64_t kMaxIntervalSeconds = 24 * 3600;

const char* event_name(AnnounceEvent e) {
  switch (e) {
    case AnnounceEvent::kCompleted:
      return "completed";
    case AnnounceEvent::kStarted:
      return "started";
    case AnnounceEvent::kStopped:
      return "stopped";
    case AnnounceEvent::kNone:
      break;
  }
  return nullptr;
}

std::string truncated_message(std::string_view s) {
  return std::string(s.substr(0, kMaxTrackerMessage));
}

std::chrono::seconds clamp_interval(std::int64_t v) {
  return std::chrono::seconds(std::clamp<std::int64_t>(v, 0, kMaxIntervalSeconds));
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

Result<std::string> dechunk(std::string_view body) {
  std::string out;
  while (true) {
    const std::size_t eol = body.find("\r\n");
    if (eol == std::string_view::npos) return Error(TrackerErrc::kBadHttpResponse);
    std::string_view size_text = body.substr(0, eol);
    size_text = size_text.substr(0, size_text.find(';'));  // chunk extensions
    size_text = trim(size_text);
    std::size_t size = 0;
    const auto [end, ec] =
        std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
    if (ec != std::errc() || end != size_text.data() + size_text.size()) {
      return Error(TrackerErrc::kBadHttpResponse);
    }
    body.remove_prefix(eol + 2);
    if (size == 0) return out;  // trailers ignored
    if (size > kMaxTrackerReplyBytes || out.size() + size > kMaxTrackerReplyBytes) {
      return Error(TrackerErrc::kTooLarge);
    }
    if (body.size() < size + 2) return Error(TrackerErrc::kBadHttpResponse);
    out.append(body.substr(0, size));
    body.remove_prefix(size + 2);
  }
}

Status append_compact(std::string_view bytes, std::size_t width, TrackerReply& reply) {
  if (bytes.size() % width != 0) return Error(TrackerErrc::kBadPeers);
  for (std::size_t at = 0; at < bytes.size() && reply.peers.size() < kMaxTrackerPeers;
       at += width) {
    reply.peers.push_back(wire::PeerEndpoint::from_compact(bytes.substr(at, width)));
  }
  return Ok{};
}

// A peer of the non-compact form: {"ip": "1.2.3.4", "port": 6881, ...}.
// Only literal IPv4 addresses are taken (a name would need a lookup).
void append_dict_peer(const bencode::Node& peer, TrackerReply& reply) {
  if (!peer.is_dict() || reply.peers.size() >= kMaxTrackerPeers) return;
  const auto ip = peer.find_string("ip");
  const auto port = peer.find_int("port");
  if (!ip || !port || *port <= 0 || *port > 65535) return;
  std::array<std::uint8_t, 4> a{};
  std::string_view rest = *ip;
  for (std::size_t i = 0; i < 4; ++i) {
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v);
    if (ec != std::errc() || v > 255) return;
    a[i] = static_cast<std::uint8_t>(v);
    rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
    if (i < 3) {
      if (rest.empty() || rest.front() != '.') return;
      rest.remove_prefix(1);
    }
  }
  if (!rest.empty()) return;
  reply.peers.push_back(wire::PeerEndpoint::v4_from(a, static_cast<std::uint16_t>(*port)));
}

}  // namespace

std::string http_announce_target(const TrackerUrl& url, const TrackerAnnounce& a) {
  std::string out = url.target.empty() ? "/" : url.target;
  out += out.find('?') == std::string::npos ? '?' : '&';
  out += "info_hash=" + percent_encode(a.info_hash.view());
  out += "&peer_id=" + percent_encode(a.peer_id.view());
  out += "&port=" + std::to_string(a.port);
  out += "&uploaded=" + std::to_string(a.uploaded);
  out += "&downloaded=" + std::to_string(a.downloaded);
  out += "&left=" + std::to_string(a.left);
  out += "&compact=1";
  if (const char* e = event_name(a.event)) out += std::string("&event=") + e;
  char key[9];
  std::snprintf(key, sizeof key, "%08x", a.key);
  out += "&key=";
  out += key;
  if (a.num_want >= 0) out += "&numwant=" + std::to_string(a.num_want);
  if (!a.ip.empty()) out += "&ip=" + percent_encode(a.ip);
  return out;
}

std::string http_announce_request(const TrackerUrl& url, const TrackerAnnounce& a) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  if (url.port != 80) host += ":" + std::to_string(url.port);
  return "GET " + http_announce_target(url, a) +
         " HTTP/1.1\r\n"
         "Host: " +
         host +
         "\r\n"
         "User-Agent: magnetar/0.1\r\n"
         "Accept-Encoding: identity\r\n"
         "Connection: close\r\n"
         "\r\n";
}

Result<std::string> http_response_body(std::string_view response) {
  if (response.size() > kMaxTrackerReplyBytes + 16 * 1024) return Error(TrackerErrc::kTooLarge);
  const std::size_t head_end = response.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return Error(TrackerErrc::kBadHttpResponse);
  const std::string_view head = response.substr(0, head_end);
  std::string_view body = response.substr(head_end + 4);
  const std::size_t first_eol = head.find("\r\n");
  const std::string_view status_line = head.substr(0, first_eol);
  // "HTTP/1.1 200 OK"
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || status_line[8] != ' ') {
    return Error(TrackerErrc::kBadHttpResponse);
  }
  if (status_line.substr(9, 3) != "200") return Error(TrackerErrc::kHttpStatus);
  bool chunked = false;
  std::optional<std::size_t> content_length;
  std::string_view headers =
      first_eol == std::string_view::npos ? std::string_view() : head.substr(first_eol + 2);
  while (!headers.empty()) {
    const std::size_t eol = headers.find("\r\n");
    const std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Error(TrackerErrc::kBadHttpResponse);
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "transfer-encoding") && iequals(value, "chunked")) chunked = true;
    if (iequals(name, "content-length")) {
      std::size_t n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size()) {
        return Error(TrackerErrc::kBadHttpResponse);
      }
      content_length = n;
    }
  }
  if (chunked) return dechunk(body);
  if (content_length) {
    if (*content_length > kMaxTrackerReplyBytes) return Error(TrackerErrc::kTooLarge);
    if (body.size() < *content_length) return Error(TrackerErrc::kBadHttpResponse);
    body = body.substr(0, *content_length);
  }
  if (body.size() > kMaxTrackerReplyBytes) return Error(TrackerErrc::kTooLarge);
  return std::string(body);
}

Result<TrackerReply> parse_http_announce_reply(std::string_view body) {
  if (body.size() > kMaxTrackerReplyBytes) return Error(TrackerErrc::kTooLarge);
  bencode::DecodeLimits limits;
  limits.max_depth = kMaxReplyDepth;
  limits.max_tokens = kMaxReplyTokens;
  limits.max_size = kMaxTrackerReplyBytes;
  auto doc = bencode::decode(body, bencode::Mode::kLenient, limits);
  if (!doc) return Error(TrackerErrc::kMalformedReply, doc.error().offset);
  const bencode::Node root = doc->root();
  if (!root.is_dict()) return Error(TrackerErrc::kMalformedReply, 0);
  TrackerReply reply;
  if (const auto failure = root.find("failure reason")) {
    if (!failure->is_string()) return Error(TrackerErrc::kMalformedReply, failure->offset());
    reply.failure_reason = truncated_message(failure->string());
    if (reply.failure_reason.empty()) reply.failure_reason = "(empty failure reason)";
    return reply;
  }
  if (const auto warning = root.find_string("warning message")) {
    reply.warning = truncated_message(*warning);
  }
  const auto interval = root.find("interval");
  if (!interval || !interval->is_int()) return Error(TrackerErrc::kMalformedReply, 0);
  reply.interval = clamp_interval(interval->integer());
  if (const auto min = root.find_int("min interval")) reply.min_interval = clamp_interval(*min);
  if (const auto v = root.find_int("complete")) {
    reply.seeders = static_cast<std::uint32_t>(std::clamp<std::int64_t>(*v, 0, UINT32_MAX));
  }
  if (const auto v = root.find_int("incomplete")) {
    reply.leechers = static_cast<std::uint32_t>(std::clamp<std::int64_t>(*v, 0, UINT32_MAX));
  }
  if (const auto peers = root.find("peers")) {
    if (peers->is_string()) {
      if (auto s = append_compact(peers->string(), 6, reply); !s) {
        return Error(s.error().code, peers->offset());
      }
    } else if (peers->is_list()) {
      for (const bencode::Node peer : peers->items()) append_dict_peer(peer, reply);
    } else {
      return Error(TrackerErrc::kMalformedReply, peers->offset());
    }
  }
  if (const auto peers6 = root.find("peers6")) {
    if (!peers6->is_string()) return Error(TrackerErrc::kMalformedReply, peers6->offset());
    if (auto s = append_compact(peers6->string(), 18, reply); !s) {
      return Error(s.error().code, peers6->offset());
    }
  }
  return reply;
}

}  // namespace magnetar::crawler::keeper
