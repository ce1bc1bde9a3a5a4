// A tracker's announce URL split into what a socket needs: "http://host:port/path?query"
// and "udp://host:port[/...]" (BEP 15). https:// is recognised so the
// caller can skip it with a note (the keeper does not speak TLS to trackers).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace magnetar::crawler::keeper {

// Announce URLs longer than this are refused (they come from magnets).
inline constexpr std::size_t kMaxTrackerUrlLength = 2048;

enum class TrackerScheme { kHttp, kHttps, kUdp };

struct TrackerUrl {
  TrackerScheme scheme = TrackerScheme::kHttp;
  std::string host;          // a name or an IP literal (IPv6 without brackets)
  std::uint16_t port = 0;    // the scheme's default when the URL has none (HTTP)
  std::string target = "/";  // HTTP: path and query; empty for UDP
};

// kBadUrl, kUnsupportedScheme. A UDP URL must name its port (there is no
// default); HTTP defaults to 80, HTTPS to 443.
Result<TrackerUrl> parse_tracker_url(std::string_view url);

}  // namespace magnetar::crawler::keeper
