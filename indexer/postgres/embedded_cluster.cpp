#include "indexer/postgres/embedded_cluster.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "common/log.hpp"
#include "indexer/postgres/child_process.hpp"
#include "indexer/postgres/postmaster_pid_file.hpp"

namespace magnetar::indexer::postgres {
namespace fs = std::filesystem;
namespace {

// sockaddr_un.sun_path is 108 bytes with its NUL: PostgreSQL refuses a socket
// path of 108 characters or more (UNIXSOCK_PATH_BUFLEN).
constexpr std::size_t kMaxSocketPathLength = 107;
// "/.s.PGSQL." plus at most five digits of the port.
constexpr std::size_t kSocketNameLength = 15;
// Random socket numbers: away from 5432 so a system server's socket in the
// same directory is never mistaken for ours.
constexpr int kMinRandomPort = 20000;
constexpr int kMaxRandomPort = 59999;
constexpr int kPortAttempts = 100;
// Rotate the server log at start beyond this size (one old file is kept).
constexpr std::uintmax_t kMaxLogSize = 16 * 1024 * 1024;
// Lines of the server log or tool output quoted in an error.
constexpr int kErrorTailLines = 6;
constexpr std::size_t kErrorTailBytes = 8 * 1024;
// Slack on top of pg_ctl's own -t before we kill pg_ctl itself.
constexpr std::chrono::seconds kToolSlack{15};
// A killed postmaster's backends exit within a moment (they watch the
// postmaster); until they have, the shared memory is "still in use".
constexpr std::chrono::seconds kLeftoverProcessWait{15};
constexpr std::chrono::milliseconds kPollInterval{20};
// Our settings, in PGDATA, included from postgresql.conf.
constexpr const char* kSettingsFile = "magnetar.conf";
// The SQL role initdb creates (-U); the same whatever OS account runs it.
constexpr const char* kSuperuser = "postgres";

std::string one_line(std::string_view text, int max_lines) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    auto line = text.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  const auto first =
      lines.size() > static_cast<std::size_t>(max_lines) ? lines.size() - max_lines : 0;
  std::string out;
  for (auto i = first; i < lines.size(); ++i) {
    if (!out.empty()) out += " | ";
    out += lines[i];
  }
  return out;
}

std::string errno_text(int err) { return std::strerror(err); }

// A libpq conninfo value, quoted when it has anything but plain characters.
std::string conninfo_value(const std::string& value) {
  const bool plain = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' ||
           c == '-';
  });
  if (plain) return value;
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// A postgresql.conf string literal: backslashes are escapes there too.
std::string conf_string(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'')
      out += "''";
    else if (c == '\\')
      out += "\\\\";
    else
      out += c;
  }
  return out + "'";
}

bool valid_setting_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  });
}

// pg_ctl starts the server through `sh -c "exec postgres -D \"<pgdata>\" ..."`:
// these characters would break out of its double quotes.
bool shell_safe(const std::string& path) {
  return path.find_first_of("\"$`\\\n\r") == std::string::npos;
}

// unix_socket_directories is a comma-separated list with optional quoting:
// keep to paths that need neither.
bool socket_dir_safe(const std::string& path) {
  return path.find_first_of(",\"' \t\n\r") == std::string::npos && shell_safe(path);
}

bool searchable_by(const struct stat& st, const OsUser& user) {
  if (user.uid == 0) return true;
  if (st.st_uid == user.uid) return (st.st_mode & S_IXUSR) != 0;
  if (std::find(user.groups.begin(), user.groups.end(), st.st_gid) != user.groups.end() ||
      st.st_gid == user.gid) {
    return (st.st_mode & S_IXGRP) != 0;
  }
  return (st.st_mode & S_IXOTH) != 0;
}

// The working directory of a process (PostgreSQL processes chdir to PGDATA).
std::optional<fs::path> process_cwd(pid_t pid) {
  std::error_code ec;
  auto cwd = fs::read_symlink("/proc/" + std::to_string(pid) + "/cwd", ec);
  if (ec) return std::nullopt;
  return cwd;
}

