// What we tell a tracker and what it answers, common to the HTTP (BEP 3) and
// UDP (BEP 15) announce codecs. A keeper is a seed of metadata only: it
// reports nothing up or down and nothing left (left=0), so trackers list it
// as a seed and hand it to clients that only know the magnet's trackers.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/infohash.hpp"
#include "crawler/wire/handshake.hpp"
#include "crawler/wire/peer_endpoint.hpp"

namespace magnetar::crawler::keeper {

// Peers kept from one reply: a keeper resolving a pin needs a few dozen.
inline constexpr std::size_t kMaxTrackerPeers = 200;
// Bytes of a reply we read at most (200 compact peers are 1.2 kB; trackers
// add a few fields): more is a hostile or broken tracker.
inline constexpr std::size_t kMaxTrackerReplyBytes = 256 * 1024;
// Bytes of a failure reason or warning kept for logs and resolve_error.
inline constexpr std::size_t kMaxTrackerMessage = 256;

// BEP 15's numbering; HTTP spells them out (kNone: no event parameter).
enum class AnnounceEvent : std::uint32_t {
  kNone = 0,
  kCompleted = 1,
  kStarted = 2,
  kStopped = 3,
};

struct TrackerAnnounce {
  InfoHashV1 info_hash;
  wire::PeerId peer_id;
  std::uint16_t port = 0;  // our peer-wire port
  std::uint64_t uploaded = 0;
  std::uint64_t downloaded = 0;
  std::uint64_t left = 0;
  AnnounceEvent event = AnnounceEvent::kNone;
  std::uint32_t key = 0;       // lets a tracker recognise us across IP changes
  std::int32_t num_want = -1;  // -1: the tracker's default
  // The address to announce (HTTP "ip"), when the tracker should not use
  // the one our packets come from; empty: none.
  std::string ip;
};

struct TrackerReply {
  std::chrono::seconds interval{0};
  std::chrono::seconds min_interval{0};  // 0: not given
  std::uint32_t seeders = 0;
  std::uint32_t leechers = 0;
  std::vector<wire::PeerEndpoint> peers;  // at most kMaxTrackerPeers
  // Set when the tracker refused the announce ("failure reason", or a BEP 15
  // error); the other fields are then empty.
  std::string failure_reason;
  std::string warning;
};

}  // namespace magnetar::crawler::keeper
