// Which raw info dicts the store keeps (setting indexer.raw_info_policy).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace magnetar::indexer::store {

enum class RawInfoPolicy : std::uint8_t {
  kPinned = 0,  // default: only pinned torrents (keepers serve them to peers)
  kAll = 1,     // every torrent: about 20 kB per torrent, mostly piece hashes
  kNone = 2,
};

std::string_view to_string(RawInfoPolicy policy);
// "all", "pinned", "none"; nullopt otherwise.
std::optional<RawInfoPolicy> raw_info_policy_from_string(std::string_view text);

}  // namespace magnetar::indexer::store
