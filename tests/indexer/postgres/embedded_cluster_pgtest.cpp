// The embedded cluster against the real PostgreSQL 15 binaries: each test
// makes its own cluster in its own TempDir.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <pqxx/pqxx>
#include <thread>

#include "indexer/postgres/embedded_cluster.hpp"
#include "indexer/postgres/postmaster_pid_file.hpp"
#include "tests/support/temp_dir.hpp"

namespace magnetar::indexer::postgres {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

ClusterOptions test_options(const std::filesystem::path& data_dir) {
  ClusterOptions options;
  options.data_dir = data_dir;
  options.fsync = false;  // throwaway clusters; an immediate stop still keeps commits
  options.settings = {{"shared_buffers", "16MB"}, {"max_connections", "20"}};
  return options;
}

std::string query_one(const std::string& dsn, const std::string& sql) {
  pqxx::connection c(dsn);
  pqxx::nontransaction tx(c);
  return tx.exec1(sql)[0].as<std::string>();
}

void exec(const std::string& dsn, const std::string& sql) {
  pqxx::connection c(dsn);
  pqxx::work tx(c);
  tx.exec(sql);
  tx.commit();
}

// Waits (bounded) until `pid` is gone or a zombie awaiting its reaper.
bool wait_gone(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!stat || !std::getline(stat, line)) return true;
    const auto close = line.rfind(')');
    if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z') {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(EmbeddedCluster, FirstStartCreatesClusterAndDatabaseReachableOverTheSocket) {
  TempDir dir;
  EmbeddedCluster cluster(test_options(dir.path()));
  EXPECT_FALSE(cluster.running());
  cluster.start();
  EXPECT_TRUE(cluster.running());
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "postgres" / "data" / "PG_VERSION"));
  EXPECT_EQ(query_one(cluster.dsn(), "SELECT current_database()"), "magnetar");
  EXPECT_EQ(query_one(cluster.dsn(), "SHOW server_encoding"), "UTF8");
  EXPECT_EQ(query_one(cluster.dsn(), "SHOW lc_collate"), "C.UTF-8");
  EXPECT_EQ(query_one(cluster.dsn(), "SHOW listen_addresses"), "");
  EXPECT_EQ(query_one(cluster.dsn(), "SHOW fsync"), "off");
  EXPECT_EQ(query_one(cluster.dsn(), "SHOW shared_buffers"), "16MB");
  EXPECT_EQ(query_one(cluster.dsn(), "SELECT current_setting('server_version_num')::int / 10000"),
            "15");
  EXPECT_EQ(cluster.socket_dir(), dir.path() / "postgres");
  cluster.stop();
  EXPECT_FALSE(cluster.running());
}

TEST(EmbeddedCluster, StopThenStartKeepsDataAndTheSameDsn) {
  TempDir dir;
  EmbeddedCluster cluster(test_options(dir.path()));
  cluster.start();
  const auto dsn = cluster.dsn();
  exec(dsn, "CREATE TABLE t (v int); INSERT INTO t VALUES (1), (2), (3)");
  cluster.stop();
  EXPECT_FALSE(cluster.running());
  EXPECT_THROW(pqxx::connection{dsn}, pqxx::broken_connection);
  cluster.start();
  EXPECT_EQ(cluster.dsn(), dsn);
  EXPECT_EQ(query_one(dsn, "SELECT sum(v) FROM t"), "6");
}

TEST(EmbeddedCluster, AnotherObjectOnTheSameDataDirFindsTheExistingClusterAtTheSameDsn) {
  TempDir dir;
  std::string dsn;
  {
    EmbeddedCluster first(test_options(dir.path()));
    first.start();
    dsn = first.dsn();
    exec(dsn, "CREATE TABLE t (v int); INSERT INTO t VALUES (42)");
  }  // the destructor stops it
  EXPECT_THROW(pqxx::connection{dsn}, pqxx::broken_connection);
  EmbeddedCluster second(test_options(dir.path()));
  second.start();
  EXPECT_EQ(second.dsn(), dsn);
  EXPECT_EQ(query_one(second.dsn(), "SELECT v FROM t"), "42");
}

