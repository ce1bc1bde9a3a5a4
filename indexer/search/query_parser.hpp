// Parses the text of a Search request into a Query (query.hpp). Sans-I/O and
// bounded; a bad query is an Error whose offset is the byte where the problem
// is, which the RPC returns as INVALID_ARGUMENT.
#pragma once

#include <string_view>

#include "common/result.hpp"
#include "indexer/search/query.hpp"

namespace magnetar::search {

Result<Query> parse_query(std::string_view text);

}  // namespace magnetar::search
