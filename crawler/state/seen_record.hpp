// What a crawler node knows about one infohash it has seen: when, how often it
// tried to fetch the info dict, how the last try went, and when to try again.
// The seen set (seen_set.hpp) stores one per 20-byte id.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace magnetar::crawler::state {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// How the last fetch attempt ended. Stored as one byte: never renumber.
enum class FetchOutcome : std::uint8_t {
  kNotTried = 0,       // seen as a candidate, no fetch yet
  kOk = 1,             // info dict fetched and verified: never fetch again
  kSkipped = 2,        // the hub already has it or blocks it (Triage): never fetch
  kNoPeers = 3,        // get_peers found nobody
  kTimeout = 4,        // peers found, none delivered in time
  kConnectFailed = 5,  // no peer accepted a connection
  kNoMetadata = 6,     // peers do not support ut_metadata (BEP 9) or rejected every piece
  kBadMetadata = 7,    // metadata did not hash to the infohash, or was malformed
  kOtherFailure = 8,
};

// True for outcomes that end fetching for good.
constexpr bool is_final(FetchOutcome o) {
  return o == FetchOutcome::kOk || o == FetchOutcome::kSkipped;
}

const char* to_string(FetchOutcome o);

// Retrying failures with exponential backoff: a torrent with no reachable
// peers now often has some later (peers re-announce to the DHT every 15-30
// minutes), but a torrent that failed many times over a day is dead or
// private, and retrying it costs DHT queries that could discover new ones.
inline constexpr std::chrono::seconds kFirstRetryDelay{15 * 60};
inline constexpr std::chrono::seconds kMaxRetryDelay{24 * 60 * 60};
// 15 min, 30 min, 1 h, 2 h, 4 h, 8 h after the first six failures: about
// 16 hours of tries, then the infohash is given up on.
inline constexpr std::uint32_t kMaxAttempts = 7;

struct RetryPolicy {
  std::chrono::seconds first_delay = kFirstRetryDelay;
  std::chrono::seconds max_delay = kMaxRetryDelay;
  std::uint32_t max_attempts = kMaxAttempts;

  // The delay after the n-th failed attempt (n >= 1): first_delay * 2^(n-1),
  // capped at max_delay.
  std::chrono::seconds delay_after(std::uint32_t failures) const;
};

struct SeenRecord {
  TimePoint first_seen{};
  TimePoint last_seen{};
  std::uint32_t attempts = 0;
  FetchOutcome last_outcome = FetchOutcome::kNotTried;
  TimePoint next_retry{};  // meaningful after a failure only

  friend bool operator==(const SeenRecord&, const SeenRecord&) = default;
};

// Whether to fetch the info dict now, by this record (absent: yes).
bool should_fetch(const SeenRecord& r, TimePoint now, const RetryPolicy& policy);
// Whether the record is a failure with attempts left: it will be due for a
// retry at r.next_retry (SeenSet keeps an index of these by time).
bool awaits_retry(const SeenRecord& r, const RetryPolicy& policy);

// A new record for a first sighting, or r with last_seen moved forward.
SeenRecord note_seen(const SeenRecord* r, TimePoint now);
// r (or a new record) after an attempt with this outcome.
SeenRecord after_attempt(const SeenRecord* r, FetchOutcome outcome, TimePoint now,
                         const RetryPolicy& policy);

// Stored form: a version byte, then big-endian first_seen, last_seen (ms since
// the epoch), attempts (u32), outcome (u8), next_retry (ms): 30 bytes.
inline constexpr std::size_t kSeenRecordSize = 30;
std::string encode(const SeenRecord& r);
Result<SeenRecord> decode_seen_record(std::string_view bytes);

}  // namespace magnetar::crawler::state