TEST(EmbeddedCluster, ImmediateStopThenStartRecoversCommittedRows) {
  TempDir dir;
  EmbeddedCluster cluster(test_options(dir.path()));
  cluster.start();
  exec(cluster.dsn(), "CREATE TABLE t (v int)");
  exec(cluster.dsn(), "INSERT INTO t SELECT generate_series(1, 1000)");
  cluster.stop(EmbeddedCluster::StopMode::kImmediate);
  EXPECT_FALSE(cluster.running());
  cluster.start();
  EXPECT_EQ(query_one(cluster.dsn(), "SELECT count(*) FROM t"), "1000");
}

TEST(EmbeddedCluster, ImmediateStopWithFsyncOnKeepsCommittedRows) {
  TempDir dir;
  auto options = test_options(dir.path());
  options.fsync = true;
  EmbeddedCluster cluster(options);
  cluster.start();
  EXPECT_EQ(query_one(cluster.dsn(), "SHOW fsync"), "on");
  exec(cluster.dsn(), "CREATE TABLE t (v int); INSERT INTO t VALUES (7)");
  cluster.stop(EmbeddedCluster::StopMode::kImmediate);
  cluster.start();
  EXPECT_EQ(query_one(cluster.dsn(), "SELECT v FROM t"), "7");
}

TEST(EmbeddedCluster, KilledPostmasterLeavesAStalePidFileThatDoesNotPreventARestart) {
  TempDir dir;
  EmbeddedCluster cluster(test_options(dir.path()));
  cluster.start();
  exec(cluster.dsn(), "CREATE TABLE t (v int); INSERT INTO t VALUES (5)");
  const auto pid_file = read_postmaster_pid_file(cluster.pgdata());
  ASSERT_TRUE(pid_file.has_value());
  // Only the postmaster this test started.
  ASSERT_EQ(::kill(pid_file->pid, SIGKILL), 0);
  ASSERT_TRUE(wait_gone(pid_file->pid, 30s));
  EXPECT_TRUE(std::filesystem::exists(cluster.pgdata() / "postmaster.pid"));
  EXPECT_FALSE(cluster.running());
  cluster.start();  // the same object: it still holds the data_dir
  EXPECT_TRUE(cluster.running());
  EXPECT_EQ(query_one(cluster.dsn(), "SELECT v FROM t"), "5");
}

TEST(EmbeddedCluster, PidFileNamingAnUnrelatedLiveProcessIsTreatedAsStale) {
  TempDir dir;
  EmbeddedCluster cluster(test_options(dir.path()));
  cluster.start();
  cluster.stop();
  // As after a reboot: the old pid now belongs to someone else (this test).
  const auto pid_path = cluster.pgdata() / "postmaster.pid";
  {
    std::ofstream out(pid_path);
    out << ::getpid() << "\n" << cluster.pgdata().string() << "\n0\n5432\n/tmp\n\n0 0\nready   \n";
  }
  EXPECT_FALSE(cluster.running());
  cluster.start();
  EXPECT_TRUE(cluster.running());
  EXPECT_EQ(query_one(cluster.dsn(), "SELECT 1"), "1");
}

TEST(EmbeddedCluster, ServerLeftRunningByAKilledProcessIsRestarted) {
  TempDir dir;
  // A child process starts the cluster and exits without stopping it, as a
  // magnetar killed with SIGKILL would: its lock goes, the server stays.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int code = 0;
    try {
      auto* leaked = new EmbeddedCluster(test_options(dir.path()));
      leaked->start();
    } catch (...) {
      code = 1;
    }
    ::_exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const auto orphan = read_postmaster_pid_file(dir.path() / "postgres" / "data");
  ASSERT_TRUE(orphan.has_value());

  EmbeddedCluster cluster(test_options(dir.path()));
  EXPECT_TRUE(cluster.running());  // the orphan
  cluster.start();
  const auto now = read_postmaster_pid_file(cluster.pgdata());
  ASSERT_TRUE(now.has_value());
  EXPECT_NE(now->pid, orphan->pid);
  EXPECT_EQ(now->port, cluster.port());
  EXPECT_EQ(query_one(cluster.dsn(), "SELECT 1"), "1");
}

