// What went wrong while loading a rules file, and where: the Result of the rules
// loaders. Error (common/result.hpp) carries a byte offset only; a person fixing a
// rules file needs the file, the line and a sentence.
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

#include "common/result.hpp"
#include "indexer/classify/classify_errors.hpp"

namespace magnetar::indexer::classify {

struct LoadError {
  std::error_code code;
  std::string source;      // the file path, or "default.toml" for the embedded rules
  std::uint32_t line = 0;  // 1-based; 0 when unknown (I/O errors)
  std::uint32_t column = 0;
  std::string detail;  // "unknown key 'resolutoin' in [fields]"

  // "my.toml:12:5: unknown key 'resolutoin' in [fields] (classify rules: unknown key)"
  std::string message() const;
};

template <class T>
class [[nodiscard]] LoadResult {
 public:
  LoadResult(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  LoadResult(LoadError e) : v_(std::in_place_index<1>, std::move(e)) {}

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
  const LoadError& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, LoadError> v_;
};

using LoadStatus = LoadResult<Ok>;

}  // namespace magnetar::indexer::classify
