#include "crawler/wire/mse_policy.hpp"

#include <gtest/gtest.h>

namespace magnetar::crawler::wire {
namespace {

using P = EncryptionPolicy;
using M = CryptoMethod;

TEST(MsePolicy, CryptoProvideOffersPlaintextUnlessEncryptionIsRequired) {
  EXPECT_EQ(crypto_provide(P::kPreferPlaintext), 0x03u);
  EXPECT_EQ(crypto_provide(P::kPreferEncrypted), 0x03u);
  EXPECT_EQ(crypto_provide(P::kRequire), 0x02u);
}

TEST(MsePolicy, ResponderSelectsByPreference) {
  struct Row {
    std::uint32_t provide;
    P policy;
    std::optional<M> want;
  };
  const Row rows[] = {
      {0x03, P::kPreferPlaintext, M::kPlaintext},
      {0x03, P::kPreferEncrypted, M::kRc4},
      {0x03, P::kRequire, M::kRc4},
      {0x01, P::kPreferPlaintext, M::kPlaintext},
      {0x01, P::kPreferEncrypted, M::kPlaintext},
      {0x01, P::kRequire, std::nullopt},
      {0x02, P::kPreferPlaintext, M::kRc4},
      {0x02, P::kPreferEncrypted, M::kRc4},
      {0x02, P::kRequire, M::kRc4},
      {0x00, P::kPreferPlaintext, std::nullopt},
      {0x00, P::kPreferEncrypted, std::nullopt},
      {0xfffffffc, P::kPreferEncrypted, std::nullopt},
      {0xffffffff, P::kPreferPlaintext, M::kPlaintext},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(select_crypto(row.provide, row.policy), row.want)
        << "provide " << row.provide << " policy " << static_cast<int>(row.policy);
  }
}

TEST(MsePolicy, InitiatorAcceptsOnlyASingleMethodItProvided) {
  EXPECT_EQ(accept_crypto_select(0x01, P::kPreferPlaintext), M::kPlaintext);
  EXPECT_EQ(accept_crypto_select(0x02, P::kPreferPlaintext), M::kRc4);
  EXPECT_EQ(accept_crypto_select(0x01, P::kPreferEncrypted), M::kPlaintext);
  EXPECT_EQ(accept_crypto_select(0x02, P::kRequire), M::kRc4);
  EXPECT_EQ(accept_crypto_select(0x01, P::kRequire), std::nullopt);
  EXPECT_EQ(accept_crypto_select(0x03, P::kPreferEncrypted), std::nullopt);
  EXPECT_EQ(accept_crypto_select(0x00, P::kPreferEncrypted), std::nullopt);
  EXPECT_EQ(accept_crypto_select(0x04, P::kPreferEncrypted), std::nullopt);
}

TEST(MsePolicy, PlaintextHandshakesAreRefusedOnlyWhenEncryptionIsRequired) {
  EXPECT_TRUE(accepts_plaintext_handshake(P::kPreferPlaintext));
  EXPECT_TRUE(accepts_plaintext_handshake(P::kPreferEncrypted));
  EXPECT_FALSE(accepts_plaintext_handshake(P::kRequire));
}

TEST(MsePolicy, FirstAttemptFollowsThePreference) {
  EXPECT_EQ(first_connect_mode(P::kPreferPlaintext), ConnectMode::kPlaintext);
  EXPECT_EQ(first_connect_mode(P::kPreferEncrypted), ConnectMode::kMse);
  EXPECT_EQ(first_connect_mode(P::kRequire), ConnectMode::kMse);
}

TEST(MsePolicy, FallbackRetriesOnceInTheOtherModeUnlessEncryptionIsRequired) {
  EXPECT_EQ(fallback_connect_mode(P::kPreferPlaintext, ConnectMode::kPlaintext), ConnectMode::kMse);
  EXPECT_EQ(fallback_connect_mode(P::kPreferPlaintext, ConnectMode::kMse), std::nullopt);
  EXPECT_EQ(fallback_connect_mode(P::kPreferEncrypted, ConnectMode::kMse), ConnectMode::kPlaintext);
  EXPECT_EQ(fallback_connect_mode(P::kPreferEncrypted, ConnectMode::kPlaintext), std::nullopt);
  EXPECT_EQ(fallback_connect_mode(P::kRequire, ConnectMode::kMse), std::nullopt);
  EXPECT_EQ(fallback_connect_mode(P::kRequire, ConnectMode::kPlaintext), std::nullopt);
}

}  // namespace
}  // namespace magnetar::crawler::wire
