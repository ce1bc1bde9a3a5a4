#include "common/magnet.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <limits>

#include "common/codec.hpp"

namespace magnetar::magnet {
namespace {

constexpr std::string_view kScheme = "magnet:";
constexpr std::string_view kBtihPrefix = "urn:btih:";  // BEP 9
constexpr std::string_view kBtmhPrefix = "urn:btmh:";  // BEP 52
// Multihash header of a v2 infohash: 0x12 = sha2-256, 0x20 = 32-byte digest (BEP 52).
constexpr std::string_view kSha256Multihash = "1220";
constexpr std::size_t kBtihHexLength = 40;
constexpr std::size_t kBtihBase32Length = 32;
// RFC 1035 2.3.4: at most 253 characters in a name (255 on the wire), 63 per label.
constexpr std::size_t kMaxHostnameLength = 253;
constexpr std::size_t kMaxLabelLength = 63;
// INET6_ADDRSTRLEN - 1: the longest textual IPv6 address (with an embedded IPv4).
constexpr std::size_t kMaxIpv6Length = 45;
constexpr std::uint32_t kMaxPort = 65535;

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_no_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (ascii_lower(text[i]) != ascii_lower(prefix[i])) return false;
  }
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes uri[begin, end), '+' as a space; errors point at the bad '%'.
Result<std::string> decode(std::string_view uri, std::size_t begin, std::size_t end) {
  std::string out;
  out.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) {
    const char c = uri[i];
    if (c == '+') {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      if (end - i < 3) return Error(Errc::kBadPercentEncoding, i);
      const int hi = hex_value(uri[i + 1]);
      const int lo = hex_value(uri[i + 2]);
      if (hi < 0 || lo < 0) return Error(Errc::kBadPercentEncoding, i);
      out += static_cast<char>(hi << 4 | lo);
      i += 2;
    }
  }
  return out;
}

// "tr.1" -> "tr", "x.pe.2" -> "x.pe": BEP 9 allows numbered keys; the number
// only groups parameters, so it is dropped.
std::string_view base_key(std::string_view key) {
  const auto dot = key.rfind('.');
  if (dot == std::string_view::npos || !all_digits(key.substr(dot + 1))) return key;
  return key.substr(0, dot);
}

enum class Key { kExactTopic, kName, kLength, kTracker, kWebSeed, kPeer, kSelectOnly, kOther };

Key classify(std::string_view base) {
  if (base == "xt") return Key::kExactTopic;
  if (base == "dn") return Key::kName;
  if (base == "xl") return Key::kLength;
  if (base == "tr") return Key::kTracker;
  if (base == "ws") return Key::kWebSeed;
  if (base == "x.pe") return Key::kPeer;
  if (base == "so") return Key::kSelectOnly;
  return Key::kOther;
}

// Decimal without sign; nullopt when empty, not digits, or above `max`.
std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

bool is_valid_port(std::string_view text) {
  if (text.empty() || text[0] == '0') return false;  // also rejects port 0
  return parse_decimal(text, kMaxPort).has_value();
}

bool is_valid_ip(int family, std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return false;  // would cut the copy short
  const std::string copy(text);  // inet_pton needs a terminated string
  unsigned char buffer[16];
  return inet_pton(family, copy.c_str(), buffer) == 1;
}

// RFC 1123 host name: dot-separated labels of letters, digits and '-', a label
// neither starting nor ending with '-'.
bool is_valid_hostname(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostnameLength) return false;
  std::size_t pos = 0;
  while (true) {
    const auto dot = std::min(host.find('.', pos), host.size());
    const auto label = host.substr(pos, dot - pos);
    if (label.empty() || label.size() > kMaxLabelLength) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      const char l = ascii_lower(c);
      if (!((l >= 'a' && l <= 'z') || is_digit(l) || l == '-')) return false;
    }
    if (dot == host.size()) return true;
    pos = dot + 1;
  }
}

enum class TopicKind { kV1, kV2, kOther };

TopicKind topic_kind(std::string_view value) {
  if (starts_with_no_case(value, kBtihPrefix)) return TopicKind::kV1;
  if (starts_with_no_case(value, kBtmhPrefix)) return TopicKind::kV2;
  return TopicKind::kOther;
}

