// A small helper to give each module's error enum its own std::error_category,
// whose name prefixes messages ("bencode: depth limit exceeded").
#pragma once

#include <string>
#include <system_error>

namespace magnetar {

// Describe(int) returns the message of one enumerator.
template <const char* kName, std::string (*Describe)(int)>
class ErrorCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return kName; }
  std::string message(int ev) const override { return Describe(ev); }
  static const ErrorCategory& instance() {
    static const ErrorCategory category;
    return category;
  }
};

}  // namespace magnetar
