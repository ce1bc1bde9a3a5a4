// Result<T>: a value or an Error. Used wherever untrusted bytes are parsed
// (KRPC, peer wire, bencode, info dicts, magnets, requests): such code never
// throws. Debian 12's toolchain has neither std::expected nor
// boost::system::result, hence our own.
#pragma once

#include <cassert>
#include <cstdint>
#include <limits>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace magnetar {

// An error code of one of our categories, and where in the input it was found.
struct Error {
  static constexpr std::uint64_t kNoOffset = std::numeric_limits<std::uint64_t>::max();

  std::error_code code;
  std::uint64_t offset = kNoOffset;

  Error() = default;
  template <class E>
  requires std::is_error_code_enum_v<E> Error(E e, std::uint64_t at = kNoOffset)
      : code(make_error_code(e)), offset(at) {}
  Error(std::error_code c, std::uint64_t at = kNoOffset) : code(c), offset(at) {}

  bool has_offset() const { return offset != kNoOffset; }
  // "bencode: unexpected end of input at byte 12"
  std::string message() const;
  friend bool operator==(const Error&, const Error&) = default;
};

// E is Error for untrusted bytes; a module may pick a richer error type
// (classify's LoadError names file and line), keeping the same interface.
template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(E e) : v_(std::in_place_index<1>, std::move(e)) {}
  template <class Enum>
  requires std::is_error_code_enum_v<Enum> && std::is_constructible_v<E, Enum> Result(Enum e)
      : v_(std::in_place_index<1>, E(e)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, E> v_;
};

// For operations that return nothing on success.
struct Ok {
  friend bool operator==(Ok, Ok) = default;
};
using Status = Result<Ok>;

}  // namespace magnetar
