#include "rpc/api/torrent_id.hpp"

#include "common/codec.hpp"
#include "common/magnet.hpp"

namespace magnetar::rpc {

std::optional<InfoHashV1> parse_torrent_id(std::string_view text, std::string* why) {
  if (text.starts_with("magnet:")) {
    auto magnet = magnet::parse_magnet(text);
    if (!magnet) {
      *why = magnet.error().message();
      return std::nullopt;
    }
    return magnet->hashes.id();
  }
  if (text.size() == 40) {
    if (auto v1 = InfoHashV1::from_hex(text)) return v1;
  } else if (text.size() == 64) {
    if (auto v2 = InfoHashV2::from_hex(text)) return truncate(*v2);
  } else if (text.size() == 32) {
    if (auto raw = from_base32(text)) {
      if (auto v1 = InfoHashV1::from_bytes(*raw)) return v1;
    }
  }
  *why = "expected an infohash (40 or 64 hex digits, 32 base32 digits) or a magnet link";
  return std::nullopt;
}

}  // namespace magnetar::rpc
