// Error codes of the classifier's rules loaders (default.toml, banned.toml and
// the users' files).
#pragma once

#include <system_error>

namespace magnetar::indexer::classify {

enum class Errc {
  kIo = 1,              // the file cannot be read
  kSyntax,              // not valid TOML
  kUnsupportedVersion,  // "version" is not one this build understands
  kUnknownKey,          // a key the format does not define (a typo, usually)
  kWrongType,           // a value of the wrong TOML type
  kBadValue,            // a value out of range or not one of the allowed names
  kBadPattern,          // a shape pattern that does not compile
  kMissingKey,          // a required key is absent
};

std::error_code make_error_code(Errc e);

}  // namespace magnetar::indexer::classify

template <>
struct std::is_error_code_enum<magnetar::indexer::classify::Errc> : std::true_type {};
