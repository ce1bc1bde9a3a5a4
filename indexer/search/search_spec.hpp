// What a search asks for (SearchSpec) and what it returns (SearchPage): the
// engine's side of the Search RPC, in plain types. rpc/api maps the proto
// onto these and checks the bounds below before the engine runs.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/infohash.hpp"
#include "indexer/search/query.hpp"

namespace magnetar::search {

using TimePoint = std::chrono::system_clock::time_point;

// Pages of at most 100 hits: enough for any UI, and the engine ranks at most
// kRankCandidates per request, so a larger page could not be filled anyway.
inline constexpr int kMaxPageSize = 100;
inline constexpr int kDefaultPageSize = 20;
// Totals and facets are exact up to this many matches and estimated above.
inline constexpr std::int64_t kExactCountLimit = 10'000;
// Filters with lists: bounded, each value one lexeme of the tsquery.
inline constexpr std::size_t kMaxFilterValues = 32;
// File extensions as the store keeps them: lower-case ASCII letters and digits.
inline constexpr std::size_t kMaxExtensionBytes = 16;

enum class SortKey : unsigned char { kRelevance, kFirstSeen, kSize };

struct SearchSpec {
  Query query;
  std::string query_text;          // as typed: part of the page token's fingerprint
  std::vector<int> content_types;  // indexer/classify ContentType values
  std::optional<std::int64_t> min_size;
  std::optional<std::int64_t> max_size;
  std::optional<TimePoint> first_seen_after;   // inclusive
  std::optional<TimePoint> first_seen_before;  // exclusive
  std::vector<int> years;
  std::vector<int> resolutions;
  std::optional<int> season;
  std::optional<int> episode;
  std::vector<std::string> extensions;  // lower case, no dot
  SortKey sort = SortKey::kRelevance;   // kRelevance without words sorts by first_seen
  bool ascending = false;
  int page_size = kDefaultPageSize;
  std::string page_token;
};

struct Count {
  std::int64_t value = 0;
  bool estimated = false;
  friend bool operator==(const Count&, const Count&) = default;
};

struct Hit {
  InfoHashV1 id;
  std::optional<InfoHashV2> v2;
  std::string name;
  std::int64_t size = 0;
  std::int32_t file_count = 0;
  int content_type = 0;
  TimePoint first_seen;
  TimePoint last_seen;
  std::optional<int> year;
  std::optional<int> resolution;
  std::optional<int> season;
  std::optional<int> episode;
  float score = 0;  // relevance, when sorted by it
};

struct SearchPage {
  std::vector<Hit> hits;
  std::string next_page_token;  // empty on the last page
  Count total;
  std::vector<std::pair<int, Count>> content_types;  // non-zero counts, by type value
};

}  // namespace magnetar::search
