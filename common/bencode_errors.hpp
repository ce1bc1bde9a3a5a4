// Error codes of the bencode decoder (BEP 3 "bencoding").
#pragma once

#include <system_error>

namespace magnetar::bencode {

enum class Errc {
  kUnexpectedEnd = 1,    // input ended inside a value
  kExpectedValue,        // a byte that starts no value ('i', 'l', 'd' or a digit)
  kInvalidInteger,       // "ie", "i-e", "i1x"
  kIntegerOverflow,      // does not fit in int64
  kInvalidStringLength,  // "x:abc", "-1:a", a length past the size limit
  kExpectedStringKey,    // a dict key that is not a string
  kDepthLimit,           // nesting deeper than DecodeLimits::max_depth
  kTokenLimit,           // more values than DecodeLimits::max_tokens
  kSizeLimit,            // input larger than DecodeLimits::max_size
  kTrailingData,         // bytes after the first complete value
  // Non-canonical forms: accepted and reported in Mode::kLenient, errors in Mode::kStrict.
  kUnsortedKeys,  // dict keys not in ascending raw-byte order
  kDuplicateKey,  // the same key twice in one dict
  kLeadingZero,   // "i03e" or the string length "03:abc"
  kNegativeZero,  // "i-0e"
};

std::error_code make_error_code(Errc e);

}  // namespace magnetar::bencode

template <>
struct std::is_error_code_enum<magnetar::bencode::Errc> : std::true_type {};
