// Exceptions of the crawler node's state: RocksDB failures are infrastructure
// errors (STYLE.md), translated at this boundary into our own types so callers
// never see rocksdb::Status. Startup exits non-zero with what() as its reason.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace magnetar::crawler::state {

// Any RocksDB failure: open, read or write.
class StateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The data directory's RocksDB LOCK is held: another process (`magnetar up`
// and `magnetar crawl` on the same data_dir), or another NodeState in this one.
class DataDirInUseError final : public StateError {
 public:
  DataDirInUseError(const std::filesystem::path& data_dir, const std::string& detail);
};

}  // namespace magnetar::crawler::state
