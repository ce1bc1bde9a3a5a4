// The public API on an in-process gRPC server over a real PostgreSQL, seeded
// through the real ingest path (info dict -> classifier -> store): search
// through the wire, details, .torrent files, stats, auth, delete and block
// (never back through ingest), TLS with a certificate made here, health and
// reflection.
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/client_unary_call.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <pqxx/pqxx>

#include "common/codec.hpp"
#include "common/sha.hpp"
#include "common/torrent_file.hpp"
#include "indexer/classify/banned_filter.hpp"
#include "indexer/classify/classifier.hpp"
#include "indexer/ingest/ingest_pipeline.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "magnetar/v1/magnetar.grpc.pb.h"
#include "rpc/api/api_limits.hpp"
#include "rpc/api/api_server.hpp"
#include "rpc/common/bearer_token.hpp"
#include "rpc/hub/pg_pin_store.hpp"
#include "schema/migrator.hpp"
#include "tests/support/info_dicts.hpp"
#include "tests/support/self_signed.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::rpc {
namespace {

using namespace std::chrono_literals;
namespace store = indexer::store;

constexpr char kToken[] = "api-token-for-tests";

std::string hex_id(const std::string& info) {
  const auto d = sha1(info);
  return to_hex({reinterpret_cast<const char*>(d.data()), d.size()});
}

using testing::make_self_signed;
using testing::SelfSigned;

class ApiServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      pqxx::connection c(db_.dsn());
      schema::migrate(c);
    }
    store_ = std::make_unique<store::PgTorrentStore>(store::PgTorrentStoreOptions{
        .dsn = db_.dsn(), .raw_info_policy = store::RawInfoPolicy::kAll});
    auto rules = indexer::classify::Rules::defaults();
    ASSERT_TRUE(rules.ok());
    classifier_ = std::make_unique<indexer::classify::Classifier>(*rules);
    banned_ = std::make_unique<indexer::classify::BannedFilter>(indexer::classify::BannedRules{});
    pipeline_ = std::make_unique<indexer::ingest::IngestPipeline>(*store_, *classifier_, *banned_);
  }

  void TearDown() override {
    stub_.reset();
    server_.reset();
    store_.reset();
  }

  void start(
      bool public_reads = true, const SelfSigned* tls = nullptr,
      std::chrono::milliseconds keeper_live_window = ApiServiceOptions{}.keeper_live_window) {
    ApiServerOptions o;
    o.listen = "127.0.0.1:0";
    o.service = {.dsn = db_.dsn(),
                 .token = kToken,
                 .public_reads = public_reads,
                 .db_connections = 4,
                 .keeper_live_window = keeper_live_window};
    if (tls) {
      o.tls_cert_file = write(dir_.path() / "cert.pem", tls->cert_pem);
      o.tls_key_file = write(dir_.path() / "key.pem", tls->key_pem);
    }
    server_ = std::make_unique<ApiServer>(o, *store_);
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(kMaxApiResponseBytes);
    std::shared_ptr<grpc::ChannelCredentials> creds = grpc::InsecureChannelCredentials();
    if (tls) {
      grpc::SslCredentialsOptions ssl;
      ssl.pem_root_certs = tls->cert_pem;
      creds = grpc::SslCredentials(ssl);
    }
    channel_ = grpc::CreateCustomChannel(server_->address(), creds, args);
    stub_ = v1::Magnetar::NewStub(channel_);
  }

  static std::string write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p) << text;
    return p.string();
  }

  // Through the real ingest path; returns once committed.
  void ingest(const std::string& info, std::chrono::seconds age = 0s) {
    std::promise<void> done;
    pipeline_->ingest({info, store::Source::kDhtSample, std::chrono::system_clock::now() - age},
                      [&] { done.set_value(); });
    ASSERT_EQ(done.get_future().wait_for(30s), std::future_status::ready);
  }

  void seed() {
    ingest(testing::single_file_info_dict("The.Matrix.1999.1080p.BluRay.x264.mkv", 8'000'000'000),
           300s);
    ingest(testing::single_file_info_dict("Breaking.Bad.S01E02.720p.HDTV.mkv", 1'000'000'000),
           200s);
    ingest(testing::single_file_info_dict("ubuntu-22.04-desktop-amd64.iso", 3'000'000'000), 100s);
  }

  std::unique_ptr<grpc::ClientContext> ctx(const std::string& token = "") {
    auto c = std::make_unique<grpc::ClientContext>();
    c->set_deadline(std::chrono::system_clock::now() + 30s);
    if (!token.empty()) {
      auto [k, v] = bearer_metadata(token);
      c->AddMetadata(k, v);
    }
    return c;
  }

  v1::SearchResponse search(const std::string& q, grpc::Status* status = nullptr) {
    v1::SearchRequest req;
    req.set_query(q);
    v1::SearchResponse resp;
    auto s = stub_->Search(ctx().get(), req, &resp);
    if (status)
      *status = s;
    else
      EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  testing::TestDatabase db_;
  testing::TempDir dir_;
  std::unique_ptr<store::PgTorrentStore> store_;
  std::unique_ptr<indexer::classify::Classifier> classifier_;
  std::unique_ptr<indexer::classify::BannedFilter> banned_;
  std::unique_ptr<indexer::ingest::IngestPipeline> pipeline_;
  std::unique_ptr<ApiServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Magnetar::Stub> stub_;
};

TEST_F(ApiServiceTest, SearchFindsIngestedTorrentsWithClassificationTotalsAndMagnets) {
  seed();
  start();
  auto r = search("matrix");
  ASSERT_EQ(r.torrents_size(), 1);
  const auto& t = r.torrents(0);
  EXPECT_EQ(t.name(), "The.Matrix.1999.1080p.BluRay.x264.mkv");
  EXPECT_EQ(t.content_type(), v1::CONTENT_TYPE_MOVIE);
  EXPECT_EQ(t.year(), 1999);
  EXPECT_EQ(t.resolution(), 1080);
  EXPECT_EQ(t.size_bytes(), 8'000'000'000);
  EXPECT_EQ(t.magnet().rfind("magnet:?xt=urn:btih:" + t.info_hash(), 0), 0u) << t.magnet();
  EXPECT_NE(t.magnet().find("dn=The.Matrix"), std::string::npos) << t.magnet();
  EXPECT_EQ(r.total().value(), 1);
  EXPECT_FALSE(r.total().estimated());
  EXPECT_TRUE(r.next_page_token().empty());

  // Filters and order through the wire: newest first without a query.
  v1::SearchRequest req;
  req.set_order_by("size asc");
  v1::SearchResponse all;
  ASSERT_TRUE(stub_->Search(ctx().get(), req, &all).ok());
  ASSERT_EQ(all.torrents_size(), 3);
  EXPECT_EQ(all.torrents(0).name(), "Breaking.Bad.S01E02.720p.HDTV.mkv");
  EXPECT_EQ(all.torrents(2).name(), "The.Matrix.1999.1080p.BluRay.x264.mkv");
  EXPECT_EQ(all.total().value(), 3);
  req.Clear();
  req.add_content_types(v1::CONTENT_TYPE_EPISODE);
  req.add_file_extensions(".MKV");
  ASSERT_TRUE(stub_->Search(ctx().get(), req, &all).ok());
  ASSERT_EQ(all.torrents_size(), 1);
  EXPECT_EQ(all.torrents(0).season(), 1);
  EXPECT_EQ(all.torrents(0).episode(), 2);

  // Pages through the wire.
  req.Clear();
  req.set_page_size(2);
  v1::SearchResponse p1, p2;
  ASSERT_TRUE(stub_->Search(ctx().get(), req, &p1).ok());
  ASSERT_EQ(p1.torrents_size(), 2);
  ASSERT_FALSE(p1.next_page_token().empty());
  req.set_page_token(p1.next_page_token());
  ASSERT_TRUE(stub_->Search(ctx().get(), req, &p2).ok());
  ASSERT_EQ(p2.torrents_size(), 1);
  EXPECT_EQ(p2.torrents(0).name(), "The.Matrix.1999.1080p.BluRay.x264.mkv");
  EXPECT_TRUE(p2.next_page_token().empty());
}

TEST_F(ApiServiceTest, BadRequestsAreInvalidArgumentWithThePositionOfTheProblem) {
  start();
  grpc::Status s;
  search("matrix \"blu ray", &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("at byte 7"), std::string::npos) << s.error_message();
  search(std::string(600, 'a'), &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::SearchRequest req;
  v1::SearchResponse resp;
  req.set_order_by("popularity");
  s = stub_->Search(ctx().get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("popularity"), std::string::npos);
  req.Clear();
  req.set_page_size(1000);
  EXPECT_EQ(stub_->Search(ctx().get(), req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  req.Clear();
  req.set_page_token("not-a-token");
  EXPECT_EQ(stub_->Search(ctx().get(), req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::GetTorrentRequest g;
  g.set_id("xyz");
  v1::Torrent t;
  EXPECT_EQ(stub_->GetTorrent(ctx().get(), g, &t).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  g.set_id(std::string(40, '0'));
  EXPECT_EQ(stub_->GetTorrent(ctx().get(), g, &t).error_code(), grpc::StatusCode::NOT_FOUND);

  // Over the request size limit: refused before it is parsed.
  req.Clear();
  for (int i = 0; i < 20'000; ++i) req.add_file_extensions("mkv");
  EXPECT_EQ(stub_->Search(ctx().get(), req, &resp).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(ApiServiceTest, GetTorrentAndTheTorrentFileByAnyFormOfTheId) {
  const auto info = testing::single_file_info_dict("ubuntu-22.04-desktop-amd64.iso", 3'000'000'000);
  ingest(info);
  start();
  const auto id = hex_id(info);
  for (const std::string& form : {id, to_base32(*from_hex(id)), "magnet:?xt=urn:btih:" + id}) {
    v1::GetTorrentRequest g;
    g.set_id(form);
    v1::Torrent t;
    const auto s = stub_->GetTorrent(ctx().get(), g, &t);
    ASSERT_TRUE(s.ok()) << form << ": " << s.error_message();
    EXPECT_EQ(t.summary().info_hash(), id);
    EXPECT_EQ(t.summary().content_type(), v1::CONTENT_TYPE_SOFTWARE);
    ASSERT_EQ(t.files_size(), 1);
    EXPECT_EQ(t.files(0).path(), "ubuntu-22.04-desktop-amd64.iso");
    EXPECT_EQ(t.files(0).size_bytes(), 3'000'000'000);
    EXPECT_TRUE(t.info_dict_stored());
    EXPECT_EQ(t.piece_length(), 16384);
  }
  v1::GetTorrentFileRequest f;
  f.set_id(id);
  v1::TorrentFileContent file;
  ASSERT_TRUE(stub_->GetTorrentFile(ctx().get(), f, &file).ok());
  EXPECT_EQ(file.file_name(), "ubuntu-22.04-desktop-amd64.iso.torrent");
  auto parsed = metainfo::parse_torrent_file(file.content());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(metainfo::magnet_from_torrent(*parsed).rfind("magnet:?xt=urn:btih:" + id, 0), 0u);
}

TEST_F(ApiServiceTest, GetTorrentOfAPinnedTorrentCarriesItsTrackersAndWebSeeds) {
  const auto info = testing::single_file_info_dict("pinned.file.iso", 4096);
  ingest(info);
  {
    pqxx::connection c(db_.dsn());
    pqxx::work tx(c);
    tx.exec("INSERT INTO pins (state, id, trackers, web_seeds) VALUES (2, decode('" + hex_id(info) +
            "', 'hex'), ARRAY['udp://tracker.example:6969/announce'],"
            " ARRAY['https://seed.example/pinned.file.iso'])");
    tx.commit();
  }
  start();
  v1::GetTorrentRequest g;
  g.set_id(hex_id(info));
  v1::Torrent t;
  ASSERT_TRUE(stub_->GetTorrent(ctx().get(), g, &t).ok());
  ASSERT_EQ(t.trackers_size(), 1);
  EXPECT_EQ(t.trackers(0), "udp://tracker.example:6969/announce");
  ASSERT_EQ(t.web_seeds_size(), 1);
  EXPECT_NE(t.summary().magnet().find("&tr=udp%3A%2F%2Ftracker.example%3A6969%2Fannounce"),
            std::string::npos)
      << t.summary().magnet();
  EXPECT_NE(t.summary().magnet().find("&ws=https%3A%2F%2Fseed.example"), std::string::npos)
      << t.summary().magnet();
}

TEST_F(ApiServiceTest, TorrentFileWithoutAStoredInfoDictIsFailedPreconditionSayingWhy) {
  const auto info = testing::single_file_info_dict("some.file.bin", 1000);
  ingest(info);
  pqxx::connection c(db_.dsn());
  pqxx::work tx(c);
  tx.exec("DELETE FROM torrent_info_dicts");
  tx.commit();
  start();
  v1::GetTorrentFileRequest f;
  f.set_id(hex_id(info));
  v1::TorrentFileContent file;
  const auto s = stub_->GetTorrentFile(ctx().get(), f, &file);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("store.raw_info"), std::string::npos) << s.error_message();
}

TEST_F(ApiServiceTest, MutatingCallsNeedTheTokenAndReadsTooWhenNotPublic) {
  seed();
  start(/*public_reads=*/false);
  v1::SearchRequest req;
  v1::SearchResponse resp;
  EXPECT_EQ(stub_->Search(ctx().get(), req, &resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(stub_->Search(ctx("wrong").get(), req, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(stub_->Search(ctx(kToken).get(), req, &resp).ok());
  v1::StatsResponse stats;
  EXPECT_EQ(stub_->Stats(ctx().get(), {}, &stats).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  v1::DeleteTorrentRequest d;
  d.set_id(resp.torrents(0).info_hash());
  v1::DeleteTorrentResponse dr;
  EXPECT_EQ(stub_->DeleteTorrent(ctx().get(), d, &dr).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(stub_->DeleteTorrent(ctx("wrong").get(), d, &dr).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::BlockInfohashRequest b;
  b.set_id(std::string(40, 'a'));
  v1::BlockInfohashResponse br;
  EXPECT_EQ(stub_->BlockInfohash(ctx().get(), b, &br).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ApiServiceTest, DeletedAndBlockedTorrentsNeverComeBackThroughIngest) {
  const auto deleted = testing::single_file_info_dict("deleted.one.mkv", 5000);
  const auto blocked = testing::single_file_info_dict("blocked.before.indexing.mkv", 5000);
  ingest(deleted);
  start();
  v1::DeleteTorrentRequest d;
  d.set_id(hex_id(deleted));
  v1::DeleteTorrentResponse dr;
  ASSERT_TRUE(stub_->DeleteTorrent(ctx(kToken).get(), d, &dr).ok());
  EXPECT_TRUE(dr.existed());
  v1::BlockInfohashRequest b;
  b.set_id("magnet:?xt=urn:btih:" + hex_id(blocked));
  b.set_reason("dmca");
  v1::BlockInfohashResponse br;
  ASSERT_TRUE(stub_->BlockInfohash(ctx(kToken).get(), b, &br).ok());
  EXPECT_FALSE(br.existed());

  ingest(deleted);
  ingest(blocked);
  EXPECT_EQ(search("deleted").torrents_size(), 0);
  EXPECT_EQ(search("blocked").torrents_size(), 0);
  v1::StatsResponse stats;
  ASSERT_TRUE(stub_->Stats(ctx().get(), {}, &stats).ok());
  EXPECT_EQ(stats.torrents(), 0);
  EXPECT_EQ(stats.blocked_infohashes(), 2);
}

TEST_F(ApiServiceTest, StatsReturnsTheTrueCountsOfTheCorpusAndLiveCrawlRates) {
  seed();
  ingest(testing::single_file_info_dict("Another.Movie.2010.720p.mkv", 2'000'000'000));
  {
    pqxx::connection c(db_.dsn());
    pqxx::work tx(c);
    tx.exec(
        "INSERT INTO crawler_nodes (node_id, started_at, first_report, last_report, counters,"
        " gauges, rates) VALUES"
        " ('a', now(), now(), now(), '{}', '{}', '{\"samples\": 10.5, \"fetch_ok\": 2}'),"
        " ('b', now(), now(), now(), '{}', '{}', '{\"samples\": 1.5}'),"
        " ('gone', now() - interval '1 day', now() - interval '1 day', now() - interval '1 hour',"
        "  '{}', '{}', '{\"samples\": 1000}')");
    tx.commit();
  }
  start();
  v1::StatsResponse stats;
  ASSERT_TRUE(stub_->Stats(ctx().get(), {}, &stats).ok());
  EXPECT_EQ(stats.torrents(), 4);
  std::map<int, std::int64_t> by_type;
  for (const auto& c : stats.content_types()) by_type[c.content_type()] = c.count().value();
  EXPECT_EQ(by_type, (std::map<int, std::int64_t>{{v1::CONTENT_TYPE_MOVIE, 2},
                                                  {v1::CONTENT_TYPE_EPISODE, 1},
                                                  {v1::CONTENT_TYPE_SOFTWARE, 1}}));
  EXPECT_EQ(stats.live_crawler_nodes(), 2);
  EXPECT_DOUBLE_EQ(stats.crawl_rates().at("samples"), 12.0);
  EXPECT_DOUBLE_EQ(stats.crawl_rates().at("fetch_ok"), 2.0);
  EXPECT_GT(stats.database_bytes(), 0);
}

TEST_F(ApiServiceTest, StatsCountsPinsByStateAndSumsEachKeepersLatestCounters) {
  namespace db = pin_store;
  const auto id_of = [](const std::string& text) { return *InfoHashV1::from_hex(hex_id(text)); };
  const auto pin = [&](const InfoHashV1& id) {
    db::NewPin p;
    p.id = id;
    pqxx::connection c(db_.dsn());
    EXPECT_EQ(db::upsert_pin(c, p), db::UpsertOutcome::kCreated);
  };
  const auto failed = id_of("failed");
  const auto resolving = std::vector{id_of("resolving 1"), id_of("resolving 2")};
  {
    // One pin timed out while RESOLVING, then two more RESOLVING ones.
    pin(failed);
    pqxx::connection c(db_.dsn());
    ASSERT_EQ(db::fail_overdue(c, 0s), 1u);
  }
  for (const auto& id : resolving) pin(id);
  // Indexed with their info dicts (raw_info = all): ALIVE at once.
  seed();
  const std::vector alive{
      id_of(testing::single_file_info_dict("The.Matrix.1999.1080p.BluRay.x264.mkv", 8'000'000'000)),
      id_of(testing::single_file_info_dict("Breaking.Bad.S01E02.720p.HDTV.mkv", 1'000'000'000)),
      id_of(testing::single_file_info_dict("ubuntu-22.04-desktop-amd64.iso", 3'000'000'000))};
  for (const auto& id : alive) pin(id);

  const auto counters = [](const InfoHashV1& id, std::uint64_t incoming, std::uint64_t served) {
    db::PinCounters k;
    k.id = id;
    k.incoming_connections = incoming;
    k.metadata_served = served;
    return k;
  };
  {
    pqxx::connection c(db_.dsn());
    // keeper-a: two heartbeats; only the latest counters count (a keeper
    // reports its totals since it started), and an unpinned id is ignored.
    db::record_hello(c, "keeper-a", "203.0.113.7", 6882);
    const std::vector first{counters(alive[0], 9, 9)};
    db::record_heartbeat(c, "keeper-a", first);
    const std::vector latest{counters(alive[0], 2, 1), counters(alive[1], 3, 0),
                             counters(resolving[0], 0, 0), counters(id_of("never pinned"), 50, 50)};
    db::record_heartbeat(c, "keeper-a", latest);
    // keeper-b: said hello, no counters yet, no announce address set.
    db::record_hello(c, "keeper-b", "", 51413);
    // keeper-c: counters, but its last heartbeat is an hour old.
    db::record_hello(c, "keeper-c", "2001:db8::1", 6883);
    const std::vector stale{counters(alive[0], 7, 4), counters(alive[2], 1, 1)};
    db::record_heartbeat(c, "keeper-c", stale);
    pqxx::work tx(c);
    tx.exec(
        "UPDATE keepers SET last_heartbeat = now() - interval '1 hour' WHERE node_id = "
        "'keeper-c'");
    tx.commit();
  }
  start();
  v1::StatsResponse stats;
  ASSERT_TRUE(stub_->Stats(ctx().get(), {}, &stats).ok());
  EXPECT_EQ(stats.pins().total(), 6);
  EXPECT_EQ(stats.pins().alive(), 3);
  EXPECT_EQ(stats.pins().resolving(), 2);
  EXPECT_EQ(stats.pins().failed(), 1);

  ASSERT_EQ(stats.keepers_size(), 3);
  const auto& a = stats.keepers(0);
  EXPECT_EQ(a.node_id(), "keeper-a");
  EXPECT_EQ(a.announce_address(), "203.0.113.7");
  EXPECT_EQ(a.peer_port(), 6882u);
  EXPECT_TRUE(a.live());
  EXPECT_EQ(a.pins(), 3);
  EXPECT_EQ(a.incoming_connections(), 5);
  EXPECT_EQ(a.metadata_served(), 1);
  const auto& b = stats.keepers(1);
  EXPECT_EQ(b.node_id(), "keeper-b");
  EXPECT_EQ(b.announce_address(), "");
  EXPECT_EQ(b.peer_port(), 51413u);
  EXPECT_TRUE(b.live());
  EXPECT_EQ(b.pins(), 0);
  EXPECT_EQ(b.incoming_connections(), 0);
  EXPECT_EQ(b.metadata_served(), 0);
  const auto& c = stats.keepers(2);
  EXPECT_EQ(c.node_id(), "keeper-c");
  EXPECT_EQ(c.announce_address(), "2001:db8::1");
  EXPECT_FALSE(c.live());
  EXPECT_EQ(c.pins(), 2);
  EXPECT_EQ(c.incoming_connections(), 8);
  EXPECT_EQ(c.metadata_served(), 5);

  // Heartbeat times are the database's: keeper-a's just now, keeper-c's an
  // hour back (the database runs on this machine's clock).
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EXPECT_NEAR(static_cast<double>(a.last_heartbeat().seconds()), static_cast<double>(now), 60);
  EXPECT_NEAR(static_cast<double>(c.last_heartbeat().seconds()), static_cast<double>(now - 3600),
              60);
}

TEST_F(ApiServiceTest, StatsCallsAKeeperLiveWithinTheConfiguredWindowOnly) {
  {
    pqxx::connection c(db_.dsn());
    pin_store::record_hello(c, "recent", "198.51.100.1", 6882);
    pin_store::record_hello(c, "ten-minutes", "198.51.100.2", 6882);
    pqxx::work tx(c);
    tx.exec(
        "UPDATE keepers SET last_heartbeat = now() - interval '10 minutes' WHERE node_id = "
        "'ten-minutes'");
    tx.commit();
  }
  // The default window is the hub's: 3 heartbeats of 30 s.
  start();
  v1::StatsResponse stats;
  ASSERT_TRUE(stub_->Stats(ctx().get(), {}, &stats).ok());
  ASSERT_EQ(stats.keepers_size(), 2);
  EXPECT_EQ(stats.keepers(0).node_id(), "recent");
  EXPECT_TRUE(stats.keepers(0).live());
  EXPECT_FALSE(stats.keepers(1).live());
  EXPECT_EQ(stats.pins().total(), 0);

  // keeper.heartbeat_interval = 5 min: 15 minutes' window.
  stub_.reset();
  server_.reset();
  start(true, nullptr, 15min);
  stats.Clear();
  ASSERT_TRUE(stub_->Stats(ctx().get(), {}, &stats).ok());
  ASSERT_EQ(stats.keepers_size(), 2);
  EXPECT_TRUE(stats.keepers(0).live());
  EXPECT_TRUE(stats.keepers(1).live());
}

TEST_F(ApiServiceTest, ServesOverTlsWithASelfSignedCertificate) {
  seed();
  const auto cert = make_self_signed();
  start(true, &cert);
  EXPECT_TRUE(server_->tls());
  EXPECT_EQ(search("matrix").torrents_size(), 1);
  // A plaintext client gets nowhere.
  auto plain = v1::Magnetar::NewStub(
      grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
  v1::SearchRequest req;
  v1::SearchResponse resp;
  auto c = ctx();
  c->set_deadline(std::chrono::system_clock::now() + 5s);
  EXPECT_FALSE(plain->Search(c.get(), req, &resp).ok());
}

std::string bytes_of(const grpc::ByteBuffer& b) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!b.Dump(&slices).ok()) return out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

grpc::ByteBuffer buffer_of(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

TEST_F(ApiServiceTest, HealthCheckingAndReflectionAreServed) {
  start();
  // Neither service's generated code ships with Debian's gRPC, so the calls
  // go out as raw bytes: grpc.health.v1.Health/Check with an empty request
  // answers {status: SERVING} = field 1, varint 1.
  grpc::ClientContext hc;
  hc.set_deadline(std::chrono::system_clock::now() + 10s);
  grpc::ByteBuffer response;
  const auto status = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
      channel_.get(),
      grpc::internal::RpcMethod("/grpc.health.v1.Health/Check",
                                grpc::internal::RpcMethod::NORMAL_RPC),
      &hc, buffer_of(""), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(bytes_of(response), std::string("\x08\x01", 2));

  // grpc.reflection.v1alpha.ServerReflection: list_services (field 7, an
  // empty string) names every service, ours among them.
  grpc::ClientContext rc;
  rc.set_deadline(std::chrono::system_clock::now() + 10s);
  std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>> stream(
      grpc::internal::ClientReaderWriterFactory<grpc::ByteBuffer, grpc::ByteBuffer>::Create(
          channel_.get(),
          grpc::internal::RpcMethod(
              "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
              grpc::internal::RpcMethod::BIDI_STREAMING),
          &rc));
  ASSERT_TRUE(stream->Write(buffer_of(std::string("\x3a\x00", 2))));
  stream->WritesDone();
  grpc::ByteBuffer listing;
  ASSERT_TRUE(stream->Read(&listing));
  const auto text = bytes_of(listing);
  EXPECT_NE(text.find("magnetar.v1.Magnetar"), std::string::npos);
  EXPECT_NE(text.find("grpc.health.v1.Health"), std::string::npos);
  EXPECT_TRUE(stream->Finish().ok());
}

}  // namespace
}  // namespace magnetar::rpc
