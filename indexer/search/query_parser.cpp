#include "indexer/search/query_parser.hpp"

namespace magnetar::search {

Result<Query> parse_query(std::string_view) { return Query{}; }

}  // namespace magnetar::search