std::optional<InfoHashV1> parse_btih(std::string_view digits) {
  if (digits.size() == kBtihHexLength) return InfoHashV1::from_hex(digits);
  if (digits.size() == kBtihBase32Length) return v1_from_base32(digits);
  return std::nullopt;
}

std::optional<InfoHashV2> parse_btmh(std::string_view multihash) {
  if (!multihash.starts_with(kSha256Multihash)) return std::nullopt;
  return InfoHashV2::from_hex(multihash.substr(kSha256Multihash.size()));
}

// Sets `slot` to `value`, or fails when it already holds a different one.
template <class T>
bool set_once(std::optional<T>& slot, T value) {
  if (slot && *slot != value) return false;
  slot = std::move(value);
  return true;
}

// Lists are bounded by kMaxParams, so a linear search keeps the code simple.
void append_unique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// One parameter: key and value decoded, `at` the offset of the value in the URI.
Status apply(Magnet& m, std::string key, std::string value, std::uint64_t at) {
  switch (classify(base_key(key))) {
    case Key::kExactTopic:
      switch (topic_kind(value)) {
        case TopicKind::kV1: {
          const auto hash = parse_btih(std::string_view(value).substr(kBtihPrefix.size()));
          if (!hash) return Error(Errc::kBadInfoHash, at);
          if (!set_once(m.hashes.v1, *hash)) return Error(Errc::kConflictingInfoHash, at);
          return Ok{};
        }
        case TopicKind::kV2: {
          const auto hash = parse_btmh(std::string_view(value).substr(kBtmhPrefix.size()));
          if (!hash) return Error(Errc::kBadInfoHash, at);
          if (!set_once(m.hashes.v2, *hash)) return Error(Errc::kConflictingInfoHash, at);
          return Ok{};
        }
        case TopicKind::kOther:  // urn:ed2k:, urn:sha1:, ...: not ours, kept as is
          m.unknown.emplace_back(std::move(key), std::move(value));
          return Ok{};
      }
      return Ok{};
    case Key::kName:
      if (value.empty()) return Ok{};
      if (!m.display_name.empty() && m.display_name != value) {
        return Error(Errc::kConflictingParameter, at);
      }
      m.display_name = std::move(value);
      return Ok{};
    case Key::kLength: {
      const auto length = parse_decimal(value, std::numeric_limits<std::uint64_t>::max());
      if (!length) return Error(Errc::kBadExactLength, at);
      if (!set_once(m.exact_length, *length)) return Error(Errc::kConflictingParameter, at);
      return Ok{};
    }
    case Key::kTracker:
      if (!value.empty()) append_unique(m.trackers, std::move(value));
      return Ok{};
    case Key::kWebSeed:
      if (!value.empty()) append_unique(m.web_seeds, std::move(value));
      return Ok{};
    case Key::kPeer:
      if (!is_valid_peer(value)) return Error(Errc::kBadPeer, at);
      append_unique(m.peers, std::move(value));
      return Ok{};
    case Key::kSelectOnly:
      if (!parse_select_only(value)) return Error(Errc::kBadSelectOnly, at);
      if (!set_once(m.select_only, std::move(value))) {
        return Error(Errc::kConflictingParameter, at);
      }
      return Ok{};
    case Key::kOther:
      m.unknown.emplace_back(std::move(key), std::move(value));
      return Ok{};
  }
  return Ok{};
}

}  // namespace