TEST(EmbeddedCluster, SecondClusterOnTheSameDataDirFailsClearlyAndLeavesTheFirstRunning) {
  TempDir dir;
  EmbeddedCluster first(test_options(dir.path()));
  first.start();
  EmbeddedCluster second(test_options(dir.path()));
  try {
    second.start();
    FAIL() << "the second start succeeded";
  } catch (const ClusterError& e) {
    EXPECT_NE(std::string(e.what()).find("already running"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(first.running());
  EXPECT_EQ(query_one(first.dsn(), "SELECT 1"), "1");
  // The failed object does not stop the first one's server on destruction.
  second.stop();
  EXPECT_TRUE(first.running());
}

// Run as root, the server account must be able to walk down to data_dir;
// the cluster only opens up data_dir itself, not the directories above it.
void let_others_traverse(const std::filesystem::path& dir) {
  std::filesystem::permissions(dir, std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
}

TEST(EmbeddedCluster, SecondProcessOnTheSameDataDirFailsClearly) {
  TempDir dir;
  EmbeddedCluster first(test_options(dir.path()));
  first.start();
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(out[0]);
    std::string message = "started";
    try {
      EmbeddedCluster second(test_options(dir.path()));
      second.start();
    } catch (const ClusterError& e) {
      message = e.what();
    }
    [[maybe_unused]] auto n = ::write(out[1], message.data(), message.size());
    ::_exit(0);
  }
  ::close(out[1]);
  std::string message;
  char buffer[1024];
  ssize_t n;
  while ((n = ::read(out[0], buffer, sizeof buffer)) > 0) message.append(buffer, n);
  ::close(out[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_NE(message.find("already running for another magnetar process (pid " +
                         std::to_string(::getpid()) + ")"),
            std::string::npos)
      << message;
  EXPECT_TRUE(first.running());
  EXPECT_EQ(query_one(first.dsn(), "SELECT 1"), "1");
}

TEST(EmbeddedCluster, LongDataDirPathPutsTheSocketInAShortPrivateDirectory) {
  TempDir dir;
  let_others_traverse(dir.path());
  const auto deep = dir.path() / std::string(60, 'a') / std::string(60, 'b');
  EmbeddedCluster cluster(test_options(deep));
  cluster.start();
  EXPECT_EQ(query_one(cluster.dsn(), "SELECT 1"), "1");
  const auto socket_dir = cluster.socket_dir();
  EXPECT_LE(socket_dir.string().size() + 15, 107u);
  EXPECT_NE(socket_dir.string().rfind(deep.string(), 0), 0u);
  struct stat st {};
  ASSERT_EQ(::stat(socket_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  const auto dsn = cluster.dsn();
  cluster.stop();
  cluster.start();
  EXPECT_EQ(cluster.dsn(), dsn);
  EXPECT_EQ(query_one(cluster.dsn(), "SELECT 1"), "1");
  cluster.stop();
}

TEST(EmbeddedCluster, FallbackSocketDirectoryIsRemovedWithTheObject) {
  TempDir dir;
  let_others_traverse(dir.path());
  std::filesystem::path socket_dir;
  {
    EmbeddedCluster cluster(test_options(dir.path() / std::string(100, 'c')));
    cluster.start();
    socket_dir = cluster.socket_dir();
    EXPECT_TRUE(std::filesystem::exists(socket_dir));
  }
  EXPECT_FALSE(std::filesystem::exists(socket_dir));
}

TEST(EmbeddedCluster, InitdbInterruptedByACrashIsRedone) {
  TempDir dir;
  // What a crash during initdb leaves: a half-made scratch cluster.
  dir.write("postgres/data.initdb/PG_VERSION", "15\n");
  dir.write("postgres/data.initdb/base/junk", "x");
  EmbeddedCluster cluster(test_options(dir.path()));
  cluster.start();
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "postgres" / "data.initdb"));
  EXPECT_EQ(query_one(cluster.dsn(), "SELECT current_database()"), "magnetar");
}

TEST(EmbeddedCluster, ForeignFilesWhereTheDataDirectoryGoesAreLeftAloneWithAClearError) {
  TempDir dir;
  const auto mine = dir.write("postgres/data/notes.txt", "keep me");
  EmbeddedCluster cluster(test_options(dir.path()));
  try {
    cluster.start();
    FAIL() << "started over foreign files";
  } catch (const ClusterError& e) {
    EXPECT_NE(std::string(e.what()).find("not a PostgreSQL data directory"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(std::filesystem::exists(mine));
}

TEST(EmbeddedCluster, MissingBinariesGiveAClearError) {
  TempDir dir;
  auto options = test_options(dir.path());
  options.pg_bin = dir.path() / "no-such-bin";
  EmbeddedCluster cluster(options);
  try {
    cluster.start();
    FAIL() << "started without binaries";
  } catch (const ClusterError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("PostgreSQL 15 not found"), std::string::npos) << what;
    EXPECT_NE(what.find("no-such-bin"), std::string::npos) << what;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "postgres"));
}

TEST(EmbeddedCluster, DataDirThatIsAFileGivesAClearError) {
  TempDir dir;
  const auto file = dir.write("not-a-dir", "x");
  EmbeddedCluster cluster(test_options(file));
  try {
    cluster.start();
    FAIL() << "started on a file";
  } catch (const ClusterError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot create data_dir"), std::string::npos) << e.what();
  }
}

TEST(EmbeddedCluster, InvalidSettingIsRejectedWithTheServerLog) {
  TempDir dir;
  auto options = test_options(dir.path());
  options.settings.emplace_back("shared_buffers", "lots");
  options.start_timeout = 30s;
  EmbeddedCluster cluster(options);
  try {
    cluster.start();
    FAIL() << "started with a bad setting";
  } catch (const ClusterError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("PostgreSQL failed to start"), std::string::npos) << what;
    EXPECT_NE(what.find("shared_buffers"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
  EXPECT_FALSE(cluster.running());
  // The data_dir is free again for a corrected configuration.
  EmbeddedCluster fixed(test_options(dir.path()));
  fixed.start();
  EXPECT_EQ(query_one(fixed.dsn(), "SELECT 1"), "1");
}

TEST(EmbeddedCluster, SettingNameThatIsNotAnIdentifierIsRejected) {
  TempDir dir;
  auto options = test_options(dir.path());
  options.settings.emplace_back("work_mem = 1\nfsync", "off");
  EmbeddedCluster cluster(options);
  EXPECT_THROW(cluster.start(), ClusterError);
  EXPECT_FALSE(cluster.running());
}

TEST(EmbeddedCluster, WaitUntilReadyReturnsWhenUpAndThrowsAtTheDeadlineWhenDown) {
  TempDir dir;
  EmbeddedCluster cluster(test_options(dir.path()));
  cluster.start();
  cluster.wait_until_ready(std::chrono::steady_clock::now() + 5s);
  cluster.stop();
  const auto before = std::chrono::steady_clock::now();
  EXPECT_THROW(cluster.wait_until_ready(before + 300ms), ClusterError);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
}

TEST(EmbeddedCluster, GivenPortIsUsedForTheSocketName) {
  TempDir dir;
  auto options = test_options(dir.path());
  options.port = 54329;
  EmbeddedCluster cluster(options);
  cluster.start();
  EXPECT_EQ(cluster.port(), 54329);
  EXPECT_NE(cluster.dsn().find("port=54329"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(cluster.socket_dir() / ".s.PGSQL.54329"));
  EXPECT_EQ(query_one(cluster.dsn(), "SHOW port"), "54329");
}

TEST(EmbeddedCluster, ClusterDirectoryIsPrivateToTheServerAccount) {
  TempDir dir;
  EmbeddedCluster cluster(test_options(dir.path()));
  cluster.start();
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "postgres").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  if (::geteuid() == 0) {
    EXPECT_NE(st.st_uid, 0u);  // PostgreSQL never runs as root
    // data_dir (0700 from mkdtemp) lets the server account pass, not list.
    struct stat data_dir {};
    ASSERT_EQ(::stat(dir.path().c_str(), &data_dir), 0);
    EXPECT_EQ(data_dir.st_mode & 0777, 0701u);
    EXPECT_NE(query_one(cluster.dsn(), "SELECT 1"), "");
  } else {
    EXPECT_EQ(st.st_uid, ::geteuid());
  }
}

}  // namespace
}  // namespace magnetar::indexer::postgres
