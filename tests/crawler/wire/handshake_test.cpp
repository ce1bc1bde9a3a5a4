#include "crawler/wire/handshake.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crawler/wire/wire_errors.hpp"
#include "tests/crawler/wire/wire_test_support.hpp"

namespace magnetar::crawler::wire {
namespace {

using namespace std::string_literals;
using testing::filled_peer_id;
using testing::filled_v1;

// Hand-written: pstrlen 19, pstr, reserved with the extension bit (byte 5,
// 0x10), the fast bit (byte 7, 0x04) and the DHT bit (byte 7, 0x01).
const std::string kExpected = "\x13"s + "BitTorrent protocol" +
                              "\x00\x00\x00\x00\x00\x10\x00\x05"s + std::string(20, '\xab') +
                              std::string(20, '-');

Handshake sample() {
  Handshake h;
  h.reserved.set_extension_protocol().set_fast_extension().set_dht();
  h.info_hash = filled_v1('\xab');
  h.peer_id = filled_peer_id('-');
  return h;
}

TEST(Handshake, EncodesTheSixtyEightBytesOfBep3) {
  EXPECT_EQ(kHandshakeSize, 68u);
  EXPECT_EQ(encode_handshake(sample()), kExpected);
}

TEST(Handshake, DecodesHandWrittenBytes) {
  auto h = decode_handshake(kExpected);
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE(h->has_value());
  EXPECT_EQ(**h, sample());
  EXPECT_TRUE((*h)->reserved.extension_protocol());
  EXPECT_TRUE((*h)->reserved.fast_extension());
  EXPECT_TRUE((*h)->reserved.dht());
}

TEST(Handshake, ReservedBitsAreIndependent) {
  struct Case {
    ReservedBits bits;
    std::array<std::uint8_t, 8> bytes;
  };
  const Case cases[] = {
      {ReservedBits{}, {0, 0, 0, 0, 0, 0, 0, 0}},
      {ReservedBits{}.set_extension_protocol(), {0, 0, 0, 0, 0, 0x10, 0, 0}},
      {ReservedBits{}.set_fast_extension(), {0, 0, 0, 0, 0, 0, 0, 0x04}},
      {ReservedBits{}.set_dht(), {0, 0, 0, 0, 0, 0, 0, 0x01}},
      {ReservedBits{}.set_dht().set_fast_extension().set_fast_extension(false),
       {0, 0, 0, 0, 0, 0, 0, 0x01}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.bits.bytes, c.bytes);
    ReservedBits parsed;
    parsed.bytes = c.bytes;
    EXPECT_EQ(parsed.extension_protocol(), c.bytes[5] == 0x10);
    EXPECT_EQ(parsed.fast_extension(), (c.bytes[7] & 0x04) != 0);
    EXPECT_EQ(parsed.dht(), (c.bytes[7] & 0x01) != 0);
  }
}

TEST(Handshake, OtherReservedBitsAreKeptButIgnored) {
  std::string bytes = kExpected;
  bytes[20] = '\xff';  // reserved[0], e.g. Azureus messaging
  bytes[25] = '\x00';  // no extension bit
  auto h = decode_handshake(bytes);
  ASSERT_TRUE(h.ok() && h->has_value());
  EXPECT_EQ((*h)->reserved.bytes[0], 0xff);
  EXPECT_FALSE((*h)->reserved.extension_protocol());
}

TEST(Handshake, EveryProperPrefixNeedsMoreBytes) {
  for (std::size_t n = 0; n < kHandshakeSize; ++n) {
    auto h = decode_handshake(std::string_view(kExpected).substr(0, n));
    ASSERT_TRUE(h.ok()) << n;
    EXPECT_FALSE(h->has_value()) << n;
  }
}

TEST(Handshake, BytesAfterTheHandshakeAreNotLookedAt) {
  auto h = decode_handshake(kExpected + "\x00\x00\x00\x00"s);
  ASSERT_TRUE(h.ok() && h->has_value());
  EXPECT_EQ(**h, sample());
}

TEST(Handshake, WrongPstrlenIsRejectedOnTheFirstByte) {
  auto h = decode_handshake("\x12");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error(), Error(WireErrc::kBadProtocolString, 0));
}

TEST(Handshake, WrongProtocolStringIsRejectedAtItsFirstWrongByte) {
  struct Case {
    std::string input;
    std::uint64_t offset;
  };
  const Case cases[] = {
      {"\x13"
       "bitTorrent",
       1},
      {"\x13"
       "BitTorrent Protocol",
       12},
      {"\x13"
       "BitTorrent protocoL" +
           std::string(48, '\0'),
       19},
      // An MSE initiator starts with 96 random bytes of its DH key.
      {"\x8a\x13\x00", 0},
      // HTTP on the peer port.
      {"GET / HTTP/1.1\r\n", 0},
  };
  for (const Case& c : cases) {
    auto h = decode_handshake(c.input);
    ASSERT_FALSE(h.ok()) << c.input;
    EXPECT_EQ(h.error(), Error(WireErrc::kBadProtocolString, c.offset)) << c.input;
  }
}

}  // namespace
}  // namespace magnetar::crawler::wire
