#include "crawler/state/seen_record.hpp"

#include <algorithm>

#include "crawler/state/byte_order.hpp"
#include "crawler/state/state_errors.hpp"

namespace magnetar::crawler::state {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kLastOutcome = static_cast<std::uint8_t>(FetchOutcome::kOtherFailure);

std::uint64_t to_ms(TimePoint t) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

TimePoint from_ms(std::uint64_t ms) {
  return TimePoint(std::chrono::duration_cast<Clock::duration>(
      std::chrono::milliseconds(static_cast<std::int64_t>(ms))));
}

}  // namespace

const char* to_string(FetchOutcome o) {
  switch (o) {
    case FetchOutcome::kNotTried:
      return "not_tried";
    case FetchOutcome::kOk:
      return "ok";
    case FetchOutcome::kSkipped:
      return "skipped";
    case FetchOutcome::kNoPeers:
      return "no_peers";
    case FetchOutcome::kTimeout:
      return "timeout";
    case FetchOutcome::kConnectFailed:
      return "connect_failed";
    case FetchOutcome::kNoMetadata:
      return "no_metadata";
    case FetchOutcome::kBadMetadata:
      return "bad_metadata";
    case FetchOutcome::kOtherFailure:
      return "other_failure";
  }
  return "unknown";
}

std::chrono::seconds RetryPolicy::delay_after(std::uint32_t failures) const {
  if (failures == 0) return std::chrono::seconds(0);
  auto delay = first_delay;
  for (std::uint32_t i = 1; i < failures && delay < max_delay; ++i) delay *= 2;
  return std::min(delay, max_delay);
}

bool should_fetch(const SeenRecord& r, TimePoint now, const RetryPolicy& policy) {
  if (is_final(r.last_outcome)) return false;
  if (r.last_outcome == FetchOutcome::kNotTried) return true;
  return r.attempts < policy.max_attempts && now >= r.next_retry;
}

bool awaits_retry(const SeenRecord& r, const RetryPolicy& policy) {
  return !is_final(r.last_outcome) && r.last_outcome != FetchOutcome::kNotTried &&
         r.attempts < policy.max_attempts;
}

SeenRecord note_seen(const SeenRecord* r, TimePoint now) {
  if (r == nullptr) return SeenRecord{.first_seen = now, .last_seen = now};
  SeenRecord out = *r;
  out.last_seen = std::max(out.last_seen, now);
  return out;
}

SeenRecord after_attempt(const SeenRecord* r, FetchOutcome outcome, TimePoint now,
                         const RetryPolicy& policy) {
  SeenRecord out = note_seen(r, now);
  ++out.attempts;
  out.last_outcome = outcome;
  // Failures count towards the backoff; a final outcome needs no retry time.
  out.next_retry = is_final(outcome) ? TimePoint{} : now + policy.delay_after(out.attempts);
  return out;
}

std::string encode(const SeenRecord& r) {
  std::string out;
  out.reserve(kSeenRecordSize);
  out.push_back(static_cast<char>(kVersion));
  put_be64(out, to_ms(r.first_seen));
  put_be64(out, to_ms(r.last_seen));
  put_be32(out, r.attempts);
  out.push_back(static_cast<char>(r.last_outcome));
  put_be64(out, to_ms(r.next_retry));
  return out;
}

Result<SeenRecord> decode_seen_record(std::string_view bytes) {
  if (bytes.size() != kSeenRecordSize) return Errc::kCorruptRecord;
  if (static_cast<std::uint8_t>(bytes[0]) != kVersion) return Error(Errc::kCorruptRecord, 0);
  const auto outcome = static_cast<std::uint8_t>(bytes[21]);
  if (outcome > kLastOutcome) return Error(Errc::kCorruptRecord, 21);
  SeenRecord r;
  r.first_seen = from_ms(get_be64(bytes, 1));
  r.last_seen = from_ms(get_be64(bytes, 9));
  r.attempts = get_be32(bytes, 17);
  r.last_outcome = static_cast<FetchOutcome>(outcome);
  r.next_retry = from_ms(get_be64(bytes, 22));
  return r;
}

}  // namespace magnetar::crawler::state
