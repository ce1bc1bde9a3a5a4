#include "indexer/postgres/os_user.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace magnetar::indexer::postgres {
namespace {

// getpw*_r wants a caller buffer; sysconf may say "no limit" (-1).
constexpr std::size_t kPasswdBufferSize = 16 * 1024;
// More supplementary groups than this would be unusual for a service account.
constexpr int kMaxGroups = 256;

OsUser from_passwd(const passwd& pw) {
  OsUser user;
  user.name = pw.pw_name;
  user.uid = pw.pw_uid;
  user.gid = pw.pw_gid;
  user.home = pw.pw_dir != nullptr ? pw.pw_dir : "/";
  int count = kMaxGroups;
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  if (::getgrouplist(pw.pw_name, pw.pw_gid, groups.data(), &count) >= 0) {
    groups.resize(static_cast<std::size_t>(count));
    user.groups = std::move(groups);
  } else {
    user.groups = {pw.pw_gid};
  }
  return user;
}

}  // namespace

OsUser current_os_user() {
  const uid_t uid = ::geteuid();
  if (auto user = find_os_user(uid)) return *user;
  // No passwd entry (containers with arbitrary uids): still usable.
  OsUser user;
  user.name = std::to_string(uid);
  user.uid = uid;
  user.gid = ::getegid();
  user.groups = {user.gid};
  user.home = "/";
  return user;
}

std::optional<OsUser> find_os_user(const std::string& name) {
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buffer(kPasswdBufferSize);
  if (::getpwnam_r(name.c_str(), &pw, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    return std::nullopt;
  }
  return from_passwd(pw);
}

std::optional<OsUser> find_os_user(uid_t uid) {
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buffer(kPasswdBufferSize);
  if (::getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return from_passwd(pw);
}

}  // namespace magnetar::indexer::postgres
