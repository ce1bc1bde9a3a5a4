// Error codes of the search query parser (query_parser.hpp). Each comes with
// Error::offset, the byte of the query where the problem is (see each code).
#pragma once

#include <system_error>

namespace magnetar::search {

enum class QueryErrc {
  kTooLong = 1,         // more than kMaxQueryBytes bytes; offset kMaxQueryBytes
  kTooManyTerms,        // more than kMaxTerms terms; offset of the first term past the limit
  kInvalidUtf8,         // offset of the first byte of the ill-formed sequence
  kControlCharacter,    // a byte < 0x20 other than ASCII whitespace, or 0x7f
  kUnterminatedPhrase,  // `"the matrix` : offset of the opening quote
  kEmptyPhrase,         // `""`, `"  "` : offset of the opening quote
  kStrayQuote,          // `ab"c`, `"ab""` : offset of that quote
  kTextAfterPhrase,     // `"the matrix"1999` : offset of the byte after the closing quote
  kDanglingOr,          // `OR a`, `a OR`, `a OR OR b` : offset of the OR without a term
  kDanglingExclusion,   // `-`, `- x` (offset of the '-'), `--x` (offset of the second '-')
  kPrefixTooShort,      // `a*` : fewer than kMinPrefixChars before the '*'; offset of the '*'
  kPrefixNotAWord,      // `a.b*`, `a*b`, `"ab"*` : offset of the first byte not allowed
  kNothingSearchable,   // `...`, `-_-`, `"..."` : no letter or digit; offset of the term
};

std::error_code make_error_code(QueryErrc e);

}  // namespace magnetar::search

template <>
struct std::is_error_code_enum<magnetar::search::QueryErrc> : std::true_type {};
