#include "indexer/postgres/child_process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "indexer/postgres/cluster_error.hpp"

namespace magnetar::indexer::postgres {
namespace {

// Dispositions a caller may have set to SIG_IGN (which survives exec) and that
// the PostgreSQL tools rely on being default.
constexpr int kResetSignals[] = {SIGPIPE, SIGINT,  SIGTERM, SIGQUIT,
                                 SIGHUP,  SIGCHLD, SIGUSR1, SIGUSR2};

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Between fork and exec: async-signal-safe calls only. Reports errno on
// `error_fd` (close-on-exec, so a successful exec closes it silently).
[[noreturn]] void exec_child(char* const* argv, char* const* envp, const OsUser* as_user,
                             int out_fd, int error_fd) {
  ::setpgid(0, 0);  // its own group: a timeout kills the tool and its helpers
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : kResetSignals) ::signal(sig, SIG_DFL);

  const int null_fd = ::open("/dev/null", O_RDONLY);
  bool ok =
      null_fd >= 0 && ::dup2(null_fd, 0) == 0 && ::dup2(out_fd, 1) == 1 && ::dup2(out_fd, 2) == 2;
  if (ok) {
    // Nothing else of the caller (sockets, database files, our lock file)
    // may leak into the tools or, through pg_ctl, the long-lived server.
    if (error_fd > 3) ::close_range(3, static_cast<unsigned>(error_fd) - 1, 0);
    ::close_range(static_cast<unsigned>(error_fd) + 1, ~0U, 0);
    ok = ::chdir("/") == 0;
  }
  if (ok && as_user != nullptr) {
    ok = ::setgroups(as_user->groups.size(), as_user->groups.data()) == 0 &&
         ::setgid(as_user->gid) == 0 && ::setuid(as_user->uid) == 0;
  }
  if (ok) ::execve(argv[0], argv, envp);
  const int err = errno;
  [[maybe_unused]] auto n = ::write(error_fd, &err, sizeof err);
  ::_exit(127);
}

}  // namespace

ChildResult run_child(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                      const std::optional<OsUser>& as_user, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // Everything the child needs is built before fork.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  int out_pipe[2];
  int error_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    throw ClusterError("pipe failed: " + std::string(std::strerror(errno)));
  Fd out_read(out_pipe[0]);
  Fd out_write(out_pipe[1]);
  if (::pipe2(error_pipe, O_CLOEXEC) != 0)
    throw ClusterError("pipe failed: " + std::string(std::strerror(errno)));
  Fd error_read(error_pipe[0]);
  Fd error_write(error_pipe[1]);

  const pid_t pid = ::fork();
  if (pid < 0) throw ClusterError("fork failed: " + std::string(std::strerror(errno)));
  if (pid == 0) {
    exec_child(args.data(), envp.data(), as_user ? &*as_user : nullptr, out_write.get(),
               error_write.get());
  }
  out_write.reset();
  error_write.reset();

  int exec_errno = 0;
  ssize_t n;
  do {
    n = ::read(error_read.get(), &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof exec_errno)) {
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    throw ClusterError("cannot run " + argv[0] + ": " + std::strerror(exec_errno));
  }

  // Wait for output and exit together, bounded by the deadline. The pidfd
  // reports the exit even if a grandchild keeps the output pipe open.
  // glibc 2.36's <sys/pidfd.h> lacks extern "C" for C++: the raw system call.
  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  ChildResult result;
  bool output_open = true;
  bool exited = false;
  char buffer[4096];
  while (!exited) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fds[2] = {{pidfd.get(), POLLIN, 0}, {output_open ? out_read.get() : -1, POLLIN, 0}};
    // Without pidfd (old kernels) poll the exit at a short interval.
    const int wait_ms = pidfd.get() >= 0 ? static_cast<int>(left.count())
                                         : static_cast<int>(std::min<long>(left.count(), 50));
    const int ready = ::poll(fds, 2, wait_ms);
    if (ready < 0 && errno != EINTR) break;
    if (output_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      n = ::read(out_read.get(), buffer, sizeof buffer);
      if (n > 0) {
        result.output.append(buffer, static_cast<std::size_t>(n));
        if (result.output.size() > kMaxChildOutput) {
          result.output.erase(0, result.output.size() - kMaxChildOutput);
        }
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        output_open = false;
      }
    }
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      exited = true;
      result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    } else if (done < 0 && errno == ECHILD) {
      exited = true;  // reaped elsewhere (SIGCHLD ignored): the status is lost
    }
  }
  if (result.timed_out) {
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  } else {
    // Drain what the tool wrote just before exiting, without blocking on a
    // grandchild that may still hold the pipe.
    ::fcntl(out_read.get(), F_SETFL, O_NONBLOCK);
    while (output_open && (n = ::read(out_read.get(), buffer, sizeof buffer)) > 0) {
      result.output.append(buffer, static_cast<std::size_t>(n));
    }
    if (result.output.size() > kMaxChildOutput) {
      result.output.erase(0, result.output.size() - kMaxChildOutput);
    }
  }
  return result;
}

}  // namespace magnetar::indexer::postgres
