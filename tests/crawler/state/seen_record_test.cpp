#include "crawler/state/seen_record.hpp"

#include <gtest/gtest.h>

#include "crawler/state/state_errors.hpp"

namespace magnetar::crawler::state {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kT0{seconds(1'700'000'000)};

TEST(RetryPolicy, DelaysDoubleFromTheFirstDelayUpToTheCap) {
  const RetryPolicy p;
  EXPECT_EQ(p.delay_after(1), minutes(15));
  EXPECT_EQ(p.delay_after(2), minutes(30));
  EXPECT_EQ(p.delay_after(3), hours(1));
  EXPECT_EQ(p.delay_after(6), hours(8));
  EXPECT_EQ(p.delay_after(7), hours(16));
  EXPECT_EQ(p.delay_after(8), hours(24));
  EXPECT_EQ(p.delay_after(1000), hours(24));
}

TEST(SeenRecord, FailuresScheduleARetryAndFinalOutcomesNone) {
  const RetryPolicy p;
  auto r = after_attempt(nullptr, FetchOutcome::kNoPeers, kT0, p);
  EXPECT_EQ(r.attempts, 1u);
  EXPECT_EQ(r.first_seen, kT0);
  EXPECT_EQ(r.next_retry, kT0 + minutes(15));
  EXPECT_FALSE(should_fetch(r, kT0 + minutes(15) - seconds(1), p));
  EXPECT_TRUE(should_fetch(r, kT0 + minutes(15), p));

  auto ok = after_attempt(&r, FetchOutcome::kOk, kT0 + hours(1), p);
  EXPECT_EQ(ok.attempts, 2u);
  EXPECT_EQ(ok.first_seen, kT0);
  EXPECT_EQ(ok.last_seen, kT0 + hours(1));
  EXPECT_FALSE(should_fetch(ok, kT0 + hours(24 * 365), p));
  EXPECT_FALSE(should_fetch(after_attempt(nullptr, FetchOutcome::kSkipped, kT0, p), kT0, p));
}

TEST(SeenRecord, NoteSeenKeepsFirstSeenAndNeverMovesLastSeenBack) {
  auto r = note_seen(nullptr, kT0);
  EXPECT_TRUE(should_fetch(r, kT0, RetryPolicy{}));
  r = note_seen(&r, kT0 + seconds(5));
  EXPECT_EQ(r.first_seen, kT0);
  EXPECT_EQ(r.last_seen, kT0 + seconds(5));
  r = note_seen(&r, kT0);
  EXPECT_EQ(r.last_seen, kT0 + seconds(5));
  EXPECT_EQ(r.attempts, 0u);
}

TEST(SeenRecord, EncodesToTheDocumentedThirtyBytes) {
  SeenRecord r{.first_seen = TimePoint(std::chrono::milliseconds(0x0102)),
               .last_seen = TimePoint(std::chrono::milliseconds(0x0304)),
               .attempts = 5,
               .last_outcome = FetchOutcome::kTimeout,
               .next_retry = TimePoint(std::chrono::milliseconds(0x0506))};
  const std::string expected = std::string("\x01", 1) + std::string(6, '\0') + "\x01\x02" +
                               std::string(6, '\0') + "\x03\x04" + std::string(3, '\0') + "\x05" +
                               "\x04" + std::string(6, '\0') + "\x05\x06";
  EXPECT_EQ(encode(r), expected);
  auto back = decode_seen_record(expected);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, r);
}

TEST(SeenRecord, DecodeRejectsWrongSizeVersionOrOutcome) {
  const auto good = encode(after_attempt(nullptr, FetchOutcome::kNoPeers, kT0, RetryPolicy{}));
  EXPECT_EQ(decode_seen_record(good.substr(1)).error().code, make_error_code(Errc::kCorruptRecord));
  auto bad_version = good;
  bad_version[0] = 9;
  EXPECT_FALSE(decode_seen_record(bad_version).ok());
  auto bad_outcome = good;
  bad_outcome[21] = 99;
  EXPECT_EQ(decode_seen_record(bad_outcome).error().offset, 21u);
}

}  // namespace
}  // namespace magnetar::crawler::state
