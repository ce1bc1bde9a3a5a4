#include "indexer/search/search_errors.hpp"

#include "common/error_category.hpp"

namespace magnetar::search {
namespace {

constexpr char kName[] = "search";

std::string describe(int ev) {
  switch (static_cast<SearchErrc>(ev)) {
    case SearchErrc::kBadPageToken:
      return "invalid page_token";
    case SearchErrc::kPageTokenMismatch:
      return "page_token belongs to another request (query, filters or order changed)";
    case SearchErrc::kBadExtension:
      return "a file extension must be 1 to 16 ASCII letters or digits";
    case SearchErrc::kBadRange:
      return "range minimum above its maximum";
    case SearchErrc::kTooManyFilterValues:
      return "too many values in one filter (at most 32)";
    case SearchErrc::kBadPageSize:
      return "page_size must be 0 (default 20) to 100";
  }
  return "unknown search error";
}

}  // namespace

std::error_code make_error_code(SearchErrc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::search
