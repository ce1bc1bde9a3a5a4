// The SQL text of a search, built without I/O (unit-tested on exact strings):
// the words of a Query as a tsquery expression over bound parameters, and the
// facet filters as tsquery text over the lexemes of schema migration 0003.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "indexer/search/query.hpp"
#include "indexer/search/search_spec.hpp"

namespace magnetar::search {

// Positional parameters ($1, $2, ...) collected while SQL text is built.
class SqlParams {
 public:
  // Appends v and returns its placeholder.
  std::string add(std::string v);
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
};

// A tsquery-valued SQL expression for the words of q, with the user's text
// only in parameters: words and phrases through phraseto_tsquery over
// magnetar_search_text (the split the names got), prefixes through
// to_tsquery('...':*), `!!` for exclusions, `||` within a clause, `&&` between.
// Empty for an empty query.
std::string words_tsquery_sql(const Query& q, SqlParams& params);

// The facet filters as tsquery texts, one per ANDed group, e.g. ('~t1' |
// '~t2') and '~y1999'; empty when spec has none. kBadExtension,
// kTooManyFilterValues.
Result<std::vector<std::string>> facet_tsquery_terms(const SearchSpec& spec);

// "SET LOCAL statement_timeout = N": a read transaction's deadline (at least
// 1 ms; 0 would mean none).
std::string local_timeout_sql(std::chrono::milliseconds timeout);

// Joins two tsquery texts with &, either possibly empty.
std::string and_tsquery_text(const std::string& a, const std::string& b);

}  // namespace magnetar::search
