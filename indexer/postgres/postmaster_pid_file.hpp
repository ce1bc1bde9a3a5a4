// PGDATA/postmaster.pid: the server's lock file. Its lines (PostgreSQL 15,
// src/include/utils/pidfile.h): pid, data directory, start time, port, first
// socket directory, first listen address, shared memory key, status.
// Written by the server, read here to tell a live server from a stale file.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace magnetar::indexer::postgres {

struct PostmasterPidFile {
  pid_t pid = 0;
  std::filesystem::path data_dir;
  int port = 0;
  std::filesystem::path socket_dir;
  std::string status;  // "starting", "stopping", "ready", "standby"; empty when not yet written
};

// Parses the file's text; nothing when the first line is not a positive pid.
std::optional<PostmasterPidFile> parse_postmaster_pid_file(std::string_view text);

// Reads and parses PGDATA/postmaster.pid; nothing when absent or unparsable.
std::optional<PostmasterPidFile> read_postmaster_pid_file(const std::filesystem::path& pgdata);

}  // namespace magnetar::indexer::postgres
