// How a crawler node came to know an infohash (the hub's proto has the same
// list). Kept with outbox items and with infohashes awaiting a retry.
#pragma once

#include <cstdint>

namespace magnetar::crawler::state {

// Stored as one byte: never renumber.
enum class Source : std::uint8_t {
  kUnknown = 0,
  kDhtSample = 1,    // BEP 51 sample_infohashes
  kDhtAnnounce = 2,  // announce_peer sent to us
  kDhtGetPeers = 3,  // get_peers sent to us
  kPin = 4,          // resolved for a keep-alive pin
};

inline constexpr Source kLastSource = Source::kPin;

// The stored byte back as a Source; unknown values read as kUnknown.
constexpr Source source_from_byte(std::uint8_t b) {
  return b <= static_cast<std::uint8_t>(kLastSource) ? static_cast<Source>(b) : Source::kUnknown;
}

}  // namespace magnetar::crawler::state
