// Row estimates for ANDed facets that are not independent.
//
// PostgreSQL estimates `a & b & c` on a tsvector as the product of each
// lexeme's frequency: independence. Facets are far from it: a season or an
// episode implies the episode type, a resolution a video, an extension a
// type. At 10M torrents `~t2 & ~r2160 & ~s4` (episodes, 2160p, season 4) is
// estimated at 1,817 rows and matches 22,759, so the engine collects what it
// should have walked. The damped product ("exponential backoff": the most
// selective factor whole, the next square-rooted, the next fourth-rooted,
// ...) assumes each further filter removes less than independence says: for
// that query 24,200.
#pragma once

#include <cstdint>
#include <vector>

namespace magnetar::search {

// `planner_rows`: the planner's estimate of the whole condition (the facets
// as a product, and whatever else it has). `facet_selectivities`: each ANDed
// facet group's own share of the table, in (0, 1]. Returns planner_rows with
// the facets' product replaced by their damped product (never less than
// planner_rows; table_rows at most). Fewer than two facets: planner_rows.
std::int64_t correlated_estimate(std::int64_t planner_rows, std::int64_t table_rows,
                                 std::vector<double> facet_selectivities);

}  // namespace magnetar::search
