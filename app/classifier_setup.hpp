// The classifier and banned-content rules: the shipped defaults plus the
// users' files named by classify.rules and classify.banned.
#pragma once

#include "common/config.hpp"
#include "indexer/classify/banned_filter.hpp"
#include "indexer/classify/rules.hpp"

namespace magnetar::app {

// Throw std::runtime_error naming the file, line and problem.
indexer::classify::Rules load_rules(const Config& config);
indexer::classify::BannedRules load_banned(const Config& config);

}  // namespace magnetar::app
