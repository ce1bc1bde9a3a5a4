// The hub's Keeper service on an in-process gRPC server over a real
// PostgreSQL, with fake keepers: gRPC clients of Keep written here that say
// hello, heartbeat on their own thread and record every assignment message.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <iostream>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "common/sha.hpp"
#include "indexer/classify/banned_filter.hpp"
#include "indexer/classify/classifier.hpp"
#include "indexer/ingest/ingest_pipeline.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "rpc/common/bearer_token.hpp"
#include "rpc/common/hub_limits.hpp"
#include "rpc/hub/hub_service.hpp"
#include "rpc/hub/keeper_service.hpp"
#include "rpc/hub/pg_pin_store.hpp"
#include "rpc/hub/pin_assignment.hpp"
#include "schema/migrator.hpp"
#include "tests/support/info_dicts.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::rpc {
namespace {

using namespace std::chrono_literals;
namespace db = pin_store;

constexpr char kToken[] = "cluster-token-for-keeper-tests";
// Generous: the hub reacts within a tick (200 ms here), CI machines are slow.
constexpr auto kWait = 20s;

InfoHashV1 id_of(const std::string& info) { return InfoHashV1(sha1(info)); }

// A keeper node as the hub sees it: one Keep stream.
class FakeKeeper {
 public:
  struct Assigned {
    v1::PinAssignment last;  // the latest assignment message for the id
    int times = 0;
  };

  FakeKeeper(v1::Keeper::Stub& stub, std::string node_id, std::vector<InfoHashV1> cached = {},
             std::string token = kToken)
      : node_id_(std::move(node_id)) {
    auto [k, v] = bearer_metadata(token);
    context_.AddMetadata(k, v);
    stream_ = stub.Keep(&context_);
    v1::KeeperUp hello;
    hello.mutable_hello()->set_node_id(node_id_);
    hello.mutable_hello()->set_announce_address("127.0.0.9");
    hello.mutable_hello()->set_peer_port(6999);
    for (const auto& id : cached) hello.mutable_hello()->add_cached(std::string(id.view()));
    write(hello);
    reader_ = std::thread([this] { read_loop(); });
  }

  ~FakeKeeper() { close(); }

  // Heartbeats every `every` on a thread of its own until pause_heartbeats().
  void heartbeat_every(std::chrono::milliseconds every) {
    beating_ = std::thread([this, every] {
      std::unique_lock lock(mu_);
      while (!stop_beating_) {
        cv_.wait_for(lock, every, [&] { return stop_beating_; });
        if (stop_beating_) break;
        lock.unlock();
        heartbeat({});
        lock.lock();
      }
    });
  }

  void pause_heartbeats() {
    {
      std::lock_guard lock(mu_);
      stop_beating_ = true;
    }
    cv_.notify_all();
    if (beating_.joinable()) beating_.join();
  }

  bool heartbeat(const std::vector<v1::PinCounters>& pins) {
    v1::KeeperUp up;
    for (const auto& p : pins) *up.mutable_heartbeat()->add_pins() = p;
    up.mutable_heartbeat();
    return write(up);
  }

  bool write(const v1::KeeperUp& up) {
    std::lock_guard lock(write_mu_);
    return !closed_writes_ && stream_->Write(up);
  }

  // Waits until pred(assigned ids, messages) holds; false after kWait.
  template <class P>
  bool wait_for(P pred) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return pred(assigned_, messages_); });
  }

  std::set<InfoHashV1> ids() {
    std::lock_guard lock(mu_);
    std::set<InfoHashV1> out;
    for (const auto& [id, a] : assigned_) out.insert(id);
    return out;
  }

  std::map<InfoHashV1, Assigned> assigned() {
    std::lock_guard lock(mu_);
    return assigned_;
  }

  std::vector<v1::KeeperDown> messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }

  // Ends the stream; the status the hub finished it with.
  grpc::Status close() {
    pause_heartbeats();
    if (!reader_.joinable()) return status_;
    {
      std::lock_guard lock(write_mu_);
      closed_writes_ = true;
      stream_->WritesDone();
    }
    context_.TryCancel();
    reader_.join();
    status_ = stream_->Finish();
    return status_;
  }

  // For a stream the hub ends by itself: waits for the end of its reads.
  grpc::Status finish() {
    if (reader_.joinable()) reader_.join();
    status_ = stream_->Finish();
    return status_;
  }

  const std::string& node_id() const { return node_id_; }

 private:
  void read_loop() {
    v1::KeeperDown down;
    while (stream_->Read(&down)) {
      std::lock_guard lock(mu_);
      if (down.full()) assigned_.clear();
      for (const auto& u : down.unassign()) assigned_.erase(*InfoHashV1::from_bytes(u));
      for (const auto& a : down.assign()) {
        auto& slot = assigned_[*InfoHashV1::from_bytes(a.id())];
        slot.last = a;
        ++slot.times;
      }
      messages_.push_back(down);
      cv_.notify_all();
    }
    std::lock_guard lock(mu_);
    ended_ = true;
    cv_.notify_all();
  }

  std::string node_id_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::KeeperUp, v1::KeeperDown>> stream_;
  std::mutex write_mu_;
  bool closed_writes_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<InfoHashV1, Assigned> assigned_;
  std::vector<v1::KeeperDown> messages_;
  bool ended_ = false;
  bool stop_beating_ = false;
  std::thread reader_;
  std::thread beating_;
  grpc::Status status_;
};

class KeeperServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      pqxx::connection c(db_.dsn());
      schema::migrate(c);
    }
    store_ = std::make_unique<indexer::store::PgTorrentStore>(
        indexer::store::PgTorrentStoreOptions{.dsn = db_.dsn()});  // raw_info = pinned
    auto rules = indexer::classify::Rules::defaults();
    ASSERT_TRUE(rules.ok());
    classifier_ = std::make_unique<indexer::classify::Classifier>(*rules);
    banned_ = std::make_unique<indexer::classify::BannedFilter>(indexer::classify::BannedRules{});
    pipeline_ = std::make_unique<indexer::ingest::IngestPipeline>(*store_, *classifier_, *banned_);
  }

  void TearDown() override {
    stop();
    store_.reset();
  }

  void start(std::chrono::milliseconds heartbeat = 500ms, std::chrono::seconds resolve = 3600s,
             std::size_t replication = 2) {
    KeeperServiceOptions o;
    o.dsn = db_.dsn() + dsn_suffix_;
    o.cluster_token = kToken;
    o.replication = replication;
    o.heartbeat_interval = heartbeat;
    o.resolve_timeout = resolve;
    o.tick_interval = 200ms;
    keeper_ = std::make_unique<KeeperService>(o);
    pipeline_->set_pin_check(
        [k = keeper_.get()](const InfoHashV1& id) { return k->is_pinned(id); });
    hub_ = std::make_unique<HubService>(*pipeline_, kToken);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.SetMaxReceiveMessageSize(kMaxHubMessageBytes);
    builder.SetMaxSendMessageSize(kMaxHubMessageBytes);
    builder.RegisterService(keeper_.get());
    builder.RegisterService(hub_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(kMaxHubMessageBytes);
    auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port_),
                                             grpc::InsecureChannelCredentials(), args);
    stub_ = v1::Keeper::NewStub(channel);
  }

  // Server first (its streams end), then the service.
  void stop() {
    keepers_.clear();
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + 5s);
    server_.reset();
    pipeline_->set_pin_check({});
    keeper_.reset();
    hub_.reset();
  }

  FakeKeeper& connect(const std::string& node_id, std::vector<InfoHashV1> cached = {}) {
    keepers_.push_back(std::make_unique<FakeKeeper>(*stub_, node_id, std::move(cached)));
    keepers_.back()->heartbeat_every(150ms);
    return *keepers_.back();
  }

  InfoHashV1 pin(const InfoHashV1& id, const std::string& name = "",
                 std::vector<std::string> trackers = {}) {
    pqxx::connection c(db_.dsn());
    db::NewPin p;
    p.id = id;
    p.name = name;
    p.trackers = std::move(trackers);
    p.peers = {"127.0.0.5:6881"};
    db::upsert_pin(c, p);
    if (keeper_) keeper_->note_pinned(id);
    return id;
  }

  // Through the real ingest path, acked once committed.
  void ingest(const std::string& info, indexer::store::Source source) {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    pipeline_->ingest({info, source, std::chrono::system_clock::now()}, [&] {
      std::lock_guard lock(m);
      done = true;
      cv.notify_all();
    });
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, kWait, [&] { return done; }));
  }

  db::PinRow row(const InfoHashV1& id) {
    pqxx::connection c(db_.dsn());
    auto r = db::read_pin(c, id);
    EXPECT_TRUE(r.has_value());
    return r.value_or(db::PinRow{});
  }

  testing::TestDatabase db_;
  std::unique_ptr<indexer::store::PgTorrentStore> store_;
  std::unique_ptr<indexer::classify::Classifier> classifier_;
  std::unique_ptr<indexer::classify::BannedFilter> banned_;
  std::unique_ptr<indexer::ingest::IngestPipeline> pipeline_;
  std::unique_ptr<KeeperService> keeper_;
  std::unique_ptr<HubService> hub_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::unique_ptr<v1::Keeper::Stub> stub_;
  std::vector<std::unique_ptr<FakeKeeper>> keepers_;
  std::string dsn_suffix_;  // appended to the keeper service's DSN
};

