// `magnetar serve` as a user runs it: embedded PostgreSQL, migrations, the
// hub's gRPC service on loopback; stopped by SIGTERM (by PID).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <regex>

#include "magnetar/v1/hub.grpc.pb.h"
#include "rpc/common/bearer_token.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace magnetar {
namespace {

using namespace std::chrono_literals;

TEST(Serve, StartsEmbeddedPostgresServesTheHubAndStopsCleanly) {
  testing::TempDir dir;
  // Run as root, PostgreSQL runs as `postgres` and must pass through the dir.
  std::filesystem::permissions(dir.path(), std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  const auto data = dir.path() / "data";
  testing::BackgroundProcess serve(
      {MAGNETAR_BINARY, "serve", "--data-dir", data.string(), "--hub-listen", "127.0.0.1:0",
       "--api-listen", "127.0.0.1:0"});
  const auto line = serve.wait_for_line("hub on ", 180s);
  ASSERT_TRUE(line.has_value()) << serve.output();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(*line, m, std::regex("hub on (127\\.0\\.0\\.1:[0-9]+)")));

  std::string token;
  std::ifstream(data / "cluster-token") >> token;
  ASSERT_EQ(token.size(), 64u);
  auto stub = v1::Hub::NewStub(grpc::CreateChannel(m[1].str(), grpc::InsecureChannelCredentials()));
  v1::TriageRequest req;
  req.add_info_hashes(std::string(20, 'q'));
  v1::TriageResponse resp;
  grpc::ClientContext ctx;
  auto [k, v] = rpc::bearer_metadata(token);
  ctx.AddMetadata(k, v);
  ctx.set_deadline(std::chrono::system_clock::now() + 30s);
  const auto status = stub->Triage(&ctx, req, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << serve.output();
  ASSERT_EQ(resp.verdicts_size(), 1);
  EXPECT_EQ(resp.verdicts(0), v1::VERDICT_NEW);

  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait(120s), 0) << serve.output();
  // PostgreSQL was stopped with it.
  EXPECT_FALSE(std::filesystem::exists(data / "postgres" / "data" / "postmaster.pid"));
}

TEST(Serve, AnUnusableDataDirIsAOneLineError) {
  testing::TempDir dir;
  const auto file = dir.write("not-a-dir", "x");
  testing::BackgroundProcess serve({MAGNETAR_BINARY, "serve", "--data-dir", file.string()});
  const auto code = serve.wait(60s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1) << serve.output();
  EXPECT_NE(serve.output().find("magnetar serve: "), std::string::npos) << serve.output();
}

}  // namespace
}  // namespace magnetar
