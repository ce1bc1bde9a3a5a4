// The hub's internal service on an in-process gRPC server over a real
// PostgreSQL, with the real store, classifier and banned filter.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <set>

#include "common/bencode_encoder.hpp"
#include "common/sha.hpp"
#include "indexer/classify/banned_filter.hpp"
#include "indexer/classify/classifier.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "rpc/common/bearer_token.hpp"
#include "rpc/hub/hub_service.hpp"
#include "rpc/hub/pg_node_report_store.hpp"
#include "schema/migrator.hpp"
#include "tests/support/info_dicts.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::rpc {
namespace {

constexpr char kToken[] = "s3cret-cluster-token";

using testing::single_file_info_dict;
const auto info_dict = single_file_info_dict;

std::string id_of(const std::string& info) {
  const auto d = sha1(info);
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

class HubServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      pqxx::connection c(db_.dsn());
      schema::migrate(c);
    }
    store_ = std::make_unique<indexer::store::PgTorrentStore>(
        indexer::store::PgTorrentStoreOptions{.dsn = db_.dsn()});
    auto rules = indexer::classify::Rules::defaults();
    ASSERT_TRUE(rules.ok());
    classifier_ = std::make_unique<indexer::classify::Classifier>(*rules);
    indexer::classify::BannedRules banned;
    ASSERT_TRUE(
        banned.add_toml("[[rules]]\nid = \"test-rule\"\nwords = [\"forbiddenword\"]\n", "test")
            .ok());
    banned_ = std::make_unique<indexer::classify::BannedFilter>(banned);
    pipeline_ = std::make_unique<indexer::ingest::IngestPipeline>(*store_, *classifier_, *banned_);
    reports_ = std::make_unique<PgNodeReportStore>(db_.dsn());
    service_ = std::make_unique<HubService>(*pipeline_, kToken, reports_.get());

    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.SetMaxReceiveMessageSize(kMaxHubMessageBytes);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    grpc::ChannelArguments args;
    args.SetMaxSendMessageSize(kMaxHubMessageBytes);
    auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port_),
                                             grpc::InsecureChannelCredentials(), args);
    stub_ = v1::Hub::NewStub(channel);
  }

  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
    store_.reset();
  }

  std::unique_ptr<grpc::ClientContext> context(const std::string& token = kToken) {
    auto c = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) {
      auto [k, v] = bearer_metadata(token);
      c->AddMetadata(k, v);
    }
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    return c;
  }

  std::vector<v1::Verdict> triage(const std::vector<std::string>& ids) {
    v1::TriageRequest req;
    for (const auto& id : ids) req.add_info_hashes(id);
    v1::TriageResponse resp;
    auto status = stub_->Triage(context().get(), req, &resp);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<v1::Verdict> out;
    for (int v : resp.verdicts()) out.push_back(static_cast<v1::Verdict>(v));
    return out;
  }

  grpc::Status report(const v1::NodeReport& r, const std::string& token = kToken) {
    v1::ReportResponse resp;
    return stub_->Report(context(token).get(), r, &resp);
  }

  struct NodeRow {
    std::string started_at, first_report, last_report;
    double seconds_since_first = 0;  // last_report - first_report
    std::map<std::string, double> counters, gauges, rates;
  };

  // The node's row in crawler_nodes, the jsonb objects read back as numbers.
  std::optional<NodeRow> node_row(const std::string& node_id) {
    pqxx::connection c(db_.dsn());
    pqxx::read_transaction tx(c);
    const auto rows = tx.exec_params(
        "SELECT (started_at AT TIME ZONE 'UTC')::text, first_report::text, last_report::text, "
        "extract(epoch FROM last_report - first_report)::float8 FROM crawler_nodes "
        "WHERE node_id = $1",
        node_id);
    if (rows.empty()) return std::nullopt;
    NodeRow row;
    row.started_at = rows[0][0].as<std::string>();
    row.first_report = rows[0][1].as<std::string>();
    row.last_report = rows[0][2].as<std::string>();
    row.seconds_since_first = rows[0][3].as<double>();
    for (const char* column : {"counters", "gauges", "rates"}) {
      auto& out = std::string(column) == "counters" ? row.counters
                  : std::string(column) == "gauges" ? row.gauges
                                                    : row.rates;
      for (const auto& kv : tx.exec_params(std::string("SELECT key, value::float8 FROM "
                                                       "crawler_nodes, jsonb_each_text(") +
                                               column + ") WHERE node_id = $1",
                                           node_id)) {
        out[kv[0].as<std::string>()] = kv[1].as<double>();
      }
    }
    return row;
  }

  static v1::NodeReport node_report(const std::string& node_id, std::int64_t started_seconds,
                                    std::map<std::string, std::uint64_t> counters,
                                    std::map<std::string, double> gauges = {}) {
    v1::NodeReport r;
    r.set_node_id(node_id);
    if (started_seconds != 0) {
      r.mutable_started_at()->set_seconds(started_seconds);
      r.mutable_started_at()->set_nanos(123'456'000);
    }
    r.mutable_counters()->insert(counters.begin(), counters.end());
    r.mutable_gauges()->insert(gauges.begin(), gauges.end());
    return r;
  }

  testing::TestDatabase db_;
  std::unique_ptr<indexer::store::PgTorrentStore> store_;
  std::unique_ptr<indexer::classify::Classifier> classifier_;
  std::unique_ptr<indexer::classify::BannedFilter> banned_;
  std::unique_ptr<indexer::ingest::IngestPipeline> pipeline_;
  std::unique_ptr<PgNodeReportStore> reports_;
  std::unique_ptr<HubService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::unique_ptr<v1::Hub::Stub> stub_;
};

