// BEP 11 peer exchange: the ut_pex extended message, a bencoded dict with
//   added    compact IPv4 peers, 6 bytes each     added.f   one flag byte per peer
//   added6   compact IPv6 peers, 18 bytes each    added6.f  one flag byte per peer
//   dropped  compact IPv4 peers                   dropped6  compact IPv6 peers
// Read during a metadata fetch so one peer leads to others.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "crawler/wire/peer_endpoint.hpp"

namespace magnetar::crawler::wire {

// Most peers (added + added6 + dropped + dropped6) in one message. BEP 11
// asks senders for at most 50 added and 50 dropped peers per message; 200
// leaves room for lax clients and bounds what a hostile one makes us keep.
inline constexpr std::size_t kMaxPexEntries = 200;

// BEP 11 flag bits of added.f / added6.f.
inline constexpr std::uint8_t kPexPrefersEncryption = 0x01;
inline constexpr std::uint8_t kPexSeed = 0x02;
inline constexpr std::uint8_t kPexSupportsUtp = 0x04;
inline constexpr std::uint8_t kPexSupportsHolepunch = 0x08;
inline constexpr std::uint8_t kPexReachable = 0x10;

struct PexPeer {
  PeerEndpoint endpoint;
  std::uint8_t flags = 0;  // 0 when the sender gave no (or a mis-sized) flag list

  friend bool operator==(const PexPeer&, const PexPeer&) = default;
};

struct PexMessage {
  std::vector<PexPeer> added;  // IPv4 first, then IPv6
  std::vector<PeerEndpoint> dropped;

  friend bool operator==(const PexMessage&, const PexMessage&) = default;
};

// Errors: kMalformedPex (not a dict, a peer list that is not a string or not
// a multiple of 6/18 bytes), kTooManyPexEntries (over kMaxPexEntries).
// A flag list whose length differs from its peer list is ignored.
Result<PexMessage> decode_pex(std::string_view payload);

// Canonical bencode; added.f/added6.f are written when any peer of that
// family is added.
std::string encode_pex(const PexMessage& msg);

}  // namespace magnetar::crawler::wire
