#include "common/bencode_encoder.hpp"

#include <gtest/gtest.h>

#include <random>

#include "tests/common/random_bencode.hpp"

namespace magnetar::bencode {
namespace {

TEST(BencodeEncoder, WritesCanonicalBencode) {
  Dict d;
  d["spam"] = List{Value("a"), Value(-3), Value(0)};
  d["cow"] = Value("moo");
  d[""] = Value(Dict{});
  EXPECT_EQ(encode(Value(std::move(d))), "d0:de3:cow3:moo4:spaml1:ai-3ei0eee");
  EXPECT_EQ(encode(Value(INT64_MIN)), "i-9223372036854775808e");
  EXPECT_EQ(encode(Value(std::string("\0x", 2))), std::string("2:\0x", 4));
}

TEST(BencodeEncoder, StreamsAndSplicesRawValues) {
  std::string out;
  Encoder(out).dict().string("info").raw("d1:xi1ee").string("n").integer(7).end();
  EXPECT_EQ(out, "d4:infod1:xi1ee1:ni7ee");
}

TEST(BencodeRoundTrip, DecodeOfEncodeIsIdentityOnRandomValues) {
  std::mt19937_64 rng(20261122);
  for (int i = 0; i < 5000; ++i) {
    const Value v = testing::random_value(rng, 4);
    const std::string bytes = encode(v);
    auto doc = decode(bytes, Mode::kStrict);
    ASSERT_TRUE(doc.ok()) << doc.error().message();
    EXPECT_TRUE(doc->canonical());
    EXPECT_EQ(to_value(doc->root()), v);
    // And encoding what was decoded gives the same bytes back.
    EXPECT_EQ(encode(to_value(doc->root())), bytes);
  }
}

}  // namespace
}  // namespace magnetar::bencode