// Alive and not a zombie: a killed postmaster may wait a while for its
// reaper, and PostgreSQL's own stale-lock check (kill(pid, 0)) counts it.
bool process_alive(pid_t pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto name_end = line.rfind(')');  // the command name may hold spaces
  return name_end == std::string::npos || name_end + 2 >= line.size() || line[name_end + 2] != 'Z';
}

// Removes the socket lock files (.s.PGSQL.<port>.lock, first line the pid)
// of servers that are gone, and their sockets. PostgreSQL removes them
// itself when the pid is dead, but not when it is a zombie or reused.
void remove_stale_socket_locks(const fs::path& socket_dir) {
  std::error_code ec;
  for (fs::directory_iterator it(socket_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (name.rfind(".s.PGSQL.", 0) != 0 || !name.ends_with(".lock")) continue;
    std::ifstream in(it->path());
    long pid = 0;
    if (!(in >> pid) || pid == 0 || process_alive(static_cast<pid_t>(pid < 0 ? -pid : pid))) {
      continue;
    }
    std::error_code ignored;
    fs::remove(it->path(), ignored);
    fs::remove(socket_dir / name.substr(0, name.size() - 5), ignored);
  }
}

// Processes whose working directory is `pgdata`: a server's, or what is left
// of one whose postmaster was killed.
std::vector<pid_t> processes_in(const fs::path& pgdata) {
  std::vector<pid_t> pids;
  std::error_code ec;
  for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    pid_t pid = 0;
    const auto [p, err] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (err != std::errc() || p != name.data() + name.size()) continue;
    if (auto cwd = process_cwd(pid); cwd && *cwd == pgdata) pids.push_back(pid);
  }
  return pids;
}

std::string read_tail(const fs::path& file, std::size_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::size_t>(std::max<std::streamoff>(in.tellg(), 0));
  const auto from = size > max_bytes ? size - max_bytes : 0;
  in.seekg(static_cast<std::streamoff>(from));
  std::string text(size - from, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

void write_file_atomically(const fs::path& file, const std::string& contents,
                           const std::optional<OsUser>& owner) {
  const auto tmp = fs::path(file.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) throw ClusterError("cannot write " + tmp.string());
  }
  if (owner && ::chown(tmp.c_str(), owner->uid, owner->gid) != 0) {
    throw ClusterError("cannot chown " + tmp.string() + ": " + errno_text(errno));
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) throw ClusterError("cannot write " + file.string() + ": " + ec.message());
}

// The port written to magnetar.conf by the previous start, if any.
std::optional<int> previous_port(const fs::path& pgdata) {
  std::ifstream in(pgdata / kSettingsFile);
  std::string line;
  constexpr std::string_view kKey = "port = ";
  while (std::getline(in, line)) {
    if (line.rfind(kKey, 0) != 0) continue;
    int port = 0;
    const auto* begin = line.data() + kKey.size();
    const auto [end, ec] = std::from_chars(begin, line.data() + line.size(), port);
    if (ec == std::errc() && end == line.data() + line.size() && port > 0 && port <= 65535) {
      return port;
    }
  }
  return std::nullopt;
}

}  // namespace

EmbeddedCluster::EmbeddedCluster(ClusterOptions options) : options_(std::move(options)) {
  if (options_.data_dir.empty()) throw ClusterError("data_dir is not set");
  options_.data_dir = fs::absolute(options_.data_dir).lexically_normal();
  if (!options_.data_dir.has_filename()) {  // "dir/" normalizes to "dir/"
    options_.data_dir = options_.data_dir.parent_path();
  }
  cluster_dir_ = options_.data_dir / "postgres";
  pgdata_ = cluster_dir_ / "data";
  log_file_ = cluster_dir_ / "server.log";
  port_ = options_.port;
  if (port_ < 0 || port_ > 65535) throw ClusterError("port must be 0..65535");
  if (port_ == 0) {
    std::random_device rd;
    port_ = std::uniform_int_distribution<int>(kMinRandomPort, kMaxRandomPort)(rd);
  }
}

