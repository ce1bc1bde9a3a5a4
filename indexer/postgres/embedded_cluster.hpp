// A private PostgreSQL 15 cluster under magnetar's data directory: the default
// of `magnetar up` / `serve` when no DSN is given, and the server of tests
// that need to stop or crash PostgreSQL.
//
// Layout (data_dir/postgres, owned by the server account, mode 0700):
//   data/          PGDATA, made by initdb on first start (into data.initdb,
//                  then renamed, so an interrupted initdb is simply redone)
//   data/magnetar.conf   our settings, rewritten at every start and included
//                  from postgresql.conf
//   server.log     the server's log (pg_ctl -l), rotated once at start when large
//   .s.PGSQL.<port>      the unix socket: no TCP at all (listen_addresses='')
// and data_dir/postgres.lock, flock()ed while an EmbeddedCluster runs the
// cluster, so a second magnetar process on the same data_dir fails clearly.
//
// Access: trust authentication on the unix socket only. The socket directory
// is mode 0700 and owned by the server account, so only that account and root
// can connect. Unix socket paths are limited to 107 bytes: when data_dir is too
// deep for that, the socket goes to a fresh private directory under /tmp
// (mkdtemp, 0700, owned by the server account), removed at stop.
//
// Accounts: PostgreSQL refuses to run as root. A root process runs initdb,
// pg_ctl and the server as `server_user` (default `postgres`), chowns
// data_dir/postgres to it and, if needed, lets it traverse data_dir (o+x, no
// listing); any other process runs them as itself. Programs are run with
// argument vectors (never a shell) and a deadline.
//
// Crashes: a server left running by a killed magnetar process is stopped and
// started again by the next start(); a stale postmaster.pid (the server was
// killed, its pid possibly a zombie or reused by now) is removed, and the
// leftover backends of a killed server are waited for (bounded). A cluster
// started by this object and not stopped (the process was killed) keeps
// running until that next start().
//
// Threads: start() and stop() are called from one thread; dsn() and running()
// may be called from any thread once start() has returned (the socket
// directory and port never change afterwards, also across restarts).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "indexer/postgres/cluster_error.hpp"
#include "indexer/postgres/os_user.hpp"

namespace magnetar::indexer::postgres {

struct ClusterOptions {
  // magnetar's data directory; the cluster lives in data_dir/postgres.
  std::filesystem::path data_dir;
  // Where initdb, pg_ctl and postgres are (Debian's postgresql-15 package).
  std::filesystem::path pg_bin = "/usr/lib/postgresql/15/bin";
  // The socket file's number (.s.PGSQL.<port>); no TCP port is opened.
  // 0: the number of the previous run of this cluster, or on the first run a
  // random number with no socket of that number in the socket directory; so
  // dsn() stays the same across restarts, and across runs when the socket
  // directory does not change.
  int port = 0;
  // Off only for throwaway clusters (tests): a crash of the OS may then lose
  // or corrupt data. An immediate stop or kill -9 of PostgreSQL loses nothing
  // either way.
  bool fsync = true;
  // Extra postgresql.conf settings (name, value), e.g. {"shared_buffers", "256MB"}.
  std::vector<std::pair<std::string, std::string>> settings;
  // Created on start when missing.
  std::string database = "magnetar";
  // The account that runs PostgreSQL when this process is root.
  std::string server_user = "postgres";
  // Bounds of pg_ctl start / stop (each), and of initdb.
  std::chrono::seconds start_timeout{60};
  std::chrono::seconds stop_timeout{60};
  std::chrono::seconds initdb_timeout{120};
};

class EmbeddedCluster {
 public:
  enum class StopMode {
    kFast,       // disconnect clients, checkpoint, exit (pg_ctl -m fast)
    kImmediate,  // exit without a checkpoint: crash recovery at next start
  };

  // Only records the options (and picks the port); start() does the work.
  explicit EmbeddedCluster(ClusterOptions options);
  // Stops the cluster (fast) if this object started it. Never throws.
  ~EmbeddedCluster();
  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

  // Runs initdb on first use, starts the server and waits until it accepts
  // connections, and creates the database. A stale postmaster.pid (server
  // killed) is handled; a server left running by a killed magnetar process
  // on this data_dir is stopped and started again with our settings.
  // Throws ClusterError, e.g. when another EmbeddedCluster (in any process)
  // runs this data_dir. No-op when this object runs it and it is up; when
  // it died (e.g. killed), starts it again with the same dsn().
  void start();

  // Stops the server if this object started it; bounded by stop_timeout
  // (a fast stop that does not finish in time becomes an immediate one).
  // Throws ClusterError when the server cannot be stopped.
  void stop(StopMode mode = StopMode::kFast);

  // Whether a server is running on this cluster's PGDATA (whoever started it).
  bool running() const;

  // Waits until the server accepts connections, or throws ClusterError at
  // the deadline. start() already does this; for callers after a crash.
  void wait_until_ready(std::chrono::steady_clock::time_point deadline) const;

  // libpq connection string: host=<socket dir> port=<port> dbname=<database>
  // user=postgres. Valid once start() has returned; then stable for the life
  // of this object, across stop() and start().
  std::string dsn() const;
  // The same for another database of the cluster (e.g. "postgres").
  std::string dsn(const std::string& database) const;

  const std::filesystem::path& pgdata() const { return pgdata_; }
  const std::filesystem::path& socket_dir() const { return socket_dir_; }
  const std::filesystem::path& log_file() const { return log_file_; }
  int port() const { return port_; }

 private:
  void check_binaries() const;
  void prepare_directories();
  void acquire_lock();
  void release_lock();
  void choose_socket_dir();
  void initdb_if_needed();
  void write_settings() const;
  void clear_previous_server();
  void start_server();
  void create_database() const;
  bool stop_server(const char* mode, std::chrono::seconds timeout, std::string* output) const;
  void remove_fallback_socket_dir();
  std::vector<std::string> child_env() const;
  std::string log_tail() const;

  ClusterOptions options_;
  std::filesystem::path cluster_dir_;  // data_dir/postgres
  std::filesystem::path pgdata_;       // cluster_dir_/data
  std::filesystem::path log_file_;     // cluster_dir_/server.log
  std::filesystem::path socket_dir_;   // cluster_dir_, or fallback_socket_dir_
  std::filesystem::path fallback_socket_dir_;
  int port_ = 0;
  bool port_settled_ = false;
  std::optional<OsUser> run_as_;  // set when this process is root
  OsUser server_user_;            // the account that owns and runs the cluster
  int lock_fd_ = -1;
  bool started_ = false;
};

}  // namespace magnetar::indexer::postgres
