#include "indexer/search/query_errors.hpp"

#include "common/error_category.hpp"

namespace magnetar::search {
namespace {

constexpr char kName[] = "search query";

std::string describe(int ev) {
  switch (static_cast<QueryErrc>(ev)) {
    case QueryErrc::kTooLong:
      return "query too long";
  }
  return "unknown search query error";
}

}  // namespace

std::error_code make_error_code(QueryErrc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::search