EmbeddedCluster::~EmbeddedCluster() {
  try {
    stop(StopMode::kFast);
  } catch (const std::exception& e) {
    logger("postgres")->error("stopping the embedded PostgreSQL: {}", e.what());
  }
  release_lock();
  remove_fallback_socket_dir();
}

void EmbeddedCluster::start() {
  // Started and still up: nothing to do. Started but gone (the server was
  // killed): start it again, keeping the lock, socket and port.
  if (started_ && running()) return;
  started_ = false;
  check_binaries();
  prepare_directories();
  acquire_lock();
  try {
    choose_socket_dir();
    initdb_if_needed();
    write_settings();
    clear_previous_server();
    start_server();
    started_ = true;
    create_database();
  } catch (...) {
    if (started_) {
      std::string ignored;
      stop_server("immediate", options_.stop_timeout, &ignored);
      started_ = false;
    }
    release_lock();
    throw;
  }
}

void EmbeddedCluster::check_binaries() const {
  for (const char* tool : {"initdb", "pg_ctl", "postgres"}) {
    const auto path = options_.pg_bin / tool;
    if (::access(path.c_str(), X_OK) != 0) {
      throw ClusterError("PostgreSQL 15 not found: " + path.string() +
                         " is missing or not executable (install postgresql-15, or point pg_bin "
                         "at its bin directory)");
    }
  }
}

void EmbeddedCluster::prepare_directories() {
  const auto& data_dir = options_.data_dir;
  if (!shell_safe(data_dir.string())) {
    throw ClusterError("data_dir " + data_dir.string() +
                       " contains a character pg_ctl cannot pass (\" $ ` \\ or a line break)");
  }
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec || !fs::is_directory(data_dir)) {
    throw ClusterError("cannot create data_dir " + data_dir.string() + ": " +
                       (ec ? ec.message() : "not a directory"));
  }
  if (::access(data_dir.c_str(), W_OK | X_OK) != 0) {
    throw ClusterError("data_dir is not writable: " + data_dir.string() + ": " + errno_text(errno));
  }

  // The account that runs the cluster.
  if (::geteuid() == 0) {
    struct stat st {};
    std::optional<OsUser> owner;
    // An existing cluster keeps its (non-root) owner, e.g. one made by a
    // non-root run earlier: PostgreSQL insists that PGDATA is the server's.
    if (::stat(cluster_dir_.c_str(), &st) == 0 && st.st_uid != 0) {
      owner = find_os_user(st.st_uid);
      if (!owner) {
        throw ClusterError(cluster_dir_.string() + " belongs to uid " + std::to_string(st.st_uid) +
                           ", which has no account to run PostgreSQL as");
      }
    } else {
      owner = find_os_user(options_.server_user);
      if (!owner) {
        throw ClusterError(
            "running as root, but PostgreSQL refuses to run as root and there is no '" +
            options_.server_user +
            "' account to run it as (create it, or run magnetar as another user)");
      }
      if (owner->uid == 0) {
        throw ClusterError("server_user '" + options_.server_user +
                           "' is root: PostgreSQL refuses to run as root");
      }
    }
    run_as_ = owner;
    server_user_ = *owner;
  } else {
    run_as_.reset();
    server_user_ = current_os_user();
  }

  if (::mkdir(cluster_dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    throw ClusterError("cannot create " + cluster_dir_.string() + ": " + errno_text(errno));
  }
  struct stat st {};
  if (::lstat(cluster_dir_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw ClusterError(cluster_dir_.string() + " is not a directory");
  }
  if (run_as_) {
    if (st.st_uid != server_user_.uid &&
        ::chown(cluster_dir_.c_str(), server_user_.uid, server_user_.gid) != 0) {
      throw ClusterError("cannot hand " + cluster_dir_.string() + " to " + server_user_.name +
                         ": " + errno_text(errno));
    }
    // The server account must be able to walk to the cluster: let it pass
    // through data_dir (search only, no listing), and check the ancestors.
    struct stat dir {};
    if (::stat(data_dir.c_str(), &dir) == 0 && !searchable_by(dir, server_user_) &&
        ::chmod(data_dir.c_str(), (dir.st_mode & 07777) | S_IXOTH) != 0) {
      throw ClusterError("cannot let " + server_user_.name + " reach " + data_dir.string() + ": " +
                         errno_text(errno));
    }
    for (auto p = data_dir.parent_path(); !p.empty(); p = p.parent_path()) {
      struct stat up {};
      if (::stat(p.c_str(), &up) == 0 && !searchable_by(up, server_user_)) {
        throw ClusterError("PostgreSQL runs as " + server_user_.name +
                           " (magnetar runs as root) and cannot reach " + p.string() +
                           " on the way to data_dir: choose another data_dir, or chmod o+x " +
                           p.string());
      }
      if (p == p.root_path()) break;
    }
  } else if (st.st_uid != ::geteuid()) {
    throw ClusterError(cluster_dir_.string() + " belongs to uid " + std::to_string(st.st_uid) +
                       ", not to this user (uid " + std::to_string(::geteuid()) + ")");
  }
  if ((st.st_mode & 07777) != 0700) ::chmod(cluster_dir_.c_str(), 0700);
}

void EmbeddedCluster::acquire_lock() {
  if (lock_fd_ >= 0) return;
  const auto lock_path = options_.data_dir / "postgres.lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw ClusterError("data_dir is not writable: cannot create " + lock_path.string() + ": " +
                       errno_text(errno));
  }
  // flock() locks belong to the open file: a second EmbeddedCluster fails
  // even in the same process, and a killed process releases its lock.
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    std::string holder(32, '\0');
    const auto n = ::pread(fd, holder.data(), holder.size(), 0);
    holder.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      throw ClusterError("the embedded PostgreSQL in " + cluster_dir_.string() +
                         " is already running for another magnetar process" +
                         (holder.empty() ? std::string() : " (pid " + one_line(holder, 1) + ")") +
                         ": one data_dir serves one magnetar process");
    }
    throw ClusterError("cannot lock " + lock_path.string() + ": " + errno_text(err));
  }
  const auto pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // Only informative: the lock itself is what counts.
  }
  lock_fd_ = fd;
}

