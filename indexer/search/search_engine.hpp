// Runs a SearchSpec against the PostgreSQL index of migration 0003, bounded in
// work whatever the query: see README.md in this folder for the strategy
// (estimate, then collect a capped candidate set or walk a sort index a
// bounded distance) and why each limit is what it is.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "common/result.hpp"
#include "indexer/search/search_spec.hpp"

namespace pqxx {
class connection_base;
}

namespace magnetar::search {

struct EngineLimits {
  // Match sets estimated at most this large are collected whole (a GIN bitmap
  // scan, capped at kExactCountLimit + 1 rows) and sorted here; larger ones
  // walk the sort key's b-tree instead. Near sqrt(page x table size) at 10M
  // torrents: the point where a walk (page / selectivity rows) and a collect
  // (match count rows) cost the same.
  std::int64_t collect_max_estimate = 15'000;
  // ... unless the collect would cost more than this (in heap rows, an index
  // entry counting a twelfth: a word and a range each matching hundreds of
  // thousands): then a walk does. Unset, the bound is what the walk itself
  // costs at most (walk_rows), and the walk is taken only when the estimate
  // says it should fill its page.
  std::optional<std::int64_t> collect_max_cost = std::nullopt;
  // Rows of the sort index one walk visits at most before it gives up (then a
  // collect decides, or the page ends early with a token to continue).
  std::int64_t walk_rows = 20'000;
  // Matches a walk keeps for estimating the content-type facets.
  std::int64_t facet_sample = 100;
  // Relevance over a large match set ranks only the newest matches.
  std::int64_t rank_candidates = 1'000;
};

// Every statement of the search runs in one read-only transaction under
// `timeout` (statement_timeout). Bad requests are Errors (search_errors.hpp,
// query_errors.hpp); PostgreSQL failures throw pqxx exceptions.
Result<SearchPage> run_search(pqxx::connection_base& conn, const SearchSpec& spec,
                              std::chrono::milliseconds timeout, const EngineLimits& limits = {});

}  // namespace magnetar::search
