// Error codes of the magnet URI parser (BEP 9, BEP 53, BEP 52 for btmh).
#pragma once

#include <system_error>

namespace magnetar::magnet {

enum class Errc {
  kTooLong = 1,           // the URI is longer than kMaxUriLength
  kNotMagnet,             // does not start with "magnet:?" (scheme case-insensitive)
  kTooManyParams,         // more than kMaxParams parameters
  kBadPercentEncoding,    // '%' not followed by two hex digits
  kEmptyKey,              // a parameter with an empty name ("=x")
  kMissingInfoHash,       // no xt=urn:btih: and no xt=urn:btmh:
  kBadInfoHash,           // urn:btih: / urn:btmh: value of the wrong length or alphabet
  kConflictingInfoHash,   // two different btih, or two different btmh
  kBadExactLength,        // xl not a decimal number that fits in 64 bits
  kBadPeer,               // x.pe not host:port or [ipv6]:port with a port in 1-65535
  kBadSelectOnly,         // so not a BEP 53 list like "0,2,4-6"
  kConflictingParameter,  // dn, xl or so given twice with different values
};

std::error_code make_error_code(Errc e);

}  // namespace magnetar::magnet

template <>
struct std::is_error_code_enum<magnetar::magnet::Errc> : std::true_type {};
