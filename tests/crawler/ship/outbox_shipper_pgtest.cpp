// HubClient and OutboxShipper against the real hub: HubService on an
// in-process gRPC server over a real PostgreSQL, with the real store,
// classifier and ingest pipeline; the node's outbox in a real RocksDB.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "common/bencode_encoder.hpp"
#include "common/sha.hpp"
#include "crawler/ship/hub_client.hpp"
#include "crawler/ship/outbox_shipper.hpp"
#include "crawler/state/node_state.hpp"
#include "indexer/classify/banned_filter.hpp"
#include "indexer/classify/classifier.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "rpc/hub/hub_service.hpp"
#include "schema/migrator.hpp"
#include "tests/support/info_dicts.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::crawler::ship {
namespace {

// The node's copies of the hub's limits must match the hub's.

constexpr char kToken[] = "cluster-token-for-ship-tests";
constexpr auto kAckDelay = std::chrono::milliseconds(500);
constexpr auto kPatience = std::chrono::seconds(90);  // bound on every wait below

using testing::single_file_info_dict;
const auto info_dict = single_file_info_dict;

std::string item(int i) {
  return info_dict("Ship.Test.Release." + std::to_string(i) + ".1080p.WEB-DL.x264-GRP.mkv",
                   100'000 + i);
}

InfoHashV1 id_of(const std::string& dict) { return InfoHashV1(sha1(dict)); }

// Polls a condition until it holds or the patience runs out.
template <class Pred>
bool eventually(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

class OutboxShipperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      pqxx::connection c(db_.dsn());
      schema::migrate(c);
    }
    indexer::store::PgTorrentStoreOptions store_options;
    store_options.dsn = db_.dsn();
    // Acks come a while after the items arrive, so a hub that goes away has
    // items in flight: committed or not, their acks are lost.
    store_options.max_batch_delay = kAckDelay;
    store_ = std::make_unique<indexer::store::PgTorrentStore>(store_options);
    auto rules = indexer::classify::Rules::defaults();
    ASSERT_TRUE(rules.ok());
    classifier_ = std::make_unique<indexer::classify::Classifier>(*rules);
    banned_ = std::make_unique<indexer::classify::BannedFilter>(indexer::classify::BannedRules{});
    pipeline_ = std::make_unique<indexer::ingest::IngestPipeline>(*store_, *classifier_, *banned_);
    start_hub(0);
    state::NodeStateOptions options;
    options.data_dir = dir_.path();
    node_ = std::make_unique<state::NodeState>(options);
  }

  void TearDown() override {
    stop_hub();
    store_.reset();
  }

  void start_hub(int port) {
    service_ = std::make_unique<rpc::HubService>(*pipeline_, kToken);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:" + std::to_string(port), grpc::InsecureServerCredentials(),
                             &port_);
    builder.SetMaxReceiveMessageSize(rpc::kMaxHubMessageBytes);
    builder.SetMaxSendMessageSize(rpc::kMaxHubMessageBytes);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port_, 0);
  }

  // Cancels open streams at once, like a hub that goes away.
  void stop_hub() {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
    server_.reset();
    service_.reset();
  }

  HubClientOptions client_options(const std::string& token = kToken) const {
    HubClientOptions o;
    o.address = "127.0.0.1:" + std::to_string(port_);
    o.token = token;
    o.max_reconnect_backoff = std::chrono::milliseconds(200);
    return o;
  }

  static ShipperOptions shipper_options() {
    ShipperOptions o;
    o.node_id = "test-node";
    o.backoff_min = std::chrono::milliseconds(20);
    o.backoff_max = std::chrono::milliseconds(200);
    return o;
  }

  // Appends dicts [from, to) to the outbox, returning their ids.
  std::vector<InfoHashV1> append(int from, int to) {
    std::vector<InfoHashV1> ids;
    for (int i = from; i < to; ++i) {
      const auto dict = item(i);
      auto seq =
          node_->outbox().append(dict, state::Source::kDhtSample, std::chrono::system_clock::now());
      EXPECT_TRUE(seq.ok());
      ids.push_back(id_of(dict));
    }
    return ids;
  }

  std::set<InfoHashV1> indexed_ids() {
    pqxx::connection c(db_.dsn());
    pqxx::work w(c);
    std::set<InfoHashV1> out;
    for (const auto& row : w.exec("SELECT id FROM torrents")) {
      const pqxx::binarystring bytes(row[0]);
      out.insert(*InfoHashV1::from_bytes(bytes.str()));
    }
    return out;
  }

  long indexed_rows() {
    pqxx::connection c(db_.dsn());
    pqxx::work w(c);
    return w.exec1("SELECT count(*) FROM torrents")[0].as<long>();
  }

  testing::TestDatabase db_;
  testing::TempDir dir_{"magnetar-ship"};
  std::unique_ptr<indexer::store::PgTorrentStore> store_;
  std::unique_ptr<indexer::classify::Classifier> classifier_;
  std::unique_ptr<indexer::classify::BannedFilter> banned_;
  std::unique_ptr<indexer::ingest::IngestPipeline> pipeline_;
  std::unique_ptr<rpc::HubService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::unique_ptr<state::NodeState> node_;
};

