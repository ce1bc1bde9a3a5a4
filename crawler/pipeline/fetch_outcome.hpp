// How a failed metadata fetch is recorded in the seen set: the fetcher's
// error (a SessionErrc, MseErrc, FetchErrc or a socket error) folded into the
// seen set's FetchOutcome, which decides the backoff and names the reason in
// the crawl counters.
#pragma once

#include <system_error>

#include "crawler/state/seen_record.hpp"

namespace magnetar::crawler::pipeline {

// kOtherFailure for errors no rule below covers. FetchErrc::kCancelled (the
// node is stopping) is not a result of the torrent: see is_cancelled().
state::FetchOutcome outcome_of(const std::error_code& error);

// The fetch was cancelled by our own shutdown: record nothing.
bool is_cancelled(const std::error_code& error);

}  // namespace magnetar::crawler::pipeline
