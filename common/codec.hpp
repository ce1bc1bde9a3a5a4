// Text encodings of bytes: hex, RFC 4648 base32, and URI percent-encoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace magnetar {

std::string to_hex(std::string_view bytes);  // lower case
// Either case; nullopt on odd length or a non-hex digit.
std::optional<std::string> from_hex(std::string_view hex);

std::string to_base32(std::string_view bytes);  // upper case, no padding
// Either case, no padding; nullopt on a bad digit or leftover bits that are not zero.
std::optional<std::string> from_base32(std::string_view text);

// RFC 3986: everything but unreserved characters is escaped as %XX.
std::string percent_encode(std::string_view bytes);
// "%41" -> "A"; '+' is a space (as browsers write query strings). nullopt on a
// truncated or non-hex escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace magnetar
