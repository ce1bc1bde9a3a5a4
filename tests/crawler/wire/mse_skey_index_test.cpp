#include "crawler/wire/mse_skey_index.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/sha.hpp"

namespace magnetar::crawler::wire {
namespace {

const InfoHashV1 kV1 = *InfoHashV1::from_hex("0123456789abcdef0123456789abcdef01234567");
const InfoHashV2 kV2 =
    *InfoHashV2::from_hex("a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90");

// HASH('req2', SKEY) computed from the spec, not through mse_keys.
Sha1Digest req2(const InfoHashV1& skey) {
  return Sha1Digest(sha1("req2" + std::string(skey.view())));
}

TEST(MseSkeyIndex, FindsAnInfohashByItsReq2Hash) {
  MseSkeyIndex index;
  index.add(kV1);
  EXPECT_EQ(index.find(req2(kV1)), kV1);
  EXPECT_EQ(index.find(Sha1Digest(sha1(std::string(kV1.view())))), std::nullopt);
  EXPECT_EQ(index.find(Sha1Digest{}), std::nullopt);
}

TEST(MseSkeyIndex, KeysAV2TorrentByItsTruncatedHash) {
  MseSkeyIndex index;
  index.add(InfoHashes{std::nullopt, kV2});
  EXPECT_EQ(index.find(req2(truncate(kV2))), truncate(kV2));
  EXPECT_EQ(index.size(), 1u);
}

TEST(MseSkeyIndex, AddingTwiceKeepsOneEntryAndRemoveForgetsIt) {
  MseSkeyIndex index;
  index.add(kV1);
  index.add(InfoHashes{kV1, kV2});
  EXPECT_EQ(index.size(), 2u);
  index.remove(kV1);
  EXPECT_EQ(index.find(req2(kV1)), std::nullopt);
  EXPECT_EQ(index.find(req2(truncate(kV2))), truncate(kV2));
  index.remove(InfoHashes{std::nullopt, kV2});
  EXPECT_EQ(index.size(), 0u);
}

TEST(MseSkeyIndex, LookupSeesLaterAdditions) {
  MseSkeyIndex index;
  const MseSkeyLookup lookup = index.lookup();
  EXPECT_EQ(lookup(req2(kV1)), std::nullopt);
  index.add(kV1);
  EXPECT_EQ(lookup(req2(kV1)), kV1);
}

}  // namespace
}  // namespace magnetar::crawler::wire
