// The search engine on a real PostgreSQL seeded with a known corpus: every
// operator and filter returns exactly the expected torrents in the expected
// order, under each of the engine's strategies (collect, walk, walk cut
// short), and pages concatenate to the whole result.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "common/codec.hpp"
#include "indexer/search/page_token.hpp"
#include "indexer/search/query_parser.hpp"
#include "indexer/search/search_engine.hpp"
#include "indexer/search/search_errors.hpp"
#include "schema/migrator.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar::search {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kGB = 1'000'000'000;
constexpr std::int64_t kMB = 1'000'000;
constexpr auto kTimeout = 10s;
// Day 0 of the corpus: first_seen of torrent n is kEpoch + n days.
const TimePoint kEpoch = TimePoint(std::chrono::seconds(1'700'000'000));

struct Row {
  int n;  // the id is 20 bytes of n
  const char* name;
  int type;  // indexer/classify ContentType
  std::int64_t size;
  std::optional<int> year, resolution, season, episode;
  std::vector<std::string> extensions;
};

// Content types: 1 movie, 2 episode, 3 music, 7 software.
const std::vector<Row> kCorpus = {
    {1, "The.Matrix.1999.1080p.BluRay.x264", 1, 8 * kGB, 1999, 1080, {}, {}, {"mkv"}},
    {2, "The Matrix Reloaded 2003 720p", 1, 4 * kGB, 2003, 720, {}, {}, {"mp4"}},
    {3, "Matrix.Revolutions.2003.2160p", 1, 15 * kGB, 2003, 2160, {}, {}, {"mkv"}},
    {4, "Amélie.2001.DVDRip", 1, 700 * kMB, 2001, {}, {}, {}, {"avi"}},
    {5, "Spider-Man.2002.1080p", 1, 6 * kGB, 2002, 1080, {}, {}, {"mkv"}},
    {6, "Breaking.Bad.S01E02.720p", 2, 1 * kGB, {}, 720, 1, 2, {"mkv"}},
    {7, "Breaking.Bad.S02E01.1080p", 2, 2 * kGB, {}, 1080, 2, 1, {"mkv"}},
    {8, "Pink Floyd - The Wall [FLAC]", 3, 900 * kMB, 1979, {}, {}, {}, {"flac"}},
    {9, "Beethoven Symphony 9 (mp3)", 3, 120 * kMB, {}, {}, {}, {}, {"mp3"}},
    {10, "Ubuntu 22.04 LTS amd64", 7, 3 * kGB, {}, {}, {}, {}, {"iso"}},
    {11, "The.Man.Who.Knew.Too.Much", 1, 1500 * kMB, 1956, {}, {}, {}, {"mkv"}},
    {12, "matrix_screensaver_setup", 7, 10 * kMB, {}, {}, {}, {}, {"exe"}},
};

InfoHashV1 id_of(int n) { return *InfoHashV1::from_bytes(std::string(20, static_cast<char>(n))); }

int n_of(const InfoHashV1& id) { return static_cast<unsigned char>(id.view()[0]); }

std::string opt_sql(const std::optional<int>& v) { return v ? std::to_string(*v) : "NULL"; }

void insert(pqxx::connection& c, const Row& r) {
  pqxx::work tx(c);
  std::string exts = "{";
  for (const auto& x : r.extensions) exts += (exts.size() > 1 ? "," : "") + x;
  exts += "}";
  tx.exec_params(
      "INSERT INTO torrents (first_seen, last_seen, total_size, file_count, piece_length, source,"
      " content_type, year, resolution, season, episode, private, id, name, extensions)"
      " VALUES (to_timestamp($1) , to_timestamp($1), $2, 1, 262144, 1, $3, " +
          opt_sql(r.year) + ", " + opt_sql(r.resolution) + ", " + opt_sql(r.season) + ", " +
          opt_sql(r.episode) + ", false, decode($4, 'hex'), $5, $6)",
      std::chrono::duration_cast<std::chrono::seconds>(
          (kEpoch + std::chrono::hours(24 * r.n)).time_since_epoch())
          .count(),
      r.size, r.type, to_hex(id_of(r.n).view()), r.name, exts);
  tx.commit();
}

class SearchEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = std::make_unique<pqxx::connection>(db_.dsn());
    schema::migrate(*conn_);
    for (const auto& r : kCorpus) insert(*conn_, r);
    pqxx::nontransaction(*conn_).exec("ANALYZE torrents");
  }

  SearchSpec spec(std::string_view text, SortKey sort = SortKey::kFirstSeen, bool asc = false) {
    SearchSpec s;
    auto q = parse_query(text);
    EXPECT_TRUE(q.ok()) << text;
    if (q) s.query = *q;
    s.query_text = std::string(text);
    s.sort = sort;
    s.ascending = asc;
    return s;
  }

  SearchPage run(const SearchSpec& s, const EngineLimits& limits = {}) {
    auto page = run_search(*conn_, s, kTimeout, limits);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message());
    return page.ok() ? *page : SearchPage{};
  }

  // Every page of s, concatenated (bounded: a broken token loop fails).
  std::vector<int> all_pages(SearchSpec s, const EngineLimits& limits = {}) {
    std::vector<int> out;
    for (int i = 0; i < 100; ++i) {
      const auto page = run(s, limits);
      for (const auto& h : page.hits) out.push_back(n_of(h.id));
      if (page.next_page_token.empty()) return out;
      s.page_token = page.next_page_token;
    }
    ADD_FAILURE() << "more than 100 pages";
    return out;
  }

  std::vector<int> ids(const SearchSpec& s, const EngineLimits& limits = {}) {
    std::vector<int> out;
    for (const auto& h : run(s, limits).hits) out.push_back(n_of(h.id));
    return out;
  }

  testing::TestDatabase db_;
  std::unique_ptr<pqxx::connection> conn_;
};

