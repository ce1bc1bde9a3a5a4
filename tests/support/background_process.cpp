#include "tests/support/background_process.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

extern char** environ;

namespace magnetar::testing {

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::vector<std::string>& env) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  const int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    throw std::runtime_error("cannot start " + argv[0]);
  }
  out_fd_ = fds[0];
  reader_ = std::thread([this] { read_loop(); });
}

BackgroundProcess::~BackgroundProcess() {
  if (!exit_code_) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(30));
  }
  if (reader_.joinable()) reader_.join();
  ::close(out_fd_);
}

void BackgroundProcess::read_loop() {
  char buf[4096];
  ssize_t n;
  while ((n = ::read(out_fd_, buf, sizeof buf)) > 0) {
    std::lock_guard lock(mu_);
    output_.append(buf, static_cast<std::size_t>(n));
  }
  std::lock_guard lock(mu_);
  eof_ = true;
}

std::optional<std::string> BackgroundProcess::wait_for_line(const std::string& text,
                                                            std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    {
      std::lock_guard lock(mu_);
      if (auto at = output_.find(text); at != std::string::npos) {
        const auto begin = output_.rfind('\n', at);
        const auto end = output_.find('\n', at);
        return output_.substr(begin == std::string::npos ? 0 : begin + 1,
                              end == std::string::npos
                                  ? std::string::npos
                                  : end - (begin == std::string::npos ? 0 : begin + 1));
      }
      if (eof_) return std::nullopt;
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(20));  // polling interval, not a condition
  }
  return std::nullopt;
}

void BackgroundProcess::signal(int sig) {
  if (!exit_code_) ::kill(pid_, sig);
}

std::optional<int> BackgroundProcess::wait(std::chrono::seconds deadline) {
  if (exit_code_) return exit_code_;
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

bool BackgroundProcess::wait_for_eof(std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    {
      std::lock_guard lock(mu_);
      if (eof_) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

std::string BackgroundProcess::output() const {
  std::lock_guard lock(mu_);
  return output_;
}

}  // namespace magnetar::testing