void EmbeddedCluster::release_lock() {
  if (lock_fd_ < 0) return;
  ::close(lock_fd_);
  lock_fd_ = -1;
}

void EmbeddedCluster::choose_socket_dir() {
  const auto fits = [](const fs::path& dir) {
    return dir.string().size() + kSocketNameLength <= kMaxSocketPathLength &&
           socket_dir_safe(dir.string());
  };
  if (fits(cluster_dir_)) {
    socket_dir_ = cluster_dir_;
  } else {
    // Too long (or unquotable) for a socket path: a private directory under
    // /tmp, kept for the life of this object so that dsn() does not change.
    if (!fallback_socket_dir_.empty()) {
      struct stat st {};
      if (::lstat(fallback_socket_dir_.c_str(), &st) != 0) {
        if (::mkdir(fallback_socket_dir_.c_str(), 0700) != 0) {
          throw ClusterError("cannot create socket directory " + fallback_socket_dir_.string() +
                             ": " + errno_text(errno));
        }
      } else if (!S_ISDIR(st.st_mode) ||
                 (st.st_uid != server_user_.uid && st.st_uid != ::geteuid()) ||
                 (st.st_mode & 077) != 0) {
        throw ClusterError("socket directory " + fallback_socket_dir_.string() +
                           " was replaced by something that is not ours");
      }
    } else {
      std::string pattern = "/tmp/magnetar-pg-XXXXXX";
      if (::mkdtemp(pattern.data()) == nullptr) {
        throw ClusterError("cannot create a socket directory under /tmp: " + errno_text(errno));
      }
      fallback_socket_dir_ = pattern;
    }
    if (run_as_ && ::chown(fallback_socket_dir_.c_str(), server_user_.uid, server_user_.gid) != 0) {
      throw ClusterError("cannot hand " + fallback_socket_dir_.string() + " to " +
                         server_user_.name + ": " + errno_text(errno));
    }
    socket_dir_ = fallback_socket_dir_;
    logger("postgres")
        ->info("data_dir is too long for a unix socket path: socket in {}", socket_dir_.string());
  }
  if (options_.port != 0 || port_settled_) return;
  port_settled_ = true;  // then kept across restarts, so that dsn() does not change
  // The number of the previous run, so that the DSN stays the same across
  // runs of magnetar too (for psql, scripts).
  if (const auto previous = previous_port(pgdata_)) {
    port_ = *previous;
    return;
  }
  // A leftover socket of that number (a server not cleanly stopped) is
  // handled by PostgreSQL, but a fresh number avoids the question.
  const auto taken = [&](int port) {
    std::error_code ec;
    const auto name = ".s.PGSQL." + std::to_string(port);
    return fs::exists(socket_dir_ / name, ec) || fs::exists(socket_dir_ / (name + ".lock"), ec);
  };
  std::random_device rd;
  for (int i = 0; i < kPortAttempts && taken(port_); ++i) {
    port_ = std::uniform_int_distribution<int>(kMinRandomPort, kMaxRandomPort)(rd);
  }
}

