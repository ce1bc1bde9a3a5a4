// Parses the text of a Search request into a Query (query.hpp). Sans-I/O and
// bounded; a bad query is an Error whose offset is the byte where the problem
// is, which the RPC returns as INVALID_ARGUMENT.
//
// The language (bytes, UTF-8):
//   query   = clause *(ws clause)              implicit AND
//   clause  = literal *(ws "OR" ws literal)    OR binds tighter than AND
//   literal = ["-"] term                       '-' excludes, only at the start
//   term    = '"' inside '"' | prefix '*' | word
// - Terms are separated by ASCII whitespace (space, \t, \n, \v, \f, \r); other
//   spaces (U+00A0, U+3000, ...) are word characters like every non-ASCII
//   code point, so that no Unicode table is needed.
// - `OR` is an operator only as a whole term in upper case: `or`, `Or` and
//   `-OR` (the excluded word "OR") are words, `"OR"` is a phrase.
// - A '-' inside a word is part of it: `spider-man` is the word "spider-man".
//   `--x` is an error (kDanglingExclusion at the second '-') rather than the
//   excluded word "-x": a term cannot be excluded twice, and a double dash is a
//   typo far more often than a word that starts with '-'.
// - A quote opens a phrase only at the start of a term (after an optional '-');
//   the phrase ends at the next quote, which must be followed by whitespace or
//   the end. The inside is kept as typed, whitespace included.
// - `mat*` is a prefix: letters and digits only, at least kMinPrefixChars code
//   points, the '*' last.
// - Every word and phrase needs a letter or digit (ASCII alphanumeric, or any
//   non-ASCII code point): the index splits names on punctuation, so `...`
//   would match nothing.
// - Empty or all-whitespace text is the empty Query (the caller only filters).
// Checks run in this order, the first failure is returned: the length, then the
// encoding (UTF-8 and control characters) of the whole text, then the terms
// from left to right.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "indexer/search/query.hpp"
#include "indexer/search/query_errors.hpp"

namespace magnetar::search {

// Search boxes send a few words; 512 bytes holds any sensible query (a full
// release name is under 200) and bounds the parse and the SQL built from it.
inline constexpr std::size_t kMaxQueryBytes = 512;
// Each term becomes a condition on the GIN index in one SQL statement: 16 keeps
// the statement and its planning cheap, beyond any real search.
inline constexpr std::size_t kMaxTerms = 16;
// A one-character prefix would expand to a large part of the lexicon in the
// GIN index (PostgreSQL's `:*`), for a result nobody can use.
inline constexpr std::size_t kMinPrefixChars = 2;

Result<Query> parse_query(std::string_view text);

// The canonical text of a query, in the language above: clauses separated by
// one space, the literals of a clause by " OR ", phrases in quotes, prefixes
// with their '*', e.g. `matrix "blu ray" 1080p OR 720p -cam` (OR binds tighter,
// so no parentheses are needed). For every Query that parse_query returns,
// parse_query(to_string(q)) gives q back (offsets aside) and the text is never
// longer than the one parsed.
std::string to_string(const Query& query);

}  // namespace magnetar::search
