// Runs a program and captures what it printed, for tests of the real binaries.
#pragma once

#include <string>
#include <vector>

namespace magnetar::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr, interleaved
};

// Runs argv[0] with the given arguments (no shell), extra environment
// variables as "NAME=value", and waits for it (bounded: exit_code -1 when
// it had to be killed).
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::vector<std::string>& env = {});

}  // namespace magnetar::testing