std::vector<std::string> EmbeddedCluster::child_env() const {
  // A fixed environment: nothing of the caller's (PGHOST, PGDATA, PGPORT, a
  // foreign locale) may change what the tools do; English messages.
  std::vector<std::string> env = {
      "PATH=" + options_.pg_bin.string() + ":/usr/bin:/bin",
      "LANG=C.UTF-8",
      "LC_ALL=C.UTF-8",
      "HOME=" + server_user_.home.string(),
      "USER=" + server_user_.name,
      "LOGNAME=" + server_user_.name,
  };
  if (const char* tz = std::getenv("TZ")) env.push_back(std::string("TZ=") + tz);
  return env;
}

std::string EmbeddedCluster::log_tail() const {
  return one_line(read_tail(log_file_, kErrorTailBytes), kErrorTailLines);
}

void EmbeddedCluster::initdb_if_needed() {
  std::error_code ec;
  if (fs::exists(pgdata_ / "PG_VERSION", ec)) return;
  if (fs::exists(pgdata_, ec)) {
    if (!fs::is_empty(pgdata_, ec)) {
      throw ClusterError(pgdata_.string() +
                         " exists but is not a PostgreSQL data directory (no PG_VERSION): move it "
                         "away");
    }
    fs::remove(pgdata_, ec);
  }
  // initdb into a scratch directory renamed at the end: a crash during initdb
  // leaves no half-made cluster that a later start would try to run.
  const auto scratch = cluster_dir_ / "data.initdb";
  fs::remove_all(scratch, ec);
  logger("postgres")->info("creating a PostgreSQL cluster in {}", pgdata_.string());
  std::vector<std::string> argv = {(options_.pg_bin / "initdb").string(),
                                   "-D",
                                   scratch.string(),
                                   "-U",
                                   kSuperuser,
                                   "-E",
                                   "UTF8",
                                   "--locale=C.UTF-8",
                                   "--auth-local=trust",
                                   "--auth-host=reject",
                                   "--no-instructions"};
  if (!options_.fsync) argv.push_back("--no-sync");
  const auto r = run_child(argv, child_env(), run_as_, options_.initdb_timeout);
  if (r.timed_out) {
    throw ClusterError("initdb did not finish within " +
                       std::to_string(options_.initdb_timeout.count()) +
                       " s: " + one_line(r.output, kErrorTailLines));
  }
  if (r.exit_code != 0) {
    throw ClusterError("initdb failed (exit " + std::to_string(r.exit_code) +
                       "): " + one_line(r.output, kErrorTailLines));
  }
  {
    std::ofstream conf(scratch / "postgresql.conf", std::ios::app);
    conf << "\n# magnetar: the embedded cluster's settings, rewritten at every start\n"
            "include_if_exists = 'magnetar.conf'\n";
    if (!conf) throw ClusterError("cannot write " + (scratch / "postgresql.conf").string());
  }
  fs::rename(scratch, pgdata_, ec);
  if (ec) throw ClusterError("cannot rename " + scratch.string() + ": " + ec.message());
  if (options_.fsync) {
    const int dir = ::open(cluster_dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }
}

void EmbeddedCluster::write_settings() const {
  std::string conf =
      "# Written by magnetar at every start of the embedded cluster: edits are lost.\n"
      "# Unix socket only, no TCP.\n";
  conf += "listen_addresses = ''\n";
  conf += "port = " + std::to_string(port_) + "\n";
  conf += "unix_socket_directories = " + conf_string(socket_dir_.string()) + "\n";
  conf += "unix_socket_permissions = 0700\n";
  conf += std::string("fsync = ") + (options_.fsync ? "on" : "off") + "\n";
  for (const auto& [name, value] : options_.settings) {
    if (!valid_setting_name(name)) {
      throw ClusterError("invalid PostgreSQL setting name '" + name + "'");
    }
    conf += name + " = " + conf_string(value) + "\n";
  }
  write_file_atomically(pgdata_ / kSettingsFile, conf, run_as_);
}

void EmbeddedCluster::clear_previous_server() {
  const auto canonical_pgdata = fs::weakly_canonical(pgdata_);
  if (const auto pid_file = read_postmaster_pid_file(pgdata_)) {
    const auto cwd = process_alive(pid_file->pid) ? process_cwd(pid_file->pid) : std::nullopt;
    if (cwd && *cwd == canonical_pgdata) {
      // A server on our PGDATA while we hold the lock: left running by a
      // magnetar process that was killed. Stop it; we start it again with
      // our settings.
      logger("postgres")
          ->warn(
              "a PostgreSQL server (pid {}) left running by an earlier magnetar process is using "
              "{}: "
              "stopping it",
              pid_file->pid, pgdata_.string());
      std::string output;
      if (!stop_server("fast", options_.stop_timeout, &output) &&
          !stop_server("immediate", options_.stop_timeout, &output)) {
        throw ClusterError("cannot stop the PostgreSQL server (pid " +
                           std::to_string(pid_file->pid) + ") left running on " + pgdata_.string() +
                           ": " + one_line(output, kErrorTailLines));
      }
    } else {
      // The server is gone (killed, or the machine crashed); its pid may be
      // a zombie or belong to an unrelated process by now, which would make
      // PostgreSQL refuse to start. We hold the lock: the file is stale.
      logger("postgres")
          ->info("removing stale {} (pid {} is not a server of this cluster)",
                 (pgdata_ / "postmaster.pid").string(), pid_file->pid);
      std::error_code ec;
      fs::remove(pgdata_ / "postmaster.pid", ec);
    }
  }
  remove_stale_socket_locks(socket_dir_);
  // Backends of a killed postmaster keep its shared memory "in use" until
  // they notice and exit, which makes a start fail: wait for them, bounded.
  const auto deadline = std::chrono::steady_clock::now() + kLeftoverProcessWait;
  auto left = processes_in(canonical_pgdata);
  while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kPollInterval);
    left = processes_in(canonical_pgdata);
  }
  if (!left.empty()) {
    logger("postgres")
        ->warn("{} leftover PostgreSQL processes on {} did not exit: killing them", left.size(),
               pgdata_.string());
    for (pid_t pid : left) ::kill(pid, SIGKILL);
    const auto kill_deadline = std::chrono::steady_clock::now() + kLeftoverProcessWait;
    while (!processes_in(canonical_pgdata).empty() &&
           std::chrono::steady_clock::now() < kill_deadline) {
      std::this_thread::sleep_for(kPollInterval);
    }
  }
}

