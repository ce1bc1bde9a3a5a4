// When each pinned infohash is announced (into the DHT, or to its trackers):
// sans-I/O, driven by the caller's clock.
//
// libtorrent nodes keep an announced peer for 45 minutes (pitfalls.md), so
// every pin is re-announced every `interval` (30 minutes by default). The
// re-announces are spread evenly over time: each pin has a fixed phase in
// the cycle derived from its id (infohashes are uniformly distributed, so
// the phases are too), and is re-announced at its phase times. A new pin is
// announced promptly, ahead of the regular ones; its first regular announce
// is its first phase time at least a quarter interval later, so no pin goes
// longer than 1.25 intervals (37.5 minutes) between two announces while the
// budget keeps up.
//
// Never more than `budget_per_second` announces in any one-second window
// (the release times of the last second are kept: budget entries). When the pins outnumber what the
// budget can announce per interval, announces run late (overdue() says how
// many); the pins keep their order.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/infohash.hpp"

namespace magnetar::crawler::keeper {

// Re-announce period: libtorrent drops a stored peer after 45 minutes, and a
// pin is announced at most 1.25 intervals apart (see above): 37.5 minutes.
inline constexpr std::chrono::milliseconds kDefaultAnnounceInterval = std::chrono::minutes(30);
// Announces per second by default: a DHT announce is a get_peers traversal
// (about 30-60 packets) plus 8 announce_peer; 20/s is about 100 kB/s up.
inline constexpr std::size_t kDefaultAnnounceBudget = 20;

struct AnnounceSchedulerConfig {
  std::chrono::milliseconds interval = kDefaultAnnounceInterval;
  std::size_t budget_per_second = kDefaultAnnounceBudget;  // > 0
};

class AnnounceScheduler {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  // `epoch` anchors the phases (any fixed time point, e.g. the start).
  AnnounceScheduler(AnnounceSchedulerConfig config, TimePoint epoch);

  // A new pin: announced promptly (after the new pins added before it).
  // No effect when the pin is already scheduled.
  void add(const InfoHashV1& id);
  // Moves the pin's next regular announce to `at` when that is earlier (a
  // failed announce tried again sooner). No effect on new or unknown pins.
  void retry(const InfoHashV1& id, TimePoint at);
  // No further announce of this pin.
  void remove(const InfoHashV1& id);
  bool contains(const InfoHashV1& id) const { return entries_.count(id) != 0; }
  std::size_t size() const { return entries_.size(); }

  // The pins to announce now, within the budget: new pins first, then the
  // regular announces that are due, earliest first.
  std::vector<InfoHashV1> due(TimePoint now);
  // When due() may return something next; nullopt without pins. Can be in
  // the past (call due() at once).
  std::optional<TimePoint> next_wakeup(TimePoint now) const;

  // The next regular announce of a pin (nullopt: unknown, or new and not
  // announced yet).
  std::optional<TimePoint> next_due(const InfoHashV1& id) const;
  // The pin's phase: its regular announces are at epoch + phase + k * interval.
  std::chrono::milliseconds phase(const InfoHashV1& id) const;
  // The first phase time of `id` strictly after `after`.
  TimePoint phase_time_after(const InfoHashV1& id, TimePoint after) const;
  // New pins not announced yet, and regular announces due before `now`.
  std::size_t waiting(TimePoint now) const;

  const AnnounceSchedulerConfig& config() const { return config_; }
  // The most pins the budget announces once per interval (budget x interval
  // in seconds); beyond it every announce runs late.
  std::size_t capacity() const;

 private:
  struct Entry {
    std::optional<TimePoint> due;  // nullopt while new (in prompt_)
  };
  void expire(TimePoint now);
  void release(const InfoHashV1& id, Entry& entry, TimePoint now, std::vector<InfoHashV1>& out);

  AnnounceSchedulerConfig config_;
  TimePoint epoch_;
  std::deque<TimePoint> window_;  // release times within the last second
  std::unordered_map<InfoHashV1, Entry> entries_;
  std::deque<InfoHashV1> prompt_;  // may hold removed ids: skipped
  std::size_t prompt_live_ = 0;
  std::set<std::pair<TimePoint, InfoHashV1>> regular_;
};

}  // namespace magnetar::crawler::keeper