// The engine's strategies, each forced by its limits on this small corpus.
const std::vector<std::pair<const char*, EngineLimits>> kStrategies = {
    {"collect", EngineLimits{}},
    {"walk", EngineLimits{.collect_max_estimate = -1}},
    {"collect too costly", EngineLimits{.collect_max_cost = -1}},
    {"short walk", EngineLimits{.collect_max_estimate = -1, .walk_rows = 3, .facet_sample = 2}},
};

struct Case {
  const char* query;
  std::vector<int> expected;  // newest first
};

TEST_F(SearchEngineTest, EveryOperatorReturnsExactlyTheExpectedTorrentsInEachStrategy) {
  const std::vector<Case> cases = {
      {"matrix", {12, 3, 2, 1}},
      {"MATRIX", {12, 3, 2, 1}},
      {"amelie", {4}},
      {"AMÉLIE", {4}},
      {"Amélie", {4}},
      {"spider-man", {5}},
      {"spider man", {5}},
      {"\"spider man\"", {5}},
      {"\"man spider\"", {}},
      {"man", {11, 5}},
      {"\"the matrix\"", {2, 1}},
      {"matrix -reloaded", {12, 3, 1}},
      {"matrix -\"the matrix\"", {12, 3}},
      {"reloaded OR revolutions", {3, 2}},
      {"matrix 2003 OR 1999", {3, 2, 1}},
      {"matr*", {12, 3, 2, 1}},
      {"ma*", {12, 11, 5, 3, 2, 1}},
      {"breaking bad s01e02", {6}},
      {"flac", {8}},
      {"mp3", {9}},
      {"nothingmatches", {}},
      {"-matrix -the", {10, 9, 7, 6, 5, 4}},
      {"", {12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
  };
  for (const auto& [name, limits] : kStrategies) {
    for (const auto& c : cases) {
      EXPECT_EQ(all_pages(spec(c.query), limits), c.expected) << name << ": " << c.query;
      auto small = spec(c.query);
      small.page_size = 2;
      EXPECT_EQ(all_pages(small, limits), c.expected) << name << " (pages of 2): " << c.query;
    }
  }
}

TEST_F(SearchEngineTest, EveryFilterReturnsExactlyTheExpectedTorrents) {
  struct FilterCase {
    const char* what;
    std::function<void(SearchSpec&)> set;
    std::vector<int> expected;
  };
  const std::vector<FilterCase> cases = {
      {"episodes", [](SearchSpec& s) { s.content_types = {2}; }, {7, 6}},
      {"music or software",
       [](SearchSpec& s) {
         s.content_types = {3, 7};
       },
       {12, 10, 9, 8}},
      {"1-5 GB",
       [](SearchSpec& s) {
         s.min_size = 1 * kGB;
         s.max_size = 5 * kGB;
       },
       {11, 10, 7, 6, 2}},
      {"at least 6 GB", [](SearchSpec& s) { s.min_size = 6 * kGB; }, {5, 3, 1}},
      {"first seen days 3..5",
       [](SearchSpec& s) {
         s.first_seen_after = kEpoch + std::chrono::hours(24 * 3);
         s.first_seen_before = kEpoch + std::chrono::hours(24 * 6);
       },
       {5, 4, 3}},
      {"year 2003", [](SearchSpec& s) { s.years = {2003}; }, {3, 2}},
      {"years 1999, 2001",
       [](SearchSpec& s) {
         s.years = {1999, 2001};
       },
       {4, 1}},
      {"1080p", [](SearchSpec& s) { s.resolutions = {1080}; }, {7, 5, 1}},
      {"season 1", [](SearchSpec& s) { s.season = 1; }, {6}},
      {"s02e01",
       [](SearchSpec& s) {
         s.season = 2;
         s.episode = 1;
       },
       {7}},
      {"mkv", [](SearchSpec& s) { s.extensions = {"mkv"}; }, {11, 7, 6, 5, 3, 1}},
      {"flac or exe",
       [](SearchSpec& s) {
         s.extensions = {"flac", "exe"};
       },
       {12, 8}},
      {"matrix movies in mkv",
       [](SearchSpec& s) {
         s.content_types = {1};
         s.extensions = {"mkv"};
       },
       {3, 1}},
  };
  for (const auto& [name, limits] : kStrategies) {
    for (const auto& c : cases) {
      auto s = spec(std::string_view(c.what) == "matrix movies in mkv" ? "matrix" : "");
      c.set(s);
      EXPECT_EQ(all_pages(s, limits), c.expected) << name << ": " << c.what;
    }
  }
}

TEST_F(SearchEngineTest, SortsByDateAndSizeInBothDirections) {
  for (const auto& [name, limits] : kStrategies) {
    EXPECT_EQ(all_pages(spec("", SortKey::kFirstSeen, true), limits),
              (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
        << name;
    EXPECT_EQ(all_pages(spec("", SortKey::kSize, false), limits),
              (std::vector<int>{3, 1, 5, 2, 10, 7, 11, 6, 8, 4, 9, 12}))
        << name;
    EXPECT_EQ(all_pages(spec("", SortKey::kSize, true), limits),
              (std::vector<int>{12, 9, 4, 8, 6, 11, 7, 10, 2, 5, 1, 3}))
        << name;
    EXPECT_EQ(all_pages(spec("mkv OR mp4", SortKey::kSize, false), limits),
              (std::vector<int>{}))  // extensions are facets, not words of the name
        << name;
    EXPECT_EQ(all_pages(spec("matrix", SortKey::kSize, true), limits),
              (std::vector<int>{12, 2, 1, 3}))
        << name;
  }
}

TEST_F(SearchEngineTest, RelevancePrefersShorterNamesAndBreaksTiesById) {
  // ts_rank normalized by document length: the shortest name mentioning the
  // word ranks first; equal scores fall back to the id, descending.
  const auto page = run(spec("matrix", SortKey::kRelevance));
  std::vector<int> got;
  for (const auto& h : page.hits) got.push_back(n_of(h.id));
  EXPECT_EQ(got, (std::vector<int>{12, 3, 2, 1}));
  for (std::size_t i = 1; i < page.hits.size(); ++i) {
    EXPECT_GE(page.hits[i - 1].score, page.hits[i].score);
  }
  EXPECT_GT(page.hits.front().score, page.hits.back().score);
  EXPECT_EQ(ids(spec("bad", SortKey::kRelevance)), (std::vector<int>{7, 6}));
  // Pages of relevance concatenate to the same order, in each strategy.
  for (const auto& [name, limits] : kStrategies) {
    auto s = spec("matrix OR bad", SortKey::kRelevance);
    const auto whole = ids(s, limits);
    s.page_size = 1;
    EXPECT_EQ(all_pages(s, limits), whole) << name;
    EXPECT_EQ(whole.size(), 6u) << name;
  }
}

TEST_F(SearchEngineTest, TotalsAndFacetsAreExactForSmallSets) {
  auto s = spec("matrix");
  s.page_size = 1;
  const auto page = run(s);
  EXPECT_EQ(page.total, (Count{4, false}));
  ASSERT_EQ(page.content_types.size(), 2u);
  EXPECT_EQ(page.content_types[0], (std::pair<int, Count>{1, {3, false}}));
  EXPECT_EQ(page.content_types[1], (std::pair<int, Count>{7, {1, false}}));
  // Filters only: straight from the per-type counts.
  auto all = spec("");
  EXPECT_EQ(run(all).total, (Count{12, false}));
  all.content_types = {1, 3};
  const auto typed = run(all);
  EXPECT_EQ(typed.total, (Count{8, false}));
  ASSERT_EQ(typed.content_types.size(), 2u);
  EXPECT_EQ(typed.content_types[1], (std::pair<int, Count>{3, {2, false}}));
}

TEST_F(SearchEngineTest, CountsFollowDeletesAndReclassification) {
  pqxx::work tx(*conn_);
  tx.exec("DELETE FROM torrents WHERE id = decode('" + to_hex(id_of(12).view()) + "', 'hex')");
  tx.exec("UPDATE torrents SET content_type = 3 WHERE id = decode('" + to_hex(id_of(10).view()) +
          "', 'hex')");
  tx.commit();
  auto s = spec("");
  s.content_types = {7};
  EXPECT_EQ(run(s).total, (Count{0, false}));
  s.content_types = {3};
  EXPECT_EQ(run(s).total, (Count{3, false}));
  EXPECT_EQ(all_pages(s), (std::vector<int>{10, 9, 8}));
}

TEST_F(SearchEngineTest, LargeMatchSetsAreEstimatedAndMarked) {
  // 10,500 more torrents named "filler N", type software, first seen before
  // the corpus: over the exact-count threshold.
  pqxx::work tx(*conn_);
  tx.exec(
      "INSERT INTO torrents (first_seen, last_seen, total_size, file_count, piece_length, source,"
      " content_type, private, id, name)"
      " SELECT to_timestamp(1600000000 + g), to_timestamp(1600000000 + g), g, 1, 16384, 1, 7,"
      " false, decode('ee' || lpad(to_hex(g), 38, '0'), 'hex'), 'filler ' || g"
      " FROM generate_series(1, 10500) g");
  tx.commit();
  pqxx::nontransaction(*conn_).exec("ANALYZE torrents");
  for (const auto& [name, limits] : kStrategies) {
    const auto page = run(spec("filler"), limits);
    EXPECT_TRUE(page.total.estimated) << name;
    EXPECT_GT(page.total.value, kExactCountLimit) << name;
    EXPECT_LT(page.total.value, 3 * 10'500) << name;
    ASSERT_EQ(page.content_types.size(), 1u) << name;
    EXPECT_EQ(page.content_types[0].first, 7) << name;
    EXPECT_TRUE(page.content_types[0].second.estimated) << name;
    EXPECT_FALSE(page.next_page_token.empty()) << name;
    if (limits.walk_rows < 12) {
      // A walk shorter than the corpus rows above the fillers ends its page
      // empty, with a token to go on: bounded work per request.
      EXPECT_TRUE(page.hits.empty()) << name;
      continue;
    }
    EXPECT_EQ(page.hits.size(), static_cast<std::size_t>(kDefaultPageSize)) << name;
    EXPECT_EQ(page.hits.front().name, "filler 10500") << name;
  }
  // Filters only: exact at any size, from the per-type counts.
  auto typed = spec("");
  typed.content_types = {7};
  EXPECT_EQ(run(typed).total, (Count{10'502, false}));
  // A rare word among them stays exact.
  EXPECT_EQ(run(spec("matrix")).total, (Count{4, false}));
}

TEST_F(SearchEngineTest, BadPageTokensAndRequestsAreRefusedPrecisely) {
  auto s = spec("matrix");
  s.page_size = 1;
  const auto first = run(s);
  ASSERT_FALSE(first.next_page_token.empty());
  auto other = spec("matrix -reloaded");
  other.page_token = first.next_page_token;
  auto r = run_search(*conn_, other, kTimeout);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, make_error_code(SearchErrc::kPageTokenMismatch));
  other.page_token = "zz";
  r = run_search(*conn_, other, kTimeout);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, make_error_code(SearchErrc::kBadPageToken));
  auto bad = spec("");
  bad.extensions = {"m.kv"};
  EXPECT_EQ(run_search(*conn_, bad, kTimeout).error().code,
            make_error_code(SearchErrc::kBadExtension));
  bad = spec("");
  bad.min_size = 10;
  bad.max_size = 5;
  EXPECT_EQ(run_search(*conn_, bad, kTimeout).error().code, make_error_code(SearchErrc::kBadRange));
  bad = spec("");
  bad.page_size = kMaxPageSize + 1;
  EXPECT_EQ(run_search(*conn_, bad, kTimeout).error().code,
            make_error_code(SearchErrc::kBadPageSize));
}

}  // namespace
}  // namespace magnetar::search
