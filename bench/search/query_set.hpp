// The fixed query set of bench/search (queries.txt): one search per line,
// grouped in classes, with its filters and sort written as options. Turned
// into Search requests (run through gRPC) and into the naive baseline's SQL
// (ILIKE '%word%' ... ORDER BY first_seen DESC LIMIT 20) over the same words.
//
// Line format (blank lines and lines starting with '#' are skipped):
//   class | query | option option ...
// The query is the Search query text, possibly empty (filters only), or
// @unique: the next word that matches exactly one torrent of the corpus,
// found at run time (it depends on the corpus size). Options:
//   type=movie,episode   content types (proto names without the prefix)
//   size=1G..10G         total size range, inclusive; either side may be empty;
//                        suffixes K, M, G, T (powers of 1024)
//   seen=0.5..0.6        first-seen range as fractions of the corpus's span
//                        (first seen of the oldest torrent = 0, newest = 1),
//                        the start inclusive, the end exclusive
//   year=1999,2000  res=1080,2160  season=2  episode=5  ext=mkv,srt
//   sort=size-asc        order_by: relevance, first_seen or size, with an
//                        optional -asc or -desc
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "magnetar/v1/magnetar.pb.h"

namespace magnetar::bench {

inline constexpr std::string_view kUniquePlaceholder = "@unique";

struct BenchQuery {
  std::string query_class;
  std::string text;  // the Search query; kUniquePlaceholder until bound
  std::vector<v1::ContentType> types;
  std::optional<std::int64_t> min_size, max_size;
  std::optional<double> seen_from, seen_to;  // fractions of the corpus span
  std::vector<int> years, resolutions;
  std::optional<int> season, episode;
  std::vector<std::string> extensions;
  std::string order_by;  // as the proto takes it: "size asc"; empty for the default
  std::string options;   // as written, for reports
  int line = 0;          // in the query file
};

// What is wrong with a query file or a query, in words.
struct QuerySetError {
  std::string message;
};

// The first-seen span of the corpus the fractions refer to.
struct CorpusSpan {
  std::chrono::system_clock::time_point oldest, newest;
};

// The queries of a query file, or "line N: why".
Result<std::vector<BenchQuery>, QuerySetError> parse_query_set(std::string_view text);

// How many queries are kUniquePlaceholder.
std::size_t unique_placeholders(const std::vector<BenchQuery>& queries);

// Replaces the placeholders by `words`, in order; an error when too few.
Result<Ok, QuerySetError> bind_unique_words(std::vector<BenchQuery>& queries,
                                            const std::vector<std::string>& words);

// The Search request of a query: page_size 20, every filter and the sort.
v1::SearchRequest to_request(const BenchQuery& q, const CorpusSpan& span);

// The naive baseline over the same words and filters: every term a
// `name ILIKE '%term%'` (a phrase's words joined by one any character, a
// prefix as a substring, an excluded term NOT ILIKE, OR as OR), the filters
// on their columns, ORDER BY first_seen DESC LIMIT 20. An empty string for a
// query without words; an error for a query the parser refuses.
Result<std::string, QuerySetError> baseline_sql(const BenchQuery& q, const CorpusSpan& span);

}  // namespace magnetar::bench