TEST_F(HubServiceTest, IngestAcksEverySequenceAndTriageSeesTheOutcome) {
  const std::vector<std::string> dicts = {
      info_dict("The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv", 8'000'000'000),
      info_dict("Some.Show.S02E05.720p.WEB-DL.x264-GRP.mkv", 900'000'000),
      info_dict("forbiddenword collection.zip", 1'000'000),  // banned: blocked, not stored
      "d4:name3:abce",                                       // not an info dict: dropped
  };
  auto ctx = context();
  auto stream = stub_->Ingest(ctx.get());
  for (std::size_t i = 0; i < dicts.size(); ++i) {
    v1::IngestRequest req;
    req.set_sequence(100 + i);
    req.set_info_dict(dicts[i]);
    req.set_source(v1::SOURCE_DHT_SAMPLE);
    ASSERT_TRUE(stream->Write(req));
  }
  ASSERT_TRUE(stream->WritesDone());
  std::set<std::uint64_t> acked;
  v1::IngestResponse resp;
  while (stream->Read(&resp)) acked.insert(resp.committed().begin(), resp.committed().end());
  const auto status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(acked, (std::set<std::uint64_t>{100, 101, 102, 103}));

  // Acked means committed: another connection sees the rows.
  EXPECT_EQ(triage({id_of(dicts[0]), id_of(dicts[1]), id_of(dicts[2]), std::string(20, 'z')}),
            (std::vector<v1::Verdict>{v1::VERDICT_KNOWN, v1::VERDICT_KNOWN, v1::VERDICT_BLOCKED,
                                      v1::VERDICT_NEW}));
  EXPECT_EQ(pipeline_->counters().queued.load(), 2u);
  EXPECT_EQ(pipeline_->counters().banned.load(), 1u);
  EXPECT_EQ(pipeline_->counters().invalid.load(), 1u);
}

TEST_F(HubServiceTest, ABlockedInfohashIsNeverStoredThroughIngest) {
  const auto dict = info_dict("Harmless.Name.2020.mkv", 5'000'000);
  store_->block(*InfoHashV1::from_bytes(id_of(dict)), "user request");
  auto ctx = context();
  auto stream = stub_->Ingest(ctx.get());
  v1::IngestRequest req;
  req.set_sequence(1);
  req.set_info_dict(dict);
  ASSERT_TRUE(stream->Write(req));
  stream->WritesDone();
  v1::IngestResponse resp;
  std::set<std::uint64_t> acked;
  while (stream->Read(&resp)) acked.insert(resp.committed().begin(), resp.committed().end());
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_EQ(acked, (std::set<std::uint64_t>{1}));
  EXPECT_EQ(triage({id_of(dict)}), (std::vector<v1::Verdict>{v1::VERDICT_BLOCKED}));
}

TEST_F(HubServiceTest, AWrongOrMissingTokenIsRefused) {
  v1::TriageRequest req;
  req.add_info_hashes(std::string(20, 'a'));
  v1::TriageResponse resp;
  EXPECT_EQ(stub_->Triage(context("wrong-token").get(), req, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(stub_->Triage(context("").get(), req, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  auto ctx = context("wrong-token");
  auto stream = stub_->Ingest(ctx.get());
  v1::IngestRequest ingest;
  ingest.set_sequence(1);
  ingest.set_info_dict(info_dict("x.mkv", 100));
  stream->Write(ingest);
  stream->WritesDone();
  v1::IngestResponse ignored;
  while (stream->Read(&ignored)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(triage({id_of(info_dict("x.mkv", 100))}), (std::vector<v1::Verdict>{v1::VERDICT_NEW}));
}

TEST_F(HubServiceTest, AReportIsStoredAndTheNextOfTheSameRunGivesRates) {
  constexpr std::int64_t kStarted = 1'790'000'000;
  ASSERT_TRUE(report(node_report("node-a", kStarted, {{"samples", 100}, {"fetch_ok", 10}},
                                 {{"dht_nodes", 120}, {"outbox_depth", 3}}))
                  .ok());
  const auto first = node_row("node-a");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->started_at, "2026-09-21 14:13:20.123456");
  EXPECT_EQ(first->first_report, first->last_report);
  EXPECT_EQ(first->counters, (std::map<std::string, double>{{"fetch_ok", 10}, {"samples", 100}}));
  EXPECT_EQ(first->gauges,
            (std::map<std::string, double>{{"dht_nodes", 120}, {"outbox_depth", 3}}));
  EXPECT_TRUE(first->rates.empty());  // a first report has nothing to compare with

  // Same run, later: rates are the increase over the seconds between reports;
  // a counter new in this report counts from 0.
  ASSERT_TRUE(
      report(node_report("node-a", kStarted, {{"samples", 400}, {"fetch_ok", 10}, {"shipped", 50}},
                         {{"dht_nodes", 130}}))
          .ok());
  const auto second = node_row("node-a");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->first_report, first->first_report);
  EXPECT_NE(second->last_report, first->last_report);
  // The first report was the run's first: the seconds between the two.
  const double seconds = second->seconds_since_first;
  ASSERT_GT(seconds, 0);
  EXPECT_EQ(second->counters.at("samples"), 400);
  EXPECT_EQ(second->gauges, (std::map<std::string, double>{{"dht_nodes", 130}}));
  ASSERT_EQ(second->rates.size(), 3u);
  EXPECT_NEAR(second->rates.at("samples"), 300 / seconds, 1e-6 * 300 / seconds);
  EXPECT_EQ(second->rates.at("fetch_ok"), 0);
  EXPECT_NEAR(second->rates.at("shipped"), 50 / seconds, 1e-6 * 50 / seconds);

  // A restart (new started_at): counters start again, rates and first_report too.
  ASSERT_TRUE(report(node_report("node-a", kStarted + 600, {{"samples", 5}})).ok());
  const auto restarted = node_row("node-a");
  ASSERT_TRUE(restarted.has_value());
  EXPECT_TRUE(restarted->rates.empty());
  EXPECT_EQ(restarted->first_report, restarted->last_report);
  EXPECT_EQ(restarted->counters, (std::map<std::string, double>{{"samples", 5}}));

  // A late report of the earlier run changes nothing.
  ASSERT_TRUE(report(node_report("node-a", kStarted, {{"samples", 999}})).ok());
  EXPECT_EQ(node_row("node-a")->counters, restarted->counters);
  // Other nodes have their own rows.
  ASSERT_TRUE(report(node_report("node-b", kStarted, {{"samples", 1}})).ok());
  EXPECT_EQ(node_row("node-b")->counters.at("samples"), 1);
}

TEST_F(HubServiceTest, AReportWithAWrongTokenIsRefusedAndNotStored) {
  const auto r = node_report("intruder", 1'790'000'000, {{"samples", 1}});
  EXPECT_EQ(report(r, "wrong-token").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(report(r, "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_FALSE(node_row("intruder").has_value());
}

TEST_F(HubServiceTest, AMalformedReportIsRefused) {
  const auto refused = [&](const v1::NodeReport& r) {
    const auto status = report(r);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << r.node_id();
    return status.error_message();
  };
  EXPECT_EQ(refused(node_report("", 1'790'000'000, {})), "node_id: 1 to 128 characters");
  EXPECT_EQ(refused(node_report("bad\nname", 1'790'000'000, {})), "node_id: printable ASCII only");
  EXPECT_EQ(refused(node_report("n", 0, {})), "started_at is not set");
  EXPECT_EQ(refused(node_report("n", 1'790'000'000, {{"Bad-Name", 1}})),
            "counters: names are 1 to 64 characters of [a-z0-9_.]");
  EXPECT_EQ(refused(node_report("n", 1'790'000'000, {}, {{"x", std::nan("")}})),
            "gauges: x is not a finite number");
  std::map<std::string, std::uint64_t> many;
  for (int i = 0; i < 257; ++i) many["c" + std::to_string(i)] = 1;
  refused(node_report("n", 1'790'000'000, many));
  EXPECT_FALSE(node_row("n").has_value());
}

TEST_F(HubServiceTest, TriageRejectsMalformedIds) {
  v1::TriageRequest req;
  req.add_info_hashes(std::string(20, 'a'));
  req.add_info_hashes("short");
  v1::TriageResponse resp;
  const auto status = stub_->Triage(context().get(), req, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "info_hashes[1] is not 20 bytes");
}

TEST(BearerToken, ComparesWholeTokens) {
  EXPECT_TRUE(token_equals("abc", "abc"));
  EXPECT_FALSE(token_equals("abc", "abd"));
  EXPECT_FALSE(token_equals("abc", "abcd"));
  EXPECT_FALSE(token_equals("abc", ""));
}

}  // namespace
}  // namespace magnetar::rpc
