#include "indexer/store/store_errors.hpp"

#include "common/error_category.hpp"

namespace magnetar::indexer::store {
namespace {

constexpr char kName[] = "store";

std::string describe(int ev) {
  switch (static_cast<Errc>(ev)) {
    case Errc::kTruncated:
      return "file list truncated";
    case Errc::kBadFormat:
      return "unknown file list format";
    case Errc::kBadVarint:
      return "invalid varint";
    case Errc::kBadSharedPrefix:
      return "shared path prefix longer than the previous path";
    case Errc::kLimitExceeded:
      return "file list limit exceeded";
    case Errc::kTrailingData:
      return "trailing data after the file list";
  }
  return "unknown error";
}

}  // namespace

std::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::indexer::store
