// The operating-system account the PostgreSQL tools and server run as.
// PostgreSQL refuses to run as root, so a root process hands the cluster to an
// unprivileged account (Debian's `postgres`); otherwise it runs as itself.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace magnetar::indexer::postgres {

struct OsUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups, for setgroups() before exec
  std::filesystem::path home;
};

// The account this process runs as (effective uid).
OsUser current_os_user();

// The account called `name`, or nothing when there is none.
std::optional<OsUser> find_os_user(const std::string& name);
// The account with this uid, or nothing when there is none.
std::optional<OsUser> find_os_user(uid_t uid);

}  // namespace magnetar::indexer::postgres
