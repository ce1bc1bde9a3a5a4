#include "crawler/keeper/tracker_url.hpp"

#include <charconv>

#include "crawler/keeper/tracker_errors.hpp"

namespace magnetar::crawler::keeper {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool valid_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

}  // namespace

Result<TrackerUrl> parse_tracker_url(std::string_view url) {
  if (url.size() > kMaxTrackerUrlLength) return Error(TrackerErrc::kBadUrl);
  TrackerUrl out;
  std::string_view rest;
  if (starts_with_nocase(url, "http://")) {
    out.scheme = TrackerScheme::kHttp;
    out.port = 80;
    rest = url.substr(7);
  } else if (starts_with_nocase(url, "https://")) {
    out.scheme = TrackerScheme::kHttps;
    out.port = 443;
    rest = url.substr(8);
  } else if (starts_with_nocase(url, "udp://")) {
    out.scheme = TrackerScheme::kUdp;
    rest = url.substr(6);
  } else {
    return Error(TrackerErrc::kUnsupportedScheme);
  }
  const std::size_t path_at = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_at);
  if (path_at != std::string_view::npos) out.target = std::string(rest.substr(path_at));
  if (!out.target.empty() && out.target.front() == '?') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) return Error(TrackerErrc::kBadUrl);

  std::string_view host;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Error(TrackerErrc::kBadUrl);
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Error(TrackerErrc::kBadUrl);
      port = after.substr(1);
    }
    for (char c : host) {
      if (!(valid_host_char(c) || c == ':')) return Error(TrackerErrc::kBadUrl);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    for (char c : host) {
      if (!valid_host_char(c)) return Error(TrackerErrc::kBadUrl);
    }
  }
  if (host.empty()) return Error(TrackerErrc::kBadUrl);
  out.host = std::string(host);
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return Error(TrackerErrc::kBadUrl);
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  if (out.port == 0) return Error(TrackerErrc::kBadUrl);  // udp:// without a port
  if (out.scheme == TrackerScheme::kUdp) out.target.clear();
  return out;
}

}  // namespace magnetar::crawler::keeper
