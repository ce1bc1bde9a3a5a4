// Runs a program (initdb, pg_ctl, ...) to completion with an argument vector
// (never a shell string), an explicit environment, optionally as another
// account, and a deadline after which it is killed. Safe to call from a
// multi-threaded process: the child only makes async-signal-safe calls
// between fork and exec, and inherits no descriptor beyond 0-2.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "indexer/postgres/os_user.hpp"

namespace magnetar::indexer::postgres {

struct ChildResult {
  int exit_code = -1;      // 128 + signal when killed by a signal
  bool timed_out = false;  // killed because the deadline passed
  std::string output;      // stdout and stderr interleaved, the last kMaxChildOutput bytes
};

// Output kept per run: enough for any error message of the PostgreSQL tools.
inline constexpr std::size_t kMaxChildOutput = 64 * 1024;

// argv[0] is an absolute path. `env` is the whole environment ("NAME=value").
// With `as_user`, the child switches to that account (the caller must be root).
// Throws ClusterError when the program cannot be started at all.
ChildResult run_child(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                      const std::optional<OsUser>& as_user, std::chrono::milliseconds timeout);

}  // namespace magnetar::indexer::postgres