void EmbeddedCluster::start_server() {
  std::error_code ec;
  if (fs::exists(log_file_, ec) && fs::file_size(log_file_, ec) > kMaxLogSize) {
    fs::rename(log_file_, fs::path(log_file_.string() + ".1"), ec);
  }
  const std::vector<std::string> argv = {(options_.pg_bin / "pg_ctl").string(),
                                         "start",
                                         "-D",
                                         pgdata_.string(),
                                         "-l",
                                         log_file_.string(),
                                         "-w",
                                         "-t",
                                         std::to_string(options_.start_timeout.count())};
  const auto r = run_child(argv, child_env(), run_as_, options_.start_timeout + kToolSlack);
  if (r.exit_code == 0 && !r.timed_out) {
    wait_until_ready(std::chrono::steady_clock::now() + options_.start_timeout);
    return;
  }
  // Do not leave a half-started server behind.
  std::string ignored;
  stop_server("immediate", options_.stop_timeout, &ignored);
  const bool too_slow = r.timed_out || r.output.find("did not start in time") != std::string::npos;
  if (too_slow) {
    throw ClusterError("PostgreSQL did not start within " +
                       std::to_string(options_.start_timeout.count()) + " s: " + log_tail());
  }
  throw ClusterError("PostgreSQL failed to start: " + one_line(r.output, 2) +
                     " | log: " + log_tail());
}

