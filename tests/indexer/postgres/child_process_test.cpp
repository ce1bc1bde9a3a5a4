#include "indexer/postgres/child_process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>

#include "indexer/postgres/cluster_error.hpp"

namespace magnetar::indexer::postgres {
namespace {

using namespace std::chrono_literals;

TEST(RunChild, PassesArgumentsVerbatimWithoutAShell) {
  const auto r = run_child({"/bin/echo", "a b", "$HOME", "'q'", ";", "*"}, {}, std::nullopt, 10s);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.output, "a b $HOME 'q' ; *\n");
}

TEST(RunChild, ReportsTheExitCodeAndCapturesStderr) {
  const auto r = run_child({"/bin/ls", "/no/such/path"}, {}, std::nullopt, 10s);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("/no/such/path"), std::string::npos) << r.output;
}

TEST(RunChild, GivesTheChildExactlyTheGivenEnvironment) {
  const auto r = run_child({"/usr/bin/env"}, {"ONLY=this", "AND=that"}, std::nullopt, 10s);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output, "ONLY=this\nAND=that\n");
}

TEST(RunChild, KillsAChildThatOutlivesItsDeadline) {
  const auto before = std::chrono::steady_clock::now();
  const auto r = run_child({"/bin/sleep", "30"}, {}, std::nullopt, 200ms);
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 10s);
}

TEST(RunChild, ProgramThatCannotBeStartedThrows) {
  try {
    run_child({"/no/such/program"}, {}, std::nullopt, 10s);
    FAIL() << "no exception";
  } catch (const ClusterError& e) {
    EXPECT_NE(std::string(e.what()).find("/no/such/program"), std::string::npos) << e.what();
  }
}

TEST(RunChild, ChildInheritsNoDescriptorBeyondTheStandardThree) {
  // A descriptor without close-on-exec, like a library's socket might be.
  const int fd = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  const int high = ::dup2(fd, 77);
  ASSERT_EQ(high, 77);
  const auto r = run_child({"/bin/ls", "/proc/self/fd"}, {}, std::nullopt, 10s);
  ::close(fd);
  ::close(high);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output.find("77"), std::string::npos) << r.output;
}

TEST(RunChild, RunsAsAnotherAccountWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "switching accounts needs root";
  const auto user = find_os_user("postgres");
  ASSERT_TRUE(user.has_value()) << "no postgres account";
  const auto r = run_child({"/usr/bin/id", "-u"}, {}, user, 10s);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output, std::to_string(user->uid) + "\n");
}

}  // namespace
}  // namespace magnetar::indexer::postgres
