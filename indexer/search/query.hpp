// The search query language of magnetar's Search RPC, parsed (query_parser.hpp)
// into this small tree: a conjunction of clauses, each a disjunction of
// literals, each a term that may be excluded. `matrix "blu ray" 1080p OR 720p
// -cam` is four clauses: matrix AND "blu ray" AND (1080p OR 720p) AND NOT cam.
// OR binds tighter than the implicit AND, as in web search engines.
//
// Terms keep their text as typed: folding case and accents and splitting names
// on `._-[]()` happen in PostgreSQL's text search configuration, the same code
// that indexed the names (schema migration 0003), so the two can never differ.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace magnetar::search {

enum class TermKind : unsigned char {
  kWord,    // matrix, spider-man (its parts, adjacent), 1080p
  kPhrase,  // "the matrix": the words adjacent, in order
  kPrefix,  // mat*: any word starting with the text (stored without the '*')
};

struct Term {
  TermKind kind = TermKind::kWord;
  std::string text;         // word or prefix as typed; a phrase's inside, without quotes
  std::size_t offset = 0;   // byte offset of the term in the query (its quote or '-' excluded)
  friend bool operator==(const Term&, const Term&) = default;
};

struct Literal {
  Term term;
  bool excluded = false;  // written -term
  friend bool operator==(const Literal&, const Literal&) = default;
};

// Literals joined by OR.
struct Clause {
  std::vector<Literal> any;
  friend bool operator==(const Clause&, const Clause&) = default;
};

// Clauses joined by AND. An empty query matches everything (filters only).
struct Query {
  std::vector<Clause> all;
  bool empty() const { return all.empty(); }
  friend bool operator==(const Query&, const Query&) = default;
};

}  // namespace magnetar::search
