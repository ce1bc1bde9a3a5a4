#include "crawler/state/state_errors.hpp"

#include <string>

#include "common/error_category.hpp"

namespace magnetar::crawler::state {
namespace {

constexpr char kName[] = "state";

std::string describe(int ev) {
  switch (static_cast<Errc>(ev)) {
    case Errc::kOutboxFull:
      return "outbox full";
    case Errc::kItemTooLarge:
      return "item larger than the outbox byte limit";
    case Errc::kCorruptRecord:
      return "corrupt stored record";
  }
  return "unknown state error";
}

}  // namespace

std::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::crawler::state
