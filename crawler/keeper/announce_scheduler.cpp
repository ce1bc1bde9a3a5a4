#include "crawler/keeper/announce_scheduler.hpp"

#include <algorithm>
#include <cassert>
#include <cstdint>

namespace magnetar::crawler::keeper {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr std::chrono::seconds kBudgetWindow{1};

}  // namespace

AnnounceScheduler::AnnounceScheduler(AnnounceSchedulerConfig config, TimePoint epoch)
    : config_(config), epoch_(epoch) {
  assert(config_.budget_per_second > 0);
  assert(config_.interval.count() > 0);
}

milliseconds AnnounceScheduler::phase(const InfoHashV1& id) const {
  // The id's first 8 bytes, big-endian: uniform for real infohashes.
  std::uint64_t v = 0;
  const auto bytes = id.view();
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<std::uint8_t>(bytes[i]);
  return milliseconds(
      static_cast<std::int64_t>(v % static_cast<std::uint64_t>(config_.interval.count())));
}

AnnounceScheduler::TimePoint AnnounceScheduler::phase_time_after(const InfoHashV1& id,
                                                                 TimePoint after) const {
  const TimePoint first = epoch_ + phase(id);
  if (after < first) return first;
  const auto elapsed = duration_cast<milliseconds>(after - first).count();
  const auto cycles = elapsed / config_.interval.count() + 1;
  TimePoint t = first + config_.interval * cycles;
  // Sub-millisecond remainders: step once more if still not after.
  while (t <= after) t += config_.interval;
  return t;
}

void AnnounceScheduler::add(const InfoHashV1& id) {
  const auto [it, inserted] = entries_.try_emplace(id);
  if (!inserted) return;
  prompt_.push_back(id);
  ++prompt_live_;
}

void AnnounceScheduler::retry(const InfoHashV1& id, TimePoint at) {
  const auto it = entries_.find(id);
  if (it == entries_.end() || !it->second.due || *it->second.due <= at) return;
  regular_.erase({*it->second.due, id});
  it->second.due = at;
  regular_.insert({at, id});
}

void AnnounceScheduler::remove(const InfoHashV1& id) {
  const auto it = entries_.find(id);
  if (it == entries_.end()) return;
  if (it->second.due) {
    regular_.erase({*it->second.due, id});
  } else {
    --prompt_live_;  // its copy in prompt_ is skipped when reached
  }
  entries_.erase(it);
  if (prompt_live_ == 0) prompt_.clear();
}

void AnnounceScheduler::expire(TimePoint now) {
  while (!window_.empty() && window_.front() + kBudgetWindow <= now) window_.pop_front();
}

void AnnounceScheduler::release(const InfoHashV1& id, Entry& entry, TimePoint now,
                                std::vector<InfoHashV1>& out) {
  window_.push_back(now);
  out.push_back(id);
  // At least a quarter interval after this announce, then on the phase.
  entry.due = phase_time_after(id, now + config_.interval / 4);
  regular_.insert({*entry.due, id});
}

std::vector<InfoHashV1> AnnounceScheduler::due(TimePoint now) {
  expire(now);
  std::vector<InfoHashV1> out;
  while (window_.size() < config_.budget_per_second) {
    if (prompt_live_ > 0) {
      const InfoHashV1 id = prompt_.front();
      prompt_.pop_front();
      const auto it = entries_.find(id);
      if (it == entries_.end() || it->second.due) continue;  // removed, or a stale copy
      --prompt_live_;
      release(id, it->second, now, out);
      continue;
    }
    prompt_.clear();
    if (regular_.empty() || regular_.begin()->first > now) break;
    const InfoHashV1 id = regular_.begin()->second;
    regular_.erase(regular_.begin());
    release(id, entries_.at(id), now, out);
  }
  return out;
}

std::optional<AnnounceScheduler::TimePoint> AnnounceScheduler::next_wakeup(TimePoint now) const {
  if (entries_.empty()) return std::nullopt;
  // When the budget allows one more announce.
  TimePoint budget_at = now;
  std::size_t in_window = 0;
  for (auto it = window_.rbegin(); it != window_.rend() && *it + kBudgetWindow > now; ++it) {
    ++in_window;
  }
  if (in_window >= config_.budget_per_second) {
    budget_at = window_[window_.size() - config_.budget_per_second] + kBudgetWindow;
  }
  const TimePoint token_at = budget_at;
  if (prompt_live_ > 0) return token_at;
  return std::max(token_at, regular_.begin()->first);
}

std::optional<AnnounceScheduler::TimePoint> AnnounceScheduler::next_due(
    const InfoHashV1& id) const {
  const auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  return it->second.due;
}

std::size_t AnnounceScheduler::waiting(TimePoint now) const {
  std::size_t n = prompt_live_;
  for (const auto& [due, id] : regular_) {
    if (due >= now) break;
    ++n;
  }
  return n;
}

std::size_t AnnounceScheduler::capacity() const {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(config_.interval).count();
  return config_.budget_per_second * static_cast<std::size_t>(std::max<std::int64_t>(seconds, 1));
}

}  // namespace magnetar::crawler::keeper