Result<Magnet> parse_magnet(std::string_view uri) {
  if (uri.size() > kMaxUriLength) return Error(Errc::kTooLong, kMaxUriLength);
  if (!starts_with_no_case(uri, kScheme) || uri.size() == kScheme.size() ||
      uri[kScheme.size()] != '?') {
    return Error(Errc::kNotMagnet, 0);
  }
  Magnet m;
  std::size_t params = 0;
  std::size_t pos = kScheme.size() + 1;
  while (pos <= uri.size()) {
    const std::size_t end = std::min(uri.find('&', pos), uri.size());
    if (end > pos) {  // empty parameters ("&&", a trailing '&') are skipped
      if (++params > kMaxParams) return Error(Errc::kTooManyParams, pos);
      const std::size_t eq = std::min(uri.find('=', pos), end);
      auto key = decode(uri, pos, eq);
      if (!key) return key.error();
      if (key->empty()) return Error(Errc::kEmptyKey, pos);
      const std::size_t value_at = std::min(eq + 1, end);
      auto value = decode(uri, value_at, end);
      if (!value) return value.error();
      if (auto s = apply(m, std::move(*key), std::move(*value), value_at); !s) return s.error();
    }
    pos = end + 1;
  }
  if (m.hashes.empty()) return Error(Errc::kMissingInfoHash);
  return m;
}

std::string format_magnet(const Magnet& m) {
  std::string out(kScheme);
  out += '?';
  const std::size_t first = out.size();
  // `value` is written as is: callers encode it, or pass text whose characters
  // are all safe in a query.
  auto add = [&](std::string_view key, std::string_view value) {
    if (out.size() > first) out += '&';
    out += key;
    out += '=';
    out += value;
  };
  if (m.hashes.v1) add("xt", std::string(kBtihPrefix) + m.hashes.v1->hex());
  if (m.hashes.v2) {
    add("xt", std::string(kBtmhPrefix) + std::string(kSha256Multihash) + m.hashes.v2->hex());
  }
  if (!m.display_name.empty()) add("dn", percent_encode(m.display_name));
  if (m.exact_length) add("xl", std::to_string(*m.exact_length));
  for (const auto& tracker : m.trackers) add("tr", percent_encode(tracker));
  for (const auto& seed : m.web_seeds) add("ws", percent_encode(seed));
  // x.pe and so are written unencoded: their valid characters (letters, digits,
  // ". - : [ ]" and ", -") are safe in a query, and libtorrent does not
  // percent-decode these two parameters.
  for (const auto& peer : m.peers) add("x.pe", peer);
  if (m.select_only) add("so", *m.select_only);
  for (const auto& [key, value] : m.unknown) add(percent_encode(key), percent_encode(value));
  return out;
}

Result<std::vector<IndexRange>> parse_select_only(std::string_view text) {
  if (text.empty()) return Error(Errc::kBadSelectOnly, 0);
  constexpr auto kMaxIndex = std::numeric_limits<std::uint32_t>::max();
  std::vector<IndexRange> ranges;
  std::size_t pos = 0;
  while (true) {
    const std::size_t end = std::min(text.find(',', pos), text.size());
    const auto element = text.substr(pos, end - pos);
    const auto dash = element.find('-');
    const auto first = parse_decimal(element.substr(0, dash), kMaxIndex);
    if (!first) return Error(Errc::kBadSelectOnly, pos);
    IndexRange range{static_cast<std::uint32_t>(*first), static_cast<std::uint32_t>(*first)};
    if (dash != std::string_view::npos) {
      const auto last = parse_decimal(element.substr(dash + 1), kMaxIndex);
      if (!last || *last < *first) return Error(Errc::kBadSelectOnly, pos + dash + 1);
      range.last = static_cast<std::uint32_t>(*last);
    }
    ranges.push_back(range);
    if (end == text.size()) return ranges;
    pos = end + 1;
  }
}

bool is_valid_peer(std::string_view peer) {
  const auto colon = peer.rfind(':');
  if (colon == std::string_view::npos || !is_valid_port(peer.substr(colon + 1))) return false;
  const auto host = peer.substr(0, colon);
  if (host.starts_with('[')) {
    if (!host.ends_with(']') || host.size() < 3 || host.size() - 2 > kMaxIpv6Length) return false;
    return is_valid_ip(AF_INET6, host.substr(1, host.size() - 2));
  }
  // Only digits and dots: an IPv4 address, never a host name (RFC 1123 2.1).
  if (std::all_of(host.begin(), host.end(), [](char c) { return is_digit(c) || c == '.'; })) {
    return is_valid_ip(AF_INET, host);
  }
  return is_valid_hostname(host);
}

}  // namespace magnetar::magnet
