#include "indexer/store/raw_info_policy.hpp"

namespace magnetar::indexer::store {

std::string_view to_string(RawInfoPolicy policy) {
  switch (policy) {
    case RawInfoPolicy::kPinned:
      return "pinned";
    case RawInfoPolicy::kAll:
      return "all";
    case RawInfoPolicy::kNone:
      return "none";
  }
  return "pinned";
}

std::optional<RawInfoPolicy> raw_info_policy_from_string(std::string_view text) {
  if (text == "pinned") return RawInfoPolicy::kPinned;
  if (text == "all") return RawInfoPolicy::kAll;
  if (text == "none") return RawInfoPolicy::kNone;
  return std::nullopt;
}

}  // namespace magnetar::indexer::store
