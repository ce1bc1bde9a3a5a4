// Error codes of the search query parser (query_parser.hpp).
#pragma once

#include <system_error>

namespace magnetar::search {

enum class QueryErrc {
  kTooLong = 1,
};

std::error_code make_error_code(QueryErrc e);

}  // namespace magnetar::search

template <>
struct std::is_error_code_enum<magnetar::search::QueryErrc> : std::true_type {};
