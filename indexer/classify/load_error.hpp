// What went wrong while loading a rules file, and where: the Result of the rules
// loaders. Error (common/result.hpp) carries a byte offset only; a person fixing a
// rules file needs the file, the line and a sentence.
#pragma once

#include <cstdint>
#include <string>
#include <system_error>

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
using LoadResult = Result<T, LoadError>;
using LoadStatus = LoadResult<Ok>;

}  // namespace magnetar::indexer::classify
