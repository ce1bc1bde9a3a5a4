// Error codes of the search engine for requests it cannot run (the RPC maps
// them to INVALID_ARGUMENT); infrastructure failures are exceptions.
#pragma once

#include <system_error>

namespace magnetar::search {

enum class SearchErrc {
  kBadPageToken = 1,     // not a token this engine made
  kPageTokenMismatch,    // a token of another request (query, filters or order differ)
  kBadExtension,         // a file extension that is not 1..16 ASCII letters/digits
  kBadRange,             // min above max
  kTooManyFilterValues,  // a list filter over kMaxFilterValues
  kBadPageSize,          // outside 1..kMaxPageSize
};

std::error_code make_error_code(SearchErrc e);

}  // namespace magnetar::search

template <>
struct std::is_error_code_enum<magnetar::search::SearchErrc> : std::true_type {};