TEST_F(KeeperServiceTest, AWrongClusterTokenIsRefused) {
  start();
  FakeKeeper intruder(*stub_, "intruder", {}, "not-the-token");
  EXPECT_EQ(intruder.finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  pqxx::connection c(db_.dsn());
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM keepers")[0].as<int>(), 0);
}

TEST_F(KeeperServiceTest, AHeartbeatBeforeHelloEndsTheStream) {
  start();
  grpc::ClientContext context;
  auto [k, v] = bearer_metadata(kToken);
  context.AddMetadata(k, v);
  auto stream = stub_->Keep(&context);
  v1::KeeperUp up;
  up.mutable_heartbeat();
  ASSERT_TRUE(stream->Write(up));
  v1::KeeperDown down;
  EXPECT_FALSE(stream->Read(&down));
  const auto s = stream->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("hello first"), std::string::npos) << s.error_message();
}

TEST_F(KeeperServiceTest, WhenPostgresIsUnreachableAHelloEndsWithUnavailable) {
  dsn_suffix_ = " dbname=magnetar_no_such_database";  // the last keyword wins
  start();
  FakeKeeper k(*stub_, "keeper-1");
  const auto s = k.finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
}

TEST_F(KeeperServiceTest, HelloRecordsTheKeeperAndGetsTheFullSetWithInfoDictsOrWhatToResolve) {
  const auto alive_info = testing::single_file_info_dict("alive.file.bin", 100'000);
  const auto alive = pin(id_of(alive_info));
  ingest(alive_info, indexer::store::Source::kPin);  // a keeper resolved it earlier
  const auto resolving = pin(InfoHashV1(sha1("nobody has this yet")), "Wanted.Name",
                             {"udp://tracker.example:1337/announce"});
  ASSERT_EQ(row(alive).state, db::PinState::kAlive);
  start();
  auto& k = connect("keeper-1");
  ASSERT_TRUE(k.wait_for([](auto& a, auto&) { return a.size() == 2; }));
  const auto msgs = k.messages();
  ASSERT_FALSE(msgs.empty());
  EXPECT_TRUE(msgs[0].full());
  auto assigned = k.assigned();
  EXPECT_EQ(assigned[alive].last.info_dict(), alive_info);
  EXPECT_FALSE(assigned[alive].last.resolving());
  const auto& r = assigned[resolving].last;
  EXPECT_TRUE(r.resolving());
  EXPECT_TRUE(r.info_dict().empty());
  EXPECT_EQ(r.name(), "Wanted.Name");
  ASSERT_EQ(r.trackers_size(), 1);
  EXPECT_EQ(r.trackers(0), "udp://tracker.example:1337/announce");
  ASSERT_EQ(r.peers_size(), 1);
  EXPECT_EQ(r.peers(0), "127.0.0.5:6881");

  pqxx::connection c(db_.dsn());
  pqxx::read_transaction tx(c);
  const auto keeper = tx.exec1(
      "SELECT announce_address, peer_port, last_heartbeat > now() - interval '1 minute' "
      "FROM keepers WHERE node_id = 'keeper-1'");
  EXPECT_EQ(keeper[0].as<std::string>(), "127.0.0.9");
  EXPECT_EQ(keeper[1].as<int>(), 6999);
  EXPECT_TRUE(keeper[2].as<bool>());
}

TEST_F(KeeperServiceTest, CachedPinsComeWithoutTheirInfoDict) {
  const auto info = testing::single_file_info_dict("cached.file.bin", 50'000);
  const auto id = pin(id_of(info));
  ingest(info, indexer::store::Source::kPin);
  start();
  auto& k = connect("keeper-c", {id});
  ASSERT_TRUE(k.wait_for([&](auto& a, auto&) { return a.contains(id); }));
  const auto a = k.assigned()[id].last;
  EXPECT_FALSE(a.resolving());
  EXPECT_TRUE(a.info_dict().empty());
}

TEST_F(KeeperServiceTest, AResolvingPinTurnsAliveWhenAnyCrawlerIngestsItsInfoDictAndKeepersGetIt) {
  const auto info = testing::single_file_info_dict("Some.Rare.Thing.2001.mkv", 700'000);
  const auto id = pin(id_of(info), "Some.Rare.Thing");
  start();
  auto& k = connect("keeper-1");
  ASSERT_TRUE(k.wait_for([&](auto& a, auto&) { return a.contains(id); }));
  EXPECT_TRUE(k.assigned()[id].last.resolving());

  // A crawler (not the keeper) fetched it: stored although store.raw_info
  // is "pinned", since the id is pinned.
  ingest(info, indexer::store::Source::kDhtSample);
  const auto r = row(id);
  EXPECT_EQ(r.state, db::PinState::kAlive);
  EXPECT_NE(r.resolved_us, 0);
  EXPECT_EQ(r.name, "Some.Rare.Thing.2001.mkv");  // the info dict's name now
  ASSERT_TRUE(k.wait_for([&](auto& a, auto&) {
    const auto it = a.find(id);
    return it != a.end() && !it->second.last.resolving();
  }));
  EXPECT_EQ(k.assigned()[id].last.info_dict(), info);
}

TEST_F(KeeperServiceTest, AnUnpinnedTorrentsInfoDictIsNotKeptUnderThePinnedPolicy) {
  start();
  const auto info = testing::single_file_info_dict("Not.Pinned.mkv", 70'000);
  ingest(info, indexer::store::Source::kDhtSample);
  pqxx::connection c(db_.dsn());
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM torrents")[0].as<int>(), 1);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM torrent_info_dicts")[0].as<int>(), 0);
}

TEST_F(KeeperServiceTest, ThreeKeepersWithReplicationTwoHoldEachPinTwiceAsRendezvousSays) {
  std::vector<InfoHashV1> pins;
  for (int i = 0; i < 30; ++i) pins.push_back(pin(InfoHashV1(sha1("pin " + std::to_string(i)))));
  start();
  auto& a = connect("keeper-a");
  auto& b = connect("keeper-b");
  auto& c = connect("keeper-c");
  const PinAssignment expected({"keeper-a", "keeper-b", "keeper-c"}, 2);
  for (auto* k : {&a, &b, &c}) {
    const auto want = expected.pins_of(k->node_id(), pins);
    ASSERT_TRUE(k->wait_for([&](auto& got, auto&) {
      if (got.size() != want.size()) return false;
      for (const auto& id : want)
        if (!got.contains(id)) return false;
      return true;
    })) << k->node_id()
        << " holds " << k->ids().size() << ", expected " << want.size();
  }
  for (const auto& id : pins) {
    int holders = a.ids().contains(id) + b.ids().contains(id) + c.ids().contains(id);
    EXPECT_EQ(holders, 2);
  }
}

TEST_F(KeeperServiceTest, WhenAKeeperStopsHeartbeatingItsPinsMoveToTheOthers) {
  std::vector<InfoHashV1> pins;
  for (int i = 0; i < 20; ++i) pins.push_back(pin(InfoHashV1(sha1("moving " + std::to_string(i)))));
  start(/*heartbeat=*/300ms);
  auto& a = connect("keeper-a");
  auto& b = connect("keeper-b");
  auto& c = connect("keeper-c");
  const PinAssignment three({"keeper-a", "keeper-b", "keeper-c"}, 2);
  ASSERT_TRUE(c.wait_for(
      [&](auto& got, auto&) { return got.size() == three.pins_of("keeper-c", pins).size(); }));
  // keeper-c goes silent (its stream stays open): after 3 missed intervals
  // it no longer counts, and with 2 keepers left each holds every pin.
  c.pause_heartbeats();
  for (auto* k : {&a, &b}) {
    ASSERT_TRUE(k->wait_for([&](auto& got, auto&) { return got.size() == pins.size(); }))
        << k->node_id() << " holds " << k->ids().size();
  }
  ASSERT_TRUE(c.wait_for([&](auto& got, auto&) { return got.empty(); }));
}

TEST_F(KeeperServiceTest, HeartbeatCountersAreKeptPerKeeperAndSummedPerPin) {
  const auto id = pin(InfoHashV1(sha1("counted")));
  start();
  auto& a = connect("keeper-a");
  auto& b = connect("keeper-b");
  ASSERT_TRUE(a.wait_for([&](auto& got, auto&) { return got.contains(id); }));
  v1::PinCounters pa;
  pa.set_id(std::string(id.view()));
  pa.mutable_last_dht_announce()->set_seconds(1'700'000'000);
  pa.set_metadata_served(3);
  pa.set_incoming_connections(5);
  v1::PinCounters pb = pa;
  pb.mutable_last_dht_announce()->set_seconds(1'700'000'100);
  pb.mutable_last_tracker_announce()->set_seconds(1'700'000'050);
  pb.set_metadata_served(4);
  pb.set_incoming_connections(1);
  v1::PinCounters stranger;  // not a pin: ignored
  stranger.set_id(std::string(20, 'x'));
  stranger.set_metadata_served(9);
  ASSERT_TRUE(a.heartbeat({pa, stranger}));
  ASSERT_TRUE(b.heartbeat({pb}));
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  db::PinRow r;
  do {
    r = row(id);
    if (r.metadata_served == 7) break;
    std::this_thread::sleep_for(50ms);
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(r.metadata_served, 7);
  EXPECT_EQ(r.incoming_connections, 6);
  EXPECT_EQ(r.last_dht_announce_us, 1'700'000'100'000'000);
  EXPECT_EQ(r.last_tracker_announce_us, 1'700'000'050'000'000);
  pqxx::connection c(db_.dsn());
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pin_keepers")[0].as<int>(), 2);
}

TEST_F(KeeperServiceTest, APinResolvingLongerThanTheTimeoutFailsWithTheReasonAndIsUnassigned) {
  const auto id = pin(InfoHashV1(sha1("nobody anywhere")));
  start(500ms, /*resolve=*/3s);
  auto& k = connect("keeper-1");
  ASSERT_TRUE(k.wait_for([&](auto& got, auto&) { return got.contains(id); }));
  v1::PinCounters p;
  p.set_id(std::string(id.view()));
  p.set_resolve_error("get_peers found no peers");
  ASSERT_TRUE(k.heartbeat({p}));
  ASSERT_TRUE(k.wait_for([&](auto& got, auto&) { return !got.contains(id); }));
  const auto r = row(id);
  EXPECT_EQ(r.state, db::PinState::kFailed);
  EXPECT_EQ(r.failure_reason,
            "no peer delivered the metadata within 3 s (last keeper error: get_peers found no "
            "peers)");
}

TEST_F(KeeperServiceTest, UnpinnedPinsAreUnassignedAndNewPinsAssigned) {
  const auto first = pin(InfoHashV1(sha1("first")));
  start();
  auto& k = connect("keeper-1");
  ASSERT_TRUE(k.wait_for([&](auto& got, auto&) { return got.contains(first); }));
  const auto second = pin(InfoHashV1(sha1("second")));
  {
    pqxx::connection c(db_.dsn());
    db::delete_pin(c, first, true);
  }
  keeper_->kick();
  ASSERT_TRUE(
      k.wait_for([&](auto& got, auto&) { return got.contains(second) && !got.contains(first); }));
}

TEST_F(KeeperServiceTest, AHundredThousandPinsReachTheirKeepersInBoundedMessages) {
  // The scale of issue 8: the set is streamed in messages under the byte
  // cap, and the per-tick reload keeps up.
  constexpr int kPins = 100'000;
  {
    pqxx::connection c(db_.dsn());
    pqxx::work tx(c);
    tx.exec(
        "INSERT INTO pins (id, state, dn, trackers) SELECT decode(md5(i::text), 'hex') || "
        "decode(lpad(to_hex(i), 8, '0'), 'hex'), 1, 'name ' || i, "
        "ARRAY['udp://tracker.example:1337/announce'] FROM generate_series(1, " +
        std::to_string(kPins) + ") i");
    tx.commit();
  }
  start();
  auto& a = connect("keeper-a");
  auto& b = connect("keeper-b");
  auto& c = connect("keeper-c");
  const auto began = std::chrono::steady_clock::now();
  std::size_t total = 0;
  while (std::chrono::steady_clock::now() - began < 120s) {
    total = a.ids().size() + b.ids().size() + c.ids().size();
    if (total == 2u * kPins) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(total, 2u * kPins);
  std::cout << "100k pins over 3 keepers in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - began)
                   .count()
            << " ms\n";
  for (auto* k : {&a, &b, &c}) {
    for (const auto& m : k->messages())
      EXPECT_LE(m.ByteSizeLong(), kMaxAssignmentMessageBytes + (64u << 10));
  }
}

TEST_F(KeeperServiceTest, LargeInfoDictsGoInSeparateMessagesUnderTheCap) {
  // ~3 MB info dicts (150k pieces): two do not fit one message.
  std::vector<std::string> dicts;
  for (int i = 0; i < 3; ++i) {
    dicts.push_back(
        testing::single_file_info_dict("big." + std::to_string(i) + ".iso", 150'000LL * 16384));
    pin(id_of(dicts.back()));
    ingest(dicts.back(), indexer::store::Source::kPin);
  }
  ASSERT_GT(dicts[0].size(), 3'000'000u);
  start();
  auto& k = connect("keeper-1");
  ASSERT_TRUE(k.wait_for([&](auto& got, auto&) { return got.size() == 3; }));
  for (const auto& d : dicts) EXPECT_EQ(k.assigned()[id_of(d)].last.info_dict(), d);
  const auto messages = k.messages();
  EXPECT_GE(messages.size(), 3u);
  EXPECT_TRUE(messages[0].full());
  for (const auto& m : messages) {
    EXPECT_LE(m.ByteSizeLong(), kMaxAssignmentMessageBytes + (64u << 10));
    EXPECT_LE(m.assign_size(), 1);
  }
}

TEST_F(KeeperServiceTest, AllCachedPinsFitTheFullMessageBeyondTheUsualBudget) {
  // 30k pins of ~250 bytes each: ~7.5 MB, over the 4 MiB budget of other
  // messages. The node drops what the full message leaves out, so its
  // cached pins all come in it.
  constexpr int kPins = 30'000;
  std::vector<InfoHashV1> cached;
  {
    pqxx::connection c(db_.dsn());
    pqxx::work tx(c);
    const auto rows = tx.exec(
        "INSERT INTO pins (id, state, trackers) SELECT decode(md5(i::text), 'hex') || "
        "decode(lpad(to_hex(i), 8, '0'), 'hex'), 1, ARRAY['udp://' || repeat('t', 200) || "
        "'.example:1337/announce'] FROM generate_series(1, " +
        std::to_string(kPins) + ") i RETURNING encode(id, 'hex')");
    for (const auto& r : rows) cached.push_back(*InfoHashV1::from_hex(r[0].as<std::string>()));
    tx.commit();
  }
  start(500ms, 3600s, /*replication=*/1);
  auto& k = connect("keeper-1", cached);
  ASSERT_TRUE(k.wait_for([&](auto& got, auto&) { return got.size() == kPins; }));
  const auto messages = k.messages();
  ASSERT_FALSE(messages.empty());
  EXPECT_TRUE(messages[0].full());
  EXPECT_EQ(messages[0].assign_size(), kPins);
  EXPECT_GT(messages[0].ByteSizeLong(), kMaxAssignmentMessageBytes);
}

TEST_F(KeeperServiceTest, ClosingTheStreamsEndsThemWithUnavailableAndRefusesNewOnes) {
  start();
  FakeKeeper k(*stub_, "keeper-1");
  ASSERT_TRUE(k.wait_for([](auto&, auto& msgs) { return !msgs.empty(); }));
  keeper_->close_streams();
  EXPECT_EQ(k.finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  FakeKeeper late(*stub_, "keeper-2");
  const auto s = late.finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(s.error_message().find("stopping"), std::string::npos) << s.error_message();
}

TEST_F(KeeperServiceTest, PinsSurviveARestartOfTheHubObjects) {
  const auto id = pin(InfoHashV1(sha1("durable")));
  start();
  {
    auto& k = connect("keeper-1");
    ASSERT_TRUE(k.wait_for([&](auto& got, auto&) { return got.contains(id); }));
  }
  stop();
  start();
  auto& k = connect("keeper-1");
  ASSERT_TRUE(k.wait_for([&](auto& got, auto&) { return got.contains(id); }));
  EXPECT_TRUE(keeper_->is_pinned(id));
}

}  // namespace
}  // namespace magnetar::rpc
