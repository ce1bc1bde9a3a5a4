// OutboxShipper and HubClient against a scripted in-process hub (no
// PostgreSQL): the behaviours the real hub does not show on demand, such as
// a hub that stops acking, repeated and unknown acks, a malformed answer.
#include "crawler/ship/outbox_shipper.hpp"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "crawler/ship/hub_client.hpp"
#include "crawler/state/node_state.hpp"
#include "magnetar/v1/hub.grpc.pb.h"
#include "tests/support/temp_dir.hpp"

namespace magnetar::crawler::ship {
namespace {

constexpr auto kPatience = std::chrono::seconds(60);

template <class Pred>
bool eventually(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

enum class Script {
  kSilent,    // reads everything, never acks
  kNoisyAck,  // acks each item twice, plus a sequence number never sent
};

class FakeHub final : public v1::Hub::CallbackService {
 public:
  explicit FakeHub(Script script) : script_(script) {}

  grpc::ServerUnaryReactor* Triage(grpc::CallbackServerContext* context, const v1::TriageRequest*,
                                   v1::TriageResponse* response) override {
    response->add_verdicts(v1::VERDICT_KNOWN);  // one, whatever was asked
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestResponse>* Ingest(
      grpc::CallbackServerContext*) override {
    ++streams;
    return new Stream(*this);
  }

  std::atomic<int> streams{0};
  std::atomic<int> requests{0};
  std::mutex mu;
  std::vector<std::string> node_ids;  // guarded by mu

 private:
  class Stream final : public grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestResponse> {
   public:
    explicit Stream(FakeHub& hub) : hub_(hub) { StartRead(&request_); }
    void OnReadDone(bool ok) override {
      if (!ok) {
        Finish(grpc::Status::OK);
        return;
      }
      ++hub_.requests;
      {
        std::lock_guard lock(hub_.mu);
        hub_.node_ids.push_back(request_.node_id());
      }
      if (hub_.script_ == Script::kSilent) {
        StartRead(&request_);
        return;
      }
      response_.Clear();
      response_.add_committed(request_.sequence());
      response_.add_committed(request_.sequence());
      response_.add_committed(1'000'000);
      StartWrite(&response_);
    }
    void OnWriteDone(bool ok) override {
      if (ok) {
        StartRead(&request_);
      } else {
        Finish(grpc::Status::CANCELLED);
      }
    }
    void OnDone() override { delete this; }

   private:
    FakeHub& hub_;
    v1::IngestRequest request_;
    v1::IngestResponse response_;
  };

  const Script script_;
};

class ScriptedHubTest : public ::testing::Test {
 protected:
  void start(Script script) {
    hub_ = std::make_unique<FakeHub>(script);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(hub_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    state::NodeStateOptions o;
    o.data_dir = dir_.path();
    node_ = std::make_unique<state::NodeState>(o);
    HubClientOptions c;
    c.address = "127.0.0.1:" + std::to_string(port_);
    c.token = "t";
    client_ = std::make_unique<HubClient>(c);
  }

  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
  }

  void append(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(node_->outbox()
                      .append("d" + std::to_string(i) + "e", state::Source::kDhtAnnounce,
                              std::chrono::system_clock::now())
                      .ok());
    }
  }

  testing::TempDir dir_{"magnetar-ship-unit"};
  std::unique_ptr<FakeHub> hub_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::unique_ptr<state::NodeState> node_;
  std::unique_ptr<HubClient> client_;
};

TEST_F(ScriptedHubTest, AHubThatStopsAckingIsLeftAfterTheAckTimeoutAndEverythingResent) {
  start(Script::kSilent);
  append(5);
  ShipperOptions o;
  o.ack_timeout = std::chrono::milliseconds(300);
  o.backoff_min = o.backoff_max = std::chrono::milliseconds(10);
  OutboxShipper shipper(*client_, node_->outbox(), o);
  shipper.start();
  ASSERT_TRUE(eventually([&] { return hub_->streams >= 3; }));
  shipper.stop();
  EXPECT_GE(hub_->requests.load(), 10);  // the same 5 items, on each new stream
  EXPECT_EQ(node_->outbox().size(), 5u);
  const auto c = shipper.counters();
  EXPECT_EQ(c.acked, 0u);
  EXPECT_GE(c.stream_failures, 2u);
  EXPECT_EQ(c.auth_failures, 0u);
}

TEST_F(ScriptedHubTest, TheInFlightWindowBoundsUnackedItems) {
  start(Script::kSilent);
  append(50);
  ShipperOptions o;
  o.max_in_flight_items = 8;
  OutboxShipper shipper(*client_, node_->outbox(), o);
  shipper.start();
  ASSERT_TRUE(eventually([&] { return hub_->requests >= 8; }));
  // Nothing acks, so nothing more may go out: wait until the shipper is
  // blocked on its window (its counters show all 8 written) and check again.
  ASSERT_TRUE(eventually([&] { return shipper.counters().shipped == 8; }));
  EXPECT_EQ(shipper.counters().in_flight, 8u);
  shipper.stop();
  EXPECT_EQ(hub_->requests.load(), 8);
}

TEST_F(ScriptedHubTest, RepeatedAndUnknownAcksRemoveEachItemOnce) {
  start(Script::kNoisyAck);
  append(20);
  ShipperOptions o;
  o.node_id = "node-7";
  OutboxShipper shipper(*client_, node_->outbox(), o);
  shipper.start();
  ASSERT_TRUE(eventually([&] { return node_->outbox().size() == 0; }));
  append(3);  // woken by the append, not by a timer
  ASSERT_TRUE(eventually([&] { return node_->outbox().size() == 0; }));
  shipper.stop();
  const auto c = shipper.counters();
  EXPECT_EQ(c.acked, 23u);
  EXPECT_EQ(c.shipped, 23u);
  EXPECT_EQ(c.stream_failures, 0u);
  std::lock_guard lock(hub_->mu);
  EXPECT_EQ(hub_->node_ids, std::vector<std::string>(23, "node-7"));
}

TEST_F(ScriptedHubTest, TriageRefusesAnAnswerOfTheWrongLength) {
  start(Script::kSilent);
  const std::vector<InfoHashV1> ids(3);
  try {
    (void)client_->triage(ids);
    FAIL() << "a short answer was accepted";
  } catch (const HubError& e) {
    EXPECT_EQ(std::string(e.what()), "hub Triage: 1 verdicts for 3 infohashes");
    EXPECT_FALSE(e.unauthenticated());
  }
  EXPECT_EQ(client_->triage(std::span<const InfoHashV1>(ids).first(1)),
            std::vector<Verdict>{Verdict::kKnown});
}

}  // namespace
}  // namespace magnetar::crawler::ship
