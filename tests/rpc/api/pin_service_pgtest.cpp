// The public Pins API on the in-process API server over a real PostgreSQL:
// pin / get / list / unpin through the wire, states, pages, tokens, the
// amended magnet, blocked ids, and pins outliving the service objects.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <set>

#include "common/codec.hpp"
#include "common/sha.hpp"
#include "indexer/classify/banned_filter.hpp"
#include "indexer/classify/classifier.hpp"
#include "indexer/ingest/ingest_pipeline.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "magnetar/v1/pins.grpc.pb.h"
#include "rpc/api/api_server.hpp"
#include "rpc/api/pin_service.hpp"
#include "rpc/common/bearer_token.hpp"
#include "schema/migrator.hpp"
#include "tests/support/info_dicts.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::rpc {
namespace {

using namespace std::chrono_literals;
namespace store = indexer::store;

constexpr char kToken[] = "api-token-for-pin-tests";

std::string hex_id(const std::string& info) {
  const auto d = sha1(info);
  return to_hex({reinterpret_cast<const char*>(d.data()), d.size()});
}

class PinServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      pqxx::connection c(db_.dsn());
      schema::migrate(c);
    }
    store_ =
        std::make_unique<store::PgTorrentStore>(store::PgTorrentStoreOptions{.dsn = db_.dsn()});
  }

  void TearDown() override {
    stop();
    store_.reset();
  }

  void start(bool public_reads = true) {
    PinServiceOptions o;
    o.dsn = db_.dsn();
    o.token = kToken;
    o.public_reads = public_reads;
    o.on_pinned = [this](const InfoHashV1& id) { pinned_.insert(id); };
    pins_ = std::make_unique<PinService>(o);
    ApiServerOptions a;
    a.listen = "127.0.0.1:0";
    a.service.dsn = db_.dsn();
    a.service.token = kToken;
    a.service.public_reads = public_reads;
    a.extra_services.push_back(pins_.get());
    server_ = std::make_unique<ApiServer>(a, *store_);
    stub_ = v1::Pins::NewStub(
        grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
  }

  void stop() {
    server_.reset();
    pins_.reset();
  }

  std::unique_ptr<grpc::ClientContext> ctx(const std::string& token = kToken) {
    auto c = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) {
      auto [k, v] = bearer_metadata(token);
      c->AddMetadata(k, v);
    }
    c->set_deadline(std::chrono::system_clock::now() + 30s);
    return c;
  }

  // Stores a torrent through the real pipeline; keep_info: as a pinned one
  // would be (its raw info dict kept).
  void index(const std::string& info, bool keep_info) {
    auto rules = indexer::classify::Rules::defaults();
    ASSERT_TRUE(rules.ok());
    indexer::classify::Classifier classifier(*rules);
    indexer::classify::BannedFilter banned(indexer::classify::BannedRules{});
    indexer::ingest::IngestPipeline pipeline(*store_, classifier, banned);
    pipeline.ingest({info, keep_info ? store::Source::kPin : store::Source::kDhtSample,
                     std::chrono::system_clock::now()},
                    [] {});
    store_->flush();
  }

  v1::Pin pin(const std::string& magnet, grpc::Status* status = nullptr,
              std::vector<std::string> trackers = {}, std::string label = "") {
    v1::PinMagnetRequest req;
    req.set_magnet(magnet);
    for (auto& t : trackers) req.add_trackers(t);
    req.set_label(label);
    v1::Pin out;
    auto s = stub_->PinMagnet(ctx().get(), req, &out);
    if (status)
      *status = s;
    else
      EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::Pin get(const std::string& id, grpc::Status* status = nullptr) {
    v1::GetPinRequest req;
    req.set_id(id);
    v1::Pin out;
    auto s = stub_->GetPin(ctx().get(), req, &out);
    if (status)
      *status = s;
    else
      EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  testing::TestDatabase db_;
  std::unique_ptr<store::PgTorrentStore> store_;
  std::unique_ptr<PinService> pins_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<v1::Pins::Stub> stub_;
  std::set<InfoHashV1> pinned_;
};

TEST_F(PinServiceTest, AnUnknownMagnetIsResolvingWithItsNameTrackersAndAmendedMagnet) {
  start();
  const std::string id(40, 'a');
  const auto p = pin("magnet:?xt=urn:btih:" + id + "&dn=Some+Name&tr=udp%3A%2F%2Ft1.example%3A80" +
                         "&x.pe=127.0.0.1:6881",
                     nullptr, {"http://t2.example/announce"}, "my label");
  EXPECT_EQ(p.info_hash(), id);
  EXPECT_EQ(p.state(), v1::PIN_STATE_RESOLVING);
  EXPECT_EQ(p.name(), "Some Name");
  EXPECT_EQ(p.label(), "my label");
  ASSERT_EQ(p.trackers_size(), 2);
  EXPECT_EQ(p.trackers(0), "udp://t1.example:80");
  EXPECT_EQ(p.trackers(1), "http://t2.example/announce");
  EXPECT_EQ(p.magnet(), "magnet:?xt=urn:btih:" + id +
                            "&dn=Some%20Name&tr=udp%3A%2F%2Ft1.example%3A80"
                            "&tr=http%3A%2F%2Ft2.example%2Fannounce");
  EXPECT_TRUE(p.has_created_at());
  EXPECT_FALSE(p.has_resolved_at());
  EXPECT_TRUE(pinned_.contains(*InfoHashV1::from_hex(id)));

  // Pinning again adds trackers and web seeds, replaces the label.
  v1::PinMagnetRequest again;
  again.set_magnet(id);
  again.add_trackers("udp://t1.example:80");  // already there
  again.add_trackers("udp://t3.example:6969");
  again.add_web_seeds("https://seed.example/files/");
  again.set_label("renamed");
  v1::Pin q;
  ASSERT_TRUE(stub_->PinMagnet(ctx().get(), again, &q).ok());
  EXPECT_EQ(q.label(), "renamed");
  EXPECT_EQ(q.trackers_size(), 3);
  ASSERT_EQ(q.web_seeds_size(), 1);
  EXPECT_NE(q.magnet().find("&ws=https%3A%2F%2Fseed.example%2Ffiles%2F"), std::string::npos);
  EXPECT_EQ(q.name(), "Some Name");
}

TEST_F(PinServiceTest, ATorrentWhoseInfoDictIsStoredIsAliveAtOnceAndOneWithoutItResolves) {
  const auto stored = testing::single_file_info_dict("Kept.Already.2010.mkv", 9'000'000);
  const auto bare = testing::single_file_info_dict("Indexed.Only.2011.mkv", 9'000'000);
  index(stored, /*keep_info=*/true);
  index(bare, /*keep_info=*/false);
  start();
  const auto a = pin(hex_id(stored));
  EXPECT_EQ(a.state(), v1::PIN_STATE_ALIVE);
  EXPECT_TRUE(a.has_resolved_at());
  EXPECT_EQ(a.name(), "Kept.Already.2010.mkv");
  EXPECT_EQ(a.magnet(), "magnet:?xt=urn:btih:" + hex_id(stored) + "&dn=Kept.Already.2010.mkv");
  const auto b = pin("magnet:?xt=urn:btih:" + hex_id(bare));
  EXPECT_EQ(b.state(), v1::PIN_STATE_RESOLVING);
  EXPECT_EQ(b.name(), "Indexed.Only.2011.mkv");  // the index knows its name
}

TEST_F(PinServiceTest, GetByAnyFormListByStateWithPagesAndUnpin) {
  start();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(
        to_hex(std::string(reinterpret_cast<const char*>(sha1(std::to_string(i)).data()), 20)));
    pin(ids.back());
  }
  // One failed pin.
  {
    pqxx::connection c(db_.dsn());
    pqxx::work tx(c);
    tx.exec_params(
        "UPDATE pins SET state = 3, failure_reason = 'gave up' WHERE id = decode($1, 'hex')",
        ids[0]);
    tx.commit();
  }
  grpc::Status s;
  EXPECT_EQ(get(ids[1]).info_hash(), ids[1]);
  EXPECT_EQ(get("magnet:?xt=urn:btih:" + ids[1]).info_hash(), ids[1]);
  EXPECT_EQ(get(to_base32(*InfoHashV1::from_hex(ids[1]))).info_hash(), ids[1]);
  const auto failed = get(ids[0]);
  EXPECT_EQ(failed.state(), v1::PIN_STATE_FAILED);
  EXPECT_EQ(failed.failure_reason(), "gave up");
  get(std::string(40, '0'), &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  get("nonsense", &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // Newest first, two per page, every pin once.
  v1::ListPinsRequest req;
  req.set_page_size(2);
  std::vector<std::string> seen;
  for (int page = 0; page < 10; ++page) {
    v1::ListPinsResponse resp;
    ASSERT_TRUE(stub_->ListPins(ctx().get(), req, &resp).ok());
    EXPECT_EQ(resp.total(), 5);
    for (const auto& p : resp.pins()) seen.push_back(p.info_hash());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{ids[4], ids[3], ids[2], ids[1], ids[0]}));

  req.Clear();
  req.set_state(v1::PIN_STATE_RESOLVING);
  v1::ListPinsResponse resolving;
  ASSERT_TRUE(stub_->ListPins(ctx().get(), req, &resolving).ok());
  EXPECT_EQ(resolving.total(), 4);
  EXPECT_EQ(resolving.pins_size(), 4);
  req.set_state(v1::PIN_STATE_FAILED);
  v1::ListPinsResponse failed_list;
  ASSERT_TRUE(stub_->ListPins(ctx().get(), req, &failed_list).ok());
  ASSERT_EQ(failed_list.pins_size(), 1);
  EXPECT_EQ(failed_list.pins(0).info_hash(), ids[0]);

  // A token of another listing, a bad size.
  req.Clear();
  req.set_page_size(2);
  v1::ListPinsResponse first;
  ASSERT_TRUE(stub_->ListPins(ctx().get(), req, &first).ok());
  req.set_state(v1::PIN_STATE_ALIVE);
  req.set_page_token(first.next_page_token());
  v1::ListPinsResponse bad;
  EXPECT_EQ(stub_->ListPins(ctx().get(), req, &bad).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  req.Clear();
  req.set_page_size(1001);
  EXPECT_EQ(stub_->ListPins(ctx().get(), req, &bad).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::UnpinMagnetRequest u;
  u.set_id(ids[2]);
  v1::UnpinMagnetResponse ur;
  ASSERT_TRUE(stub_->UnpinMagnet(ctx().get(), u, &ur).ok());
  EXPECT_TRUE(ur.existed());
  ASSERT_TRUE(stub_->UnpinMagnet(ctx().get(), u, &ur).ok());
  EXPECT_FALSE(ur.existed());
  get(ids[2], &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(PinServiceTest, MutatingCallsNeedTheTokenAndReadsTooWhenNotPublic) {
  start(/*public_reads=*/false);
  const std::string id(40, 'b');
  v1::PinMagnetRequest p;
  p.set_magnet(id);
  v1::Pin out;
  EXPECT_EQ(stub_->PinMagnet(ctx("").get(), p, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(stub_->PinMagnet(ctx("wrong").get(), p, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(stub_->PinMagnet(ctx().get(), p, &out).ok());
  v1::GetPinRequest g;
  g.set_id(id);
  EXPECT_EQ(stub_->GetPin(ctx("").get(), g, &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(stub_->GetPin(ctx().get(), g, &out).ok());
  v1::ListPinsRequest l;
  v1::ListPinsResponse lr;
  EXPECT_EQ(stub_->ListPins(ctx("").get(), l, &lr).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::UnpinMagnetRequest u;
  u.set_id(id);
  v1::UnpinMagnetResponse ur;
  EXPECT_EQ(stub_->UnpinMagnet(ctx("").get(), u, &ur).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  stop();
  start(/*public_reads=*/true);
  EXPECT_TRUE(stub_->GetPin(ctx("").get(), g, &out).ok());
  EXPECT_EQ(stub_->UnpinMagnet(ctx("").get(), u, &ur).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(PinServiceTest, BadRequestsSayWhatIsWrong) {
  start();
  grpc::Status s;
  pin("magnet:?dn=no-hash", &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  pin("xyz", &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  pin(std::string(40, 'c'), &s, {"ftp://not.a.tracker/"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("trackers"), std::string::npos) << s.error_message();
  pin(std::string(40, 'c'), &s, {}, std::string(201, 'l'));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("label"), std::string::npos) << s.error_message();
}

TEST_F(PinServiceTest, ABlockedInfohashCannotBePinned) {
  const std::string id(40, 'd');
  store_->block(*InfoHashV1::from_hex(id), "user request");
  start();
  grpc::Status s;
  pin(id, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(PinServiceTest, UnpinDropsTheInfoDictKeptForThePin) {
  const auto info = testing::single_file_info_dict("Pinned.Then.Not.mkv", 1'000'000);
  index(info, /*keep_info=*/true);
  start();
  EXPECT_EQ(pin(hex_id(info)).state(), v1::PIN_STATE_ALIVE);
  v1::UnpinMagnetRequest u;
  u.set_id(hex_id(info));
  v1::UnpinMagnetResponse ur;
  ASSERT_TRUE(stub_->UnpinMagnet(ctx().get(), u, &ur).ok());
  pqxx::connection c(db_.dsn());
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM torrent_info_dicts")[0].as<int>(), 0);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM torrents")[0].as<int>(), 1);  // still indexed
}

TEST_F(PinServiceTest, PinsSurviveARestartAndShowTheirLiveKeepers) {
  start();
  const std::string id(40, 'e');
  pin(id);
  stop();
  {
    pqxx::connection c(db_.dsn());
    pqxx::work tx(c);
    tx.exec(
        "INSERT INTO keepers (node_id, announce_address, peer_port, last_heartbeat) VALUES "
        "('k-live', '127.0.0.2', 6881, now()), ('k-dead', '127.0.0.3', 6881, now() - interval "
        "'1 hour')");
    tx.commit();
  }
  start();
  const auto p = get(id);
  EXPECT_EQ(p.state(), v1::PIN_STATE_RESOLVING);
  ASSERT_EQ(p.keepers_size(), 1);
  EXPECT_EQ(p.keepers(0), "k-live");
}

}  // namespace
}  // namespace magnetar::rpc
