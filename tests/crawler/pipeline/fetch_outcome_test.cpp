#include "crawler/pipeline/fetch_outcome.hpp"

#include <gtest/gtest.h>

#include "crawler/wire/fetch_errors.hpp"
#include "crawler/wire/mse_errors.hpp"
#include "crawler/wire/session_errors.hpp"

namespace magnetar::crawler::pipeline {
namespace {

using state::FetchOutcome;
using wire::SessionErrc;

TEST(FetchOutcome, FoldsFetchErrorsIntoSeenSetOutcomes) {
  EXPECT_EQ(outcome_of(wire::FetchErrc::kNoPeers), FetchOutcome::kNoPeers);
  EXPECT_EQ(outcome_of(SessionErrc::kTimeout), FetchOutcome::kTimeout);
  EXPECT_EQ(outcome_of(SessionErrc::kRefused), FetchOutcome::kConnectFailed);
  EXPECT_EQ(outcome_of(SessionErrc::kNoUtMetadata), FetchOutcome::kNoMetadata);
  EXPECT_EQ(outcome_of(SessionErrc::kRejected), FetchOutcome::kNoMetadata);
  EXPECT_EQ(outcome_of(SessionErrc::kHashMismatch), FetchOutcome::kBadMetadata);
  EXPECT_EQ(outcome_of(SessionErrc::kTooLarge), FetchOutcome::kBadMetadata);
  EXPECT_EQ(outcome_of(wire::MseErrc::kSyncNotFound), FetchOutcome::kConnectFailed);
  EXPECT_EQ(outcome_of(std::make_error_code(std::errc::connection_refused)),
            FetchOutcome::kConnectFailed);
  EXPECT_EQ(outcome_of(std::make_error_code(std::errc::timed_out)), FetchOutcome::kTimeout);
}

TEST(FetchOutcome, OnlyOurOwnCancellationIsNotAnOutcome) {
  EXPECT_TRUE(is_cancelled(wire::FetchErrc::kCancelled));
  EXPECT_FALSE(is_cancelled(wire::FetchErrc::kNoPeers));
  EXPECT_FALSE(is_cancelled(SessionErrc::kTimeout));
}

}  // namespace
}  // namespace magnetar::crawler::pipeline
