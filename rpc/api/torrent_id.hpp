// The infohash forms a public API request may name a torrent by: 40 hex
// digits (v1, or the truncated v2 id of a v2-only torrent), 64 hex digits
// (v2; BEP 52), 32 base32 digits (v1, as in old magnets), or a magnet link.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/infohash.hpp"

namespace magnetar::rpc {

// The 20-byte id the index keys torrents by, or nothing with *why set.
std::optional<InfoHashV1> parse_torrent_id(std::string_view text, std::string* why);

}  // namespace magnetar::rpc
