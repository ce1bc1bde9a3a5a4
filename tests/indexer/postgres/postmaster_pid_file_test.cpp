#include "indexer/postgres/postmaster_pid_file.hpp"

#include <gtest/gtest.h>

namespace magnetar::indexer::postgres {
namespace {

// As PostgreSQL 15 writes it (the status line is padded to a fixed width).
constexpr const char* kReadyServer =
    "24830\n"
    "/tmp/x/postgres/data\n"
    "1795389700\n"
    "37112\n"
    "/tmp/x/postgres\n"
    "\n"
    "  1103052         3\n"
    "ready   \n";

TEST(PostmasterPidFile, ParsesEveryLineOfARunningServer) {
  const auto file = parse_postmaster_pid_file(kReadyServer);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->pid, 24830);
  EXPECT_EQ(file->data_dir, "/tmp/x/postgres/data");
  EXPECT_EQ(file->port, 37112);
  EXPECT_EQ(file->socket_dir, "/tmp/x/postgres");
  EXPECT_EQ(file->status, "ready");
}

TEST(PostmasterPidFile, FileOfAServerStillStartingHasNoStatus) {
  const auto file = parse_postmaster_pid_file("123\n/d\n1\n5432\n/s\n");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->pid, 123);
  EXPECT_EQ(file->port, 5432);
  EXPECT_EQ(file->status, "");
}

TEST(PostmasterPidFile, StandaloneBackendsNegativePidIsItsPid) {
  const auto file = parse_postmaster_pid_file("-77\n/d\n");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->pid, 77);
}

TEST(PostmasterPidFile, RejectsTextWithoutAPid) {
  EXPECT_FALSE(parse_postmaster_pid_file("").has_value());
  EXPECT_FALSE(parse_postmaster_pid_file("\n").has_value());
  EXPECT_FALSE(parse_postmaster_pid_file("0\n/d\n").has_value());
  EXPECT_FALSE(parse_postmaster_pid_file("12ab\n/d\n").has_value());
  EXPECT_FALSE(parse_postmaster_pid_file("hello").has_value());
}

TEST(PostmasterPidFile, UnparsablePortIsZero) {
  const auto file = parse_postmaster_pid_file("9\n/d\n1\nport\n");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->port, 0);
}

}  // namespace
}  // namespace magnetar::indexer::postgres
