// A program started in the background for an end-to-end test: its output is
// collected, a test can wait (bounded) for a line, and it is stopped by its
// PID only — never by name — when the test ends.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace magnetar::testing {

class BackgroundProcess {
 public:
  // argv[0] is a path; env entries "NAME=value" are added to ours.
  BackgroundProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
  // SIGKILLs the process if it still runs.
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Waits until the output contains `text`; returns the line holding it, or
  // nullopt when the deadline passed or the process exited first.
  std::optional<std::string> wait_for_line(const std::string& text, std::chrono::seconds deadline);
  // Sends a signal to the process (by its PID).
  void signal(int sig);
  // Waits for the exit; the exit code (128 + signal if killed), or nullopt on
  // timeout.
  std::optional<int> wait(std::chrono::seconds deadline);
  // Waits until the process's output is closed (all of it was read).
  bool wait_for_eof(std::chrono::seconds deadline);
  std::string output() const;

 private:
  void read_loop();

  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::optional<int> exit_code_;
  mutable std::mutex mu_;
  std::string output_;
  bool eof_ = false;
  std::thread reader_;
};

}  // namespace magnetar::testing
