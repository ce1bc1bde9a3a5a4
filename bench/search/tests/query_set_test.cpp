#include "bench/search/query_set.hpp"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "bench/search/latency.hpp"

namespace magnetar::bench {
namespace {

using google::protobuf::util::TimeUtil;
using std::chrono::seconds;

const CorpusSpan kSpan{std::chrono::system_clock::time_point(seconds(1'700'000'000)),
                       std::chrono::system_clock::time_point(seconds(1'700'001'000))};

BenchQuery one(std::string_view line) {
  auto q = parse_query_set(line);
  EXPECT_TRUE(q.ok()) << (q.ok() ? "" : q.error().message);
  EXPECT_EQ(q->size(), 1u);
  return q->front();
}

TEST(QuerySet, ParsesClassQueryAndEveryOption) {
  const auto q =
      one("  filters | star -wars |  type=movie,unknown size=1G..2T seen=0.25..0.5 year=1999,2000"
          " res=1080 season=2 episode=5 ext=mkv,srt sort=size-asc  ");
  EXPECT_EQ(q.query_class, "filters");
  EXPECT_EQ(q.text, "star -wars");
  EXPECT_EQ(q.types, (std::vector{v1::CONTENT_TYPE_MOVIE, v1::CONTENT_TYPE_UNKNOWN}));
  EXPECT_EQ(q.min_size, std::int64_t{1} << 30);
  EXPECT_EQ(q.max_size, std::int64_t{2} << 40);
  EXPECT_EQ(q.seen_from, 0.25);
  EXPECT_EQ(q.seen_to, 0.5);
  EXPECT_EQ(q.years, (std::vector{1999, 2000}));
  EXPECT_EQ(q.resolutions, (std::vector{1080}));
  EXPECT_EQ(q.season, 2);
  EXPECT_EQ(q.episode, 5);
  EXPECT_EQ(q.extensions, (std::vector<std::string>{"mkv", "srt"}));
  EXPECT_EQ(q.order_by, "size asc");
  EXPECT_EQ(q.line, 1);
}

TEST(QuerySet, SkipsCommentsAndBlankLinesAndCountsLines) {
  auto q = parse_query_set("# comment\n\nwords | a |\n  \nsort | | sort=first_seen\n");
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 2u);
  EXPECT_EQ((*q)[0].line, 3);
  EXPECT_EQ((*q)[1].line, 5);
  EXPECT_EQ((*q)[1].text, "");
  EXPECT_EQ((*q)[1].order_by, "first_seen");
}

TEST(QuerySet, OpenRangesKeepOneSide) {
  const auto q = one("s | | size=..100M seen=0.9..");
  EXPECT_FALSE(q.min_size);
  EXPECT_EQ(q.max_size, 100 << 20);
  EXPECT_EQ(q.seen_from, 0.9);
  EXPECT_FALSE(q.seen_to);
}

TEST(QuerySet, RejectsBadLinesNamingTheLine) {
  for (const char* text :
       {"words | a |\nwords | b | colour=red\n", "words | a |\nwords | b | type=film\n",
        "words | a |\nwords | b | seen=0.5..2\n", "words | a |\nwords | b | size=..\n",
        "words | a |\nwords | b | sort=date\n", "words | a |\nwords | b | sort=size-up\n",
        "words | a |\nonly one field\n", "words | a |\n | b |\n", "words | a |\nwords | --b |\n"}) {
    auto q = parse_query_set(text);
    ASSERT_FALSE(q.ok()) << text;
    EXPECT_EQ(q.error().message.rfind("line 2: ", 0), 0u) << q.error().message;
  }
  EXPECT_FALSE(parse_query_set("# nothing\n").ok());
}

TEST(QuerySet, BindsUniqueWordsInOrder) {
  auto q = parse_query_set("u | @unique |\nw | x |\nu | @unique | sort=first_seen\n");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(unique_placeholders(*q), 2u);
  EXPECT_FALSE(bind_unique_words(*q, {"12345"}).ok());
  ASSERT_TRUE(bind_unique_words(*q, {"12345", "67890", "11111"}).ok());
  EXPECT_EQ((*q)[0].text, "12345");
  EXPECT_EQ((*q)[1].text, "x");
  EXPECT_EQ((*q)[2].text, "67890");
  EXPECT_EQ(unique_placeholders(*q), 0u);
}

TEST(QuerySet, RequestCarriesEveryFilterWithSeenFractionsOfTheSpan) {
  const auto r = to_request(
      one("c | dark night | type=episode size=1K..2K seen=0.1..0.5 year=2001 res=720 season=3"
          " episode=4 ext=mkv sort=first_seen-desc"),
      kSpan);
  EXPECT_EQ(r.query(), "dark night");
  ASSERT_EQ(r.content_types_size(), 1);
  EXPECT_EQ(r.content_types(0), v1::CONTENT_TYPE_EPISODE);
  EXPECT_EQ(r.min_size_bytes(), 1024);
  EXPECT_EQ(r.max_size_bytes(), 2048);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(r.first_seen_after()), 1'700'000'100);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(r.first_seen_before()), 1'700'000'500);
  EXPECT_EQ(r.years(0), 2001);
  EXPECT_EQ(r.resolutions(0), 720);
  EXPECT_EQ(r.season(), 3);
  EXPECT_EQ(r.episode(), 4);
  EXPECT_EQ(r.file_extensions(0), "mkv");
  EXPECT_EQ(r.order_by(), "first_seen desc");
  EXPECT_EQ(r.page_size(), 20);
}

TEST(QuerySet, RequestLeavesUnsetFiltersUnset) {
  const auto r = to_request(one("c | the |"), kSpan);
  EXPECT_FALSE(r.has_min_size_bytes());
  EXPECT_FALSE(r.has_max_size_bytes());
  EXPECT_FALSE(r.has_first_seen_after());
  EXPECT_FALSE(r.has_season());
  EXPECT_EQ(r.order_by(), "");
}

TEST(QuerySet, BaselineTurnsEveryTermIntoIlike) {
  auto sql = baseline_sql(one(R"(c | "the  last" spider-man ma* -cam tokyo OR paris |)"), kSpan);
  ASSERT_TRUE(sql.ok());
  EXPECT_EQ(*sql,
            "SELECT encode(id, 'hex'), name, total_size, first_seen FROM torrents WHERE"
            " name ILIKE '%the_last%' AND name ILIKE '%spider_man%' AND name ILIKE '%ma%' AND"
            " name NOT ILIKE '%cam%' AND (name ILIKE '%tokyo%' OR name ILIKE '%paris%')"
            " ORDER BY first_seen DESC LIMIT 20");
}

TEST(QuerySet, BaselineAddsEveryFilterOnItsColumn) {
  auto sql = baseline_sql(
      one("c | x | type=movie,unknown size=1K..2K seen=0..0.5 year=1999,2000 res=1080 season=1"
          " episode=2 ext=mkv,srt"),
      kSpan);
  ASSERT_TRUE(sql.ok());
  EXPECT_EQ(*sql,
            "SELECT encode(id, 'hex'), name, total_size, first_seen FROM torrents WHERE"
            " name ILIKE '%x%' AND content_type IN (1, 0) AND total_size >= 1024 AND"
            " total_size <= 2048 AND first_seen >= (timestamptz 'epoch' +"
            " 1700000000000000::bigint * interval '1 microsecond') AND first_seen <"
            " (timestamptz 'epoch' + 1700000500000000::bigint * interval '1 microsecond') AND"
            " year IN (1999, 2000) AND resolution IN (1080) AND season = 1 AND episode = 2 AND"
            " extensions && ARRAY['mkv', 'srt']::text[] ORDER BY first_seen DESC LIMIT 20");
}

TEST(QuerySet, BaselineIsEmptyWithoutWords) {
  auto sql = baseline_sql(one("c | | type=movie"), kSpan);
  ASSERT_TRUE(sql.ok());
  EXPECT_EQ(*sql, "");
}

TEST(QuerySet, RepositoryQuerySetCoversEveryClassAndParses) {
  std::ifstream in(MAGNETAR_BENCH_SEARCH_QUERIES);
  ASSERT_TRUE(in) << MAGNETAR_BENCH_SEARCH_QUERIES;
  std::ostringstream text;
  text << in.rdbuf();
  auto q = parse_query_set(text.str());
  ASSERT_TRUE(q.ok()) << q.error().message;
  std::set<std::string> classes;
  std::size_t top = 0;
  for (const auto& x : *q) {
    classes.insert(x.query_class);
    top += x.query_class == "top10";
  }
  EXPECT_EQ(top, 10u);
  for (const char* c : {"top10", "unique", "prefix", "phrase", "exclusion", "or", "filter_type",
                        "filter_size", "filter_seen", "filter_year", "filter_resolution",
                        "filter_episode", "filter_extension", "sort"}) {
    EXPECT_TRUE(classes.count(c)) << c;
  }
  std::vector<std::string> words(unique_placeholders(*q), "12345");
  ASSERT_TRUE(bind_unique_words(*q, words).ok());
  for (const auto& x : *q) {
    EXPECT_TRUE(baseline_sql(x, kSpan).ok()) << "line " << x.line;
  }
}

TEST(Latency, NearestRankPercentiles) {
  const std::vector<double> v = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
  EXPECT_EQ(percentile(v, 50), 5);
  EXPECT_EQ(percentile(v, 95), 10);
  EXPECT_EQ(percentile(v, 99), 10);
  EXPECT_EQ(percentile(v, 0), 1);
  EXPECT_EQ(percentile({}, 50), 0);
  EXPECT_EQ(median({3, 1, 2}), 2);
  EXPECT_EQ(mean({1, 2, 3, 6}), 3);
}

}  // namespace
}  // namespace magnetar::bench