TEST_F(OutboxShipperTest, OutboxItemsAreShippedAckedAndRemovedAndTheIndexHoldsExactlyThem) {
  constexpr int kItems = 500;
  auto ids = append(0, kItems / 2);
  HubClient hub(client_options());
  OutboxShipper shipper(hub, node_->outbox(), shipper_options());
  shipper.start();
  // Appended while it runs: picked up without any further nudge.
  const auto more = append(kItems / 2, kItems);
  ids.insert(ids.end(), more.begin(), more.end());

  // Items leave the outbox on the hub's commit; the acked counter follows a
  // moment later (outbox_shipper.cpp): wait for both.
  ASSERT_TRUE(eventually([&] {
    return node_->outbox().size() == 0 &&
           shipper.counters().acked == static_cast<std::uint64_t>(kItems);
  })) << node_->outbox().size()
      << " items left, " << shipper.counters().acked << " acked";
  const auto c = shipper.counters();
  EXPECT_EQ(c.acked, static_cast<std::uint64_t>(kItems));
  EXPECT_EQ(c.shipped, static_cast<std::uint64_t>(kItems));
  EXPECT_EQ(c.reconnects, 0u);
  EXPECT_EQ(c.outbox_depth, 0u);
  EXPECT_EQ(c.in_flight, 0u);
  EXPECT_EQ(node_->outbox().bytes(), 0u);

  EXPECT_EQ(indexed_ids(), std::set<InfoHashV1>(ids.begin(), ids.end()));
  for (auto v : hub.triage(ids)) ASSERT_EQ(v, Verdict::kKnown);
  shipper.stop();
}

TEST_F(OutboxShipperTest, NothingIsLostOrDuplicatedWhileTheHubIsDownForAWhile) {
  HubClient hub(client_options());
  OutboxShipper shipper(hub, node_->outbox(), shipper_options());
  shipper.start();
  auto ids = append(0, 300);
  ASSERT_TRUE(eventually([&] { return shipper.counters().acked == 300; }));
  // More items, all sent; their acks are due only after kAckDelay, when the
  // hub goes away.
  const auto sent = append(300, 600);
  ids.insert(ids.end(), sent.begin(), sent.end());
  ASSERT_TRUE(eventually([&] { return shipper.counters().shipped >= 600; }));
  const int port = port_;
  stop_hub();
  const auto at_stop = shipper.counters();
  EXPECT_LT(at_stop.acked, 600u) << "no item was in flight when the hub went away";

  // The node keeps crawling into the outbox while the hub is down...
  const auto during = append(600, 900);
  ids.insert(ids.end(), during.begin(), during.end());
  // ... and keeps trying to reconnect.
  ASSERT_TRUE(eventually(
      [&] { return shipper.counters().stream_failures >= at_stop.stream_failures + 3; }));
  EXPECT_EQ(node_->outbox().size(), 900 - at_stop.acked);

  start_hub(port);  // a new hub process on the same address
  ASSERT_EQ(port_, port);
  ASSERT_TRUE(eventually([&] {
    return node_->outbox().size() == 0 && shipper.counters().acked == 900u;
  })) << node_->outbox().size()
      << " items left, " << shipper.counters().acked << " acked";
  const auto c = shipper.counters();
  EXPECT_EQ(c.acked, 900u);
  EXPECT_EQ(c.shipped, 900 + (600 - at_stop.acked));  // what was in flight went again
  EXPECT_GE(c.reconnects, 3u);
  EXPECT_EQ(indexed_ids(), std::set<InfoHashV1>(ids.begin(), ids.end()));
  EXPECT_EQ(indexed_rows(), 900);
  shipper.stop();
}

