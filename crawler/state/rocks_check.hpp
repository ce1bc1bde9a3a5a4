// Internal: turns a failed rocksdb::Status into our StateError (the store
// boundary of STYLE.md's error rules). Only .cpp files of this folder include it.
#pragma once

#include <rocksdb/status.h>

#include <string>
#include <string_view>

#include "crawler/state/state_error.hpp"

namespace magnetar::crawler::state {

inline void check(const rocksdb::Status& s, std::string_view what) {
  if (!s.ok()) throw StateError("RocksDB " + std::string(what) + ": " + s.ToString());
}

}  // namespace magnetar::crawler::state
