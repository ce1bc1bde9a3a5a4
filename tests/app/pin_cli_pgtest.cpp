// `magnetar pin`, `pins` and `unpin` with the real binary against a real
// `magnetar serve` (its public API, PostgreSQL from scripts/with-postgres).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "common/codec.hpp"
#include "magnetar/v1/keeper.grpc.pb.h"
#include "rpc/common/bearer_token.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar {
namespace {

using namespace std::chrono_literals;
using testing::run_command;

std::string magnetar_binary() { return MAGNETAR_BINARY; }

class PinCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(magnetar_binary())) << magnetar_binary();
    serve_ = std::make_unique<testing::BackgroundProcess>(std::vector<std::string>{
        magnetar_binary(), "serve", "--db-dsn", db_.dsn(), "--data-dir", data_.string(),
        "--hub-listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0"});
    const auto line = serve_->wait_for_line("API on ", 120s);
    ASSERT_TRUE(line.has_value()) << serve_->output();
    std::smatch m;
    ASSERT_TRUE(std::regex_search(*line, m, std::regex("API on (127\\.0\\.0\\.1:[0-9]+)")));
    api_ = m[1].str();
    ASSERT_TRUE(std::regex_search(*line, m, std::regex("hub on (127\\.0\\.0\\.1:[0-9]+)")));
    hub_ = m[1].str();
  }

  testing::CommandResult cli(std::vector<std::string> args, const std::string& data_dir = "") {
    std::vector<std::string> argv{magnetar_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(),
                {"--api", api_, "--data-dir", data_dir.empty() ? data_.string() : data_dir});
    return run_command(argv, {"MAGNETAR_API_TOKEN="});
  }

  testing::TestDatabase db_;
  testing::TempDir dir_;
  std::filesystem::path data_ = dir_.path() / "data";
  std::unique_ptr<testing::BackgroundProcess> serve_;
  std::string api_;
  std::string hub_;
};

TEST_F(PinCli, PinListAndUnpinAMagnet) {
  const std::string id = "0123456789abcdef0123456789abcdef01234567";
  auto pinned = cli({"pin", "magnet:?xt=urn:btih:" + id + "&dn=Old.Film.1950", "--tracker",
                     "udp://tracker.example:1337/announce", "--web-seed", "https://seed.example/f/",
                     "--label", "archive"});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.out << serve_->output();
  EXPECT_NE(pinned.out.find("resolving"), std::string::npos) << pinned.out;
  EXPECT_NE(pinned.out.find("Old.Film.1950"), std::string::npos) << pinned.out;
  EXPECT_NE(pinned.out.find("magnet:?xt=urn:btih:" + id +
                            "&dn=Old.Film.1950&tr=udp%3A%2F%2Ftracker.example%3A1337%2Fannounce"
                            "&ws=https%3A%2F%2Fseed.example%2Ff%2F"),
            std::string::npos)
      << pinned.out;

  auto list = cli({"pins"});
  ASSERT_EQ(list.exit_code, 0) << list.out;
  EXPECT_NE(list.out.find(id), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("archive"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("1 pins"), std::string::npos) << list.out;

  {
    // A keeper node on the hub's Keep stream gets the pin to resolve.
    std::string token;
    std::ifstream(data_ / "cluster-token") >> token;
    auto stub = v1::Keeper::NewStub(grpc::CreateChannel(hub_, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    auto [k, v] = rpc::bearer_metadata(token);
    context.AddMetadata(k, v);
    context.set_deadline(std::chrono::system_clock::now() + 60s);
    auto stream = stub->Keep(&context);
    v1::KeeperUp hello;
    hello.mutable_hello()->set_node_id("e2e-keeper");
    hello.mutable_hello()->set_peer_port(6881);
    ASSERT_TRUE(stream->Write(hello));
    v1::KeeperDown down;
    ASSERT_TRUE(stream->Read(&down)) << serve_->output();
    EXPECT_TRUE(down.full());
    ASSERT_EQ(down.assign_size(), 1);
    EXPECT_EQ(to_hex(down.assign(0).id()), id);
    EXPECT_TRUE(down.assign(0).resolving());
    EXPECT_EQ(down.assign(0).name(), "Old.Film.1950");
    context.TryCancel();
    stream->Finish();
  }
  auto shown = cli({"pins"});
  EXPECT_NE(shown.out.find("e2e-keeper"), std::string::npos) << shown.out;

  auto json = cli({"pins", "--state", "resolving", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.out;
  EXPECT_NE(json.out.find("\"infoHash\": \"" + id + "\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"PIN_STATE_RESOLVING\""), std::string::npos) << json.out;

  auto alive = cli({"pins", "--state", "alive"});
  ASSERT_EQ(alive.exit_code, 0) << alive.out;
  EXPECT_NE(alive.out.find("0 pins"), std::string::npos) << alive.out;

  auto bad_state = cli({"pins", "--state", "sleeping"});
  EXPECT_NE(bad_state.exit_code, 0);

  auto unpinned = cli({"unpin", id});
  ASSERT_EQ(unpinned.exit_code, 0) << unpinned.out;
  EXPECT_NE(unpinned.out.find("unpinned " + id), std::string::npos) << unpinned.out;
  auto again = cli({"unpin", id});
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("was not pinned"), std::string::npos) << again.out;
}

TEST_F(PinCli, PinningWithoutTheTokenIsAOneLineError) {
  testing::TempDir elsewhere;  // no api-token file there
  auto r = cli({"pin", std::string(40, 'a')}, elsewhere.path().string());
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("magnetar pin: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("token"), std::string::npos) << r.out;
  auto bad = cli({"pin", "not-a-magnet"});
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find("magnet"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace magnetar