TEST_F(OutboxShipperTest, AWrongClusterTokenIsRefusedAndNothingLeavesTheOutbox) {
  const auto ids = append(0, 20);
  HubClient wrong(client_options("not-the-cluster-token"));
  OutboxShipper shipper(wrong, node_->outbox(), shipper_options());
  shipper.start();
  ASSERT_TRUE(eventually([&] { return shipper.counters().auth_failures >= 2; }));
  shipper.stop();
  EXPECT_EQ(shipper.counters().acked, 0u);
  EXPECT_EQ(node_->outbox().size(), 20u);

  try {
    (void)wrong.triage(ids);
    FAIL() << "Triage with a wrong token succeeded";
  } catch (const HubError& e) {
    EXPECT_TRUE(e.unauthenticated()) << e.what();
  }
  HubClient right(client_options());
  for (auto v : right.triage(ids)) EXPECT_EQ(v, Verdict::kNew);
  EXPECT_EQ(indexed_rows(), 0);
}

TEST_F(OutboxShipperTest, TriageSplitsLargeBatchesAndKeepsRequestOrder) {
  const auto known = append(0, 3);
  {
    HubClient hub(client_options());
    OutboxShipper shipper(hub, node_->outbox(), shipper_options());
    shipper.start();
    ASSERT_TRUE(eventually([&] { return node_->outbox().size() == 0; }));
  }
  store_->block(id_of(item(1000)), "test");
  std::vector<InfoHashV1> ids;
  for (int i = 0; i < 25'000; ++i) {
    std::array<std::uint8_t, 20> b{};
    b[0] = static_cast<std::uint8_t>(i >> 16);
    b[1] = static_cast<std::uint8_t>(i >> 8);
    b[2] = static_cast<std::uint8_t>(i);
    b[19] = 0xee;
    ids.push_back(InfoHashV1(b));
  }
  ids[0] = known[0];
  ids[12'345] = known[1];
  ids[24'999] = id_of(item(1000));
  HubClient hub(client_options());
  const auto verdicts = hub.triage(ids);
  ASSERT_EQ(verdicts.size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto expected = i == 0 || i == 12'345 ? Verdict::kKnown
                          : i == 24'999         ? Verdict::kBlocked
                                                : Verdict::kNew;
    ASSERT_EQ(verdicts[i], expected) << i;
  }
}

TEST_F(OutboxShipperTest, AnInfoDictAboveGrpcsDefaultFourMiBIsShipped) {
  // 9 MiB of piece hashes: above gRPC's 4 MiB default on both ends, below
  // the 10 MiB metadata cap (BEP 9) past which the hub drops an info dict.
  const auto big = info_dict("Big.Piece.List.iso", std::int64_t{16384} * (9 << 20) / 20);
  ASSERT_GT(big.size(), 8u << 20);
  ASSERT_TRUE(node_->outbox().append(big, state::Source::kPin, std::chrono::system_clock::now()));
  HubClient hub(client_options());
  OutboxShipper shipper(hub, node_->outbox(), shipper_options());
  shipper.start();
  ASSERT_TRUE(eventually([&] { return node_->outbox().size() == 0; }));
  EXPECT_EQ(shipper.counters().stream_failures, 0u);
  EXPECT_EQ(indexed_ids(), (std::set<InfoHashV1>{id_of(big)}));
}

TEST_F(OutboxShipperTest, StopReturnsPromptlyWhileTheHubIsDown) {
  append(0, 10);
  const int port = port_;
  stop_hub();
  HubClientOptions o = client_options();
  o.address = "127.0.0.1:" + std::to_string(port);
  HubClient hub(o);
  ShipperOptions so = shipper_options();
  so.backoff_min = so.backoff_max = std::chrono::seconds(3600);  // stop must interrupt this
  OutboxShipper shipper(hub, node_->outbox(), so);
  shipper.start();
  ASSERT_TRUE(eventually([&] { return shipper.counters().stream_failures >= 1; }));
  const auto before = std::chrono::steady_clock::now();
  shipper.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(5));
  EXPECT_EQ(node_->outbox().size(), 10u);
}

}  // namespace
}  // namespace magnetar::crawler::ship
