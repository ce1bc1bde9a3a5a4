#include "crawler/wire/wire_errors.hpp"

#include <gtest/gtest.h>

#include "common/result.hpp"
#include "crawler/wire/session_errors.hpp"

namespace magnetar::crawler::wire {
namespace {

TEST(WireErrors, EveryCodeHasItsOwnMessageInItsCategory) {
  for (int e = 1; e <= static_cast<int>(WireErrc::kTooManyPexEntries); ++e) {
    const std::error_code code = make_error_code(static_cast<WireErrc>(e));
    EXPECT_STREQ(code.category().name(), "peer wire");
    EXPECT_NE(code.message(), "unknown peer wire error") << e;
  }
  for (int e = 1; e <= static_cast<int>(SessionErrc::kTooManyRequests); ++e) {
    const std::error_code code = make_error_code(static_cast<SessionErrc>(e));
    EXPECT_STREQ(code.category().name(), "peer session");
    EXPECT_NE(code.message(), "unknown peer session error") << e;
  }
}

TEST(WireErrors, MessagesNameTheCategoryAndOffset) {
  EXPECT_EQ(Error(WireErrc::kMessageTooLarge, 4).message(),
            "peer wire: message length above the limit at byte 4");
  EXPECT_EQ(Error(SessionErrc::kNoUtMetadata).message(),
            "peer session: peer does not support ut_metadata");
}

}  // namespace
}  // namespace magnetar::crawler::wire
