#include "crawler/wire/fetch_errors.hpp"

#include "common/error_category.hpp"

namespace magnetar::crawler::wire {
namespace {

constexpr char kName[] = "metadata fetch";

std::string describe(int ev) {
  switch (static_cast<FetchErrc>(ev)) {
    case FetchErrc::kNoPeers:
      return "no peer to fetch from";
    case FetchErrc::kCancelled:
      return "cancelled";
  }
  return "unknown metadata fetch error";
}

}  // namespace

std::error_code make_error_code(FetchErrc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::crawler::wire
