#include "indexer/search/correlated_estimate.hpp"

#include <algorithm>
#include <cmath>

namespace magnetar::search {

std::int64_t correlated_estimate(std::int64_t planner_rows, std::int64_t table_rows,
                                 std::vector<double> facet_selectivities) {
  if (facet_selectivities.size() < 2) return planner_rows;
  std::sort(facet_selectivities.begin(), facet_selectivities.end());
  double product = 1;
  double damped = 1;
  double exponent = 1;
  for (const double s : facet_selectivities) {
    const double clamped = std::clamp(s, 1e-12, 1.0);
    product *= clamped;
    damped *= std::pow(clamped, exponent);
    exponent /= 2;
  }
  const double scaled = static_cast<double>(planner_rows) * damped / product;
  const double capped = std::min(scaled, static_cast<double>(std::max(table_rows, planner_rows)));
  return std::max(planner_rows, static_cast<std::int64_t>(std::llround(capped)));
}

}  // namespace magnetar::search
