// Order statistics of latency samples (milliseconds) for bench/search.
#pragma once

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace magnetar::bench {

// The nearest-rank percentile (p in [0, 100]) of the samples; 0 when empty.
inline double percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
  return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

inline double median(std::vector<double> samples) { return percentile(std::move(samples), 50); }

inline double mean(const std::vector<double>& samples) {
  if (samples.empty()) return 0;
  double sum = 0;
  for (double s : samples) sum += s;
  return sum / static_cast<double>(samples.size());
}

}  // namespace magnetar::bench