void EmbeddedCluster::create_database() const {
  try {
    pqxx::connection c(dsn(kSuperuser));
    pqxx::nontransaction tx(c);
    if (tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", options_.database).empty()) {
      tx.exec("CREATE DATABASE " + c.quote_name(options_.database));
    }
  } catch (const pqxx::failure& e) {
    throw ClusterError("cannot create database " + options_.database + ": " +
                       one_line(e.what(), 2));
  }
}

bool EmbeddedCluster::stop_server(const char* mode, std::chrono::seconds timeout,
                                  std::string* output) const {
  if (!running()) return true;
  const std::vector<std::string> argv = {
      (options_.pg_bin / "pg_ctl").string(), "stop", "-D", pgdata_.string(), "-m", mode, "-w", "-t",
      std::to_string(timeout.count())};
  const auto r = run_child(argv, child_env(), run_as_, timeout + kToolSlack);
  *output = r.output;
  return r.exit_code == 0 && !r.timed_out && !running();
}

void EmbeddedCluster::stop(StopMode mode) {
  if (!started_) return;
  std::string output;
  bool stopped = false;
  if (mode == StopMode::kFast) {
    stopped = stop_server("fast", options_.stop_timeout, &output);
    if (!stopped) {
      logger("postgres")
          ->warn("PostgreSQL did not stop within {} s: stopping it immediately",
                 options_.stop_timeout.count());
    }
  }
  if (!stopped) stopped = stop_server("immediate", options_.stop_timeout, &output);
  if (!stopped) {
    throw ClusterError("PostgreSQL did not stop within " +
                       std::to_string(options_.stop_timeout.count()) +
                       " s: " + one_line(output, kErrorTailLines) + " | log: " + log_tail());
  }
  started_ = false;
  release_lock();
}

bool EmbeddedCluster::running() const {
  const auto pid_file = read_postmaster_pid_file(pgdata_);
  if (!pid_file || !process_alive(pid_file->pid)) return false;
  const auto cwd = process_cwd(pid_file->pid);
  std::error_code ec;
  return cwd && *cwd == fs::weakly_canonical(pgdata_, ec);
}

void EmbeddedCluster::wait_until_ready(std::chrono::steady_clock::time_point deadline) const {
  std::string last_error;
  for (;;) {
    try {
      pqxx::connection c(dsn(kSuperuser));
      return;
    } catch (const std::exception& e) {
      last_error = one_line(e.what(), 2);
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(kPollInterval, deadline - now));
  }
  throw ClusterError("PostgreSQL did not accept connections in time: " + last_error +
                     " | log: " + log_tail());
}

std::string EmbeddedCluster::dsn() const { return dsn(options_.database); }

std::string EmbeddedCluster::dsn(const std::string& database) const {
  return "host=" + conninfo_value(socket_dir_.string()) + " port=" + std::to_string(port_) +
         " dbname=" + conninfo_value(database) + " user=" + kSuperuser;
}

void EmbeddedCluster::remove_fallback_socket_dir() {
  if (fallback_socket_dir_.empty()) return;
  std::error_code ec;
  fs::remove_all(fallback_socket_dir_, ec);
  fallback_socket_dir_.clear();
}

}  // namespace magnetar::indexer::postgres
