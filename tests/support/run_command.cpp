#include "tests/support/run_command.hpp"

#include "tests/support/background_process.hpp"

namespace magnetar::testing {

// Longer than any command a test runs; a hung one fails instead of stalling.
constexpr std::chrono::seconds kCommandDeadline{600};

CommandResult run_command(const std::vector<std::string>& argv,
                          const std::vector<std::string>& env) {
  BackgroundProcess process(argv, env);
  const auto code = process.wait(kCommandDeadline);
  process.wait_for_eof(std::chrono::seconds(10));
  return {code.value_or(-1), process.output()};
}

}  // namespace magnetar::testing
