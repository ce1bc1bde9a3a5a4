// The peer wire's share of the crawler's bandwidth cap (crawler.bandwidth):
// a token bucket of bytes. Fetches start only while the bucket is not in
// debt; each completed fetch is charged what it moved. Sans-I/O: the caller
// passes the time. libtorrent caps what the DHT sends (dht_upload_rate_limit);
// the peer wire is ours, so it is capped here, by admission of new fetches.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace magnetar::crawler::pipeline {

class ByteBudget {
 public:
  using Clock = std::chrono::steady_clock;

  // rate: bytes per second; 0 means no cap. The bucket holds at most one
  // second's worth, so an idle spell does not buy a burst above the rate.
  explicit ByteBudget(std::int64_t rate, Clock::time_point now = Clock::now())
      : rate_(rate), credit_(rate), at_(now) {}

  // Whether a new fetch may start now.
  bool allows(Clock::time_point now) {
    if (rate_ <= 0) return true;
    refill(now);
    return credit_ > 0;
  }

  // Charges bytes moved (may put the bucket in debt: a fetch's size is
  // known only when it ends).
  void spend(std::int64_t bytes, Clock::time_point now) {
    if (rate_ <= 0) return;
    refill(now);
    credit_ -= bytes;
  }

  std::int64_t rate() const { return rate_; }

 private:
  void refill(Clock::time_point now) {
    if (now <= at_) return;
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - at_).count();
    credit_ = std::min(rate_, credit_ + rate_ * us / 1'000'000);
    at_ = now;
  }

  std::int64_t rate_;
  std::int64_t credit_;
  Clock::time_point at_;
};

}  // namespace magnetar::crawler::pipeline
