#include "common/infohash.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

#include "common/codec.hpp"
#include "common/sha.hpp"

namespace magnetar {
namespace {

TEST(Codec, HexRoundTripsAndRejectsBadDigits) {
  EXPECT_EQ(to_hex(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(from_hex("00FF10"), std::string("\x00\xff\x10", 3));
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}

TEST(Codec, Base32FollowsRfc4648) {
  // RFC 4648 section 10 test vectors, without padding.
  EXPECT_EQ(to_base32("f"), "MY");
  EXPECT_EQ(to_base32("fo"), "MZXQ");
  EXPECT_EQ(to_base32("foo"), "MZXW6");
  EXPECT_EQ(to_base32("foob"), "MZXW6YQ");
  EXPECT_EQ(to_base32("fooba"), "MZXW6YTB");
  EXPECT_EQ(to_base32("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(from_base32("mzxw6ytboi"), "foobar");
  EXPECT_FALSE(from_base32("MZXW6YTB1").has_value());  // '1' is not a digit
  EXPECT_EQ(from_base32("MY"), "f");
  EXPECT_FALSE(from_base32("MB").has_value());  // non-zero leftover bits
}

TEST(Codec, PercentEncodingKeepsUnreservedCharacters) {
  EXPECT_EQ(percent_encode("a b/c~d.e_f-g&h"), "a%20b%2Fc~d.e_f-g%26h");
  EXPECT_EQ(percent_decode("a%20b+c%2f"), "a b c/");
  EXPECT_FALSE(percent_decode("%2").has_value());
  EXPECT_FALSE(percent_decode("%zz").has_value());
}

TEST(InfoHash, ShaOfKnownInputs) {
  EXPECT_EQ(InfoHashV1(sha1("abc")).hex(), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(InfoHashV2(sha256("abc")).hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(InfoHash, HexAndBase32Forms) {
  const auto v1 = InfoHashV1::from_hex("A9993E364706816ABA3E25717850C26C9CD0D89D");
  ASSERT_TRUE(v1.has_value());
  EXPECT_EQ(v1->hex(), "a9993e364706816aba3e25717850c26c9cd0d89d");
  const auto b32 = to_base32(*v1);
  EXPECT_EQ(b32.size(), 32u);
  EXPECT_EQ(v1_from_base32(b32), v1);
  EXPECT_FALSE(InfoHashV1::from_hex("a9993e").has_value());
  EXPECT_FALSE(v1_from_base32("TOOSHORT").has_value());
  EXPECT_FALSE(InfoHashV2::from_bytes("short").has_value());
}

TEST(InfoHash, IdIsV1OrTheTruncatedV2) {
  const InfoHashV1 v1(sha1("x"));
  const InfoHashV2 v2(sha256("x"));
  EXPECT_EQ(truncate(v2).view(), v2.view().substr(0, 20));
  EXPECT_EQ((InfoHashes{v1, v2}).id(), v1);
  EXPECT_EQ((InfoHashes{std::nullopt, v2}).id(), truncate(v2));
  EXPECT_TRUE((InfoHashes{v1, v2}).hybrid());
  EXPECT_TRUE(InfoHashes{}.empty());
}

TEST(InfoHash, UsableAsAHashKey) {
  std::unordered_set<InfoHashV1> set{InfoHashV1(sha1("a")), InfoHashV1(sha1("b")),
                                     InfoHashV1(sha1("a"))};
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace magnetar
