#include "crawler/wire/pex.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crawler/wire/wire_errors.hpp"
#include "tests/crawler/wire/wire_test_support.hpp"

namespace magnetar::crawler::wire {
namespace {

using namespace std::string_literals;

const std::array<std::uint8_t, 16> kV6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                          0,    0,    0,    0,    0, 0, 0, 1};

PexMessage sample() {
  PexMessage m;
  m.added = {{PeerEndpoint::v4_from({1, 2, 3, 4}, 6881), kPexPrefersEncryption},
             {PeerEndpoint::v4_from({10, 0, 0, 1}, 80), kPexSeed | kPexReachable},
             {PeerEndpoint::v6_from(kV6, 51413), 0}};
  m.dropped = {PeerEndpoint::v4_from({5, 6, 7, 8}, 1)};
  return m;
}

const std::string kSampleBytes =
    "d5:added12:\x01\x02\x03\x04\x1a\xe1\x0a\x00\x00\x01\x00\x50"
    "7:added.f2:\x01\x12"
    "6:added618:\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\xc8\xd5"
    "8:added6.f1:\x00"
    "7:dropped6:\x05\x06\x07\x08\x00\x01"
    "e"s;

TEST(Pex, EncodesHandWrittenBencode) { EXPECT_EQ(encode_pex(sample()), kSampleBytes); }

TEST(Pex, DecodesHandWrittenBencode) {
  auto m = decode_pex(kSampleBytes);
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, sample());
}

TEST(Pex, EncodesAnEmptyMessage) { EXPECT_EQ(encode_pex({}), "d5:added0:7:dropped0:e"); }

TEST(Pex, DecodesDropped6AndMissingKeys) {
  auto m = decode_pex("d8:dropped618:" + std::string(16, '\x01') + "\x00\x02"s + "e");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->added.empty());
  ASSERT_EQ(m->dropped.size(), 1u);
  EXPECT_TRUE(m->dropped[0].v6);
  EXPECT_EQ(m->dropped[0].port, 2);
  auto empty = decode_pex("de");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, PexMessage{});
}

TEST(Pex, FlagsOfTheWrongLengthAreIgnored) {
  auto m = decode_pex(
      "d5:added6:\x01\x02\x03\x04\x00\x01"
      "7:added.f2:\x01\x01"
      "e"s);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->added.size(), 1u);
  EXPECT_EQ(m->added[0].flags, 0);
}

TEST(Pex, AcceptsUpToTheEntryLimit) {
  auto m = decode_pex("d5:added1200:" + std::string(1200, '\x01') + "e");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->added.size(), kMaxPexEntries);
}

TEST(Pex, RejectsMalformedMessagesWithPreciseErrors) {
  struct Case {
    std::string input;
    Error error;
  };
  const Case cases[] = {
      {"", Error(WireErrc::kMalformedPex, 0)},
      {"le", Error(WireErrc::kMalformedPex, 0)},
      {"d5:addedi1ee", Error(WireErrc::kMalformedPex, 8)},
      {"d5:added7:1234567e", Error(WireErrc::kMalformedPex, 8)},
      {"d6:added617:" + std::string(17, 'x') + "e", Error(WireErrc::kMalformedPex, 9)},
      {"d7:dropped5:12345e", Error(WireErrc::kMalformedPex, 10)},
      {"d5:added1206:" + std::string(1206, 'x') + "e", Error(WireErrc::kTooManyPexEntries, 8)},
      // The limit counts every list together.
      {"d5:added600:" + std::string(600, 'x') + "7:dropped606:" + std::string(606, 'x') + "e",
       Error(WireErrc::kTooManyPexEntries, 621)},
  };
  for (const Case& c : cases) {
    auto m = decode_pex(c.input);
    ASSERT_FALSE(m.ok()) << c.input.substr(0, 20);
    EXPECT_EQ(m.error(), c.error) << c.input.substr(0, 20) << ": " << m.error().message();
  }
}

TEST(PeerEndpoint, PrintsAndRoundTripsCompactForm) {
  const PeerEndpoint v4 = PeerEndpoint::v4_from({127, 0, 0, 1}, 6881);
  EXPECT_EQ(v4.to_string(), "127.0.0.1:6881");
  const PeerEndpoint v6 = PeerEndpoint::v6_from(kV6, 443);
  EXPECT_EQ(v6.to_string(), "[2001:db8:0:0:0:0:0:1]:443");
  std::string compact;
  v4.append_compact(compact);
  v6.append_compact(compact);
  EXPECT_EQ(compact.size(), 24u);
  EXPECT_EQ(PeerEndpoint::from_compact(std::string_view(compact).substr(0, 6)), v4);
  EXPECT_EQ(PeerEndpoint::from_compact(std::string_view(compact).substr(6)), v6);
}

}  // namespace
}  // namespace magnetar::crawler::wire
