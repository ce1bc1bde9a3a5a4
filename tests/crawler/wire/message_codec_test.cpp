#include "crawler/wire/message_codec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crawler/wire/wire_errors.hpp"
#include "tests/crawler/wire/wire_test_support.hpp"

namespace magnetar::crawler::wire {
namespace {

using namespace std::string_literals;

// One decoded message, owning its payload.
struct Got {
  bool keep_alive;
  int id;
  std::string payload;
  friend bool operator==(const Got&, const Got&) = default;
};

// Feeds `stream` cut at the given offsets and collects every message.
Result<std::vector<Got>> read_all(std::string_view stream, const std::vector<std::size_t>& cuts,
                                  std::size_t max_length = kMaxMessageLength) {
  MessageReader reader(max_length);
  std::vector<Got> out;
  std::size_t at = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(stream.size());
  for (std::size_t end : ends) {
    reader.feed(stream.substr(at, end - at));
    at = end;
    while (true) {
      auto m = reader.next();
      if (!m) return m.error();
      if (!*m) break;
      out.push_back({(*m)->keep_alive, (*m)->id, std::string((*m)->payload)});
    }
  }
  return out;
}

// A stream of every message kind the codec writes, hand-written.
const std::string kStream =
    "\x00\x00\x00\x00"s      // keep-alive
    "\x00\x00\x00\x01\x0f"s  // have_none (BEP 6)
    "\x00\x00\x00\x01\x02"s  // interested
    "\x00\x00\x00\x01\x03"s  // not interested
    "\x00\x00\x00\x0b\x14\x00"
    "d1:md11:x"s                     // extended, id 0
    "\x00\x00\x00\x03\x05\xff\x80"s  // bitfield
    "\x00\x00\x00\x00"s;             // keep-alive

const std::vector<Got> kMessages = {
    {true, 0, ""},
    {false, 0x0f, ""},
    {false, 2, ""},
    {false, 3, ""},
    {false, 20,
     "\x00"
     "d1:md11:x"s},
    {false, 5, "\xff\x80"},
    {true, 0, ""},
};

TEST(MessageCodec, EncodersWriteHandWrittenBytes) {
  std::string out;
  append_keep_alive(out);
  append_have_none(out);
  append_interested(out);
  append_not_interested(out);
  append_extended(out, 0, "d1:md11:x");
  append_message(out, MessageId::kBitfield, "\xff\x80");
  append_keep_alive(out);
  EXPECT_EQ(out, kStream);
}

TEST(MessageCodec, ReadsTheStreamInOneChunk) {
  auto got = read_all(kStream, {});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, kMessages);
}

TEST(MessageCodec, ReadsTheStreamCutAtEveryOffset) {
  for (std::size_t cut = 0; cut <= kStream.size(); ++cut) {
    auto got = read_all(kStream, {cut});
    ASSERT_TRUE(got.ok()) << cut;
    EXPECT_EQ(*got, kMessages) << cut;
  }
}

TEST(MessageCodec, ReadsTheStreamCutAtEveryPairOfOffsets) {
  for (std::size_t a = 0; a <= kStream.size(); ++a) {
    for (std::size_t b = a; b <= kStream.size(); ++b) {
      auto got = read_all(kStream, {a, b});
      ASSERT_TRUE(got.ok()) << a << "," << b;
      ASSERT_EQ(*got, kMessages) << a << "," << b;
    }
  }
}

TEST(MessageCodec, ReadsTheStreamByteByByte) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < kStream.size(); ++i) cuts.push_back(i);
  auto got = read_all(kStream, cuts);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, kMessages);
}

TEST(MessageCodec, ManyLargeMessagesByteByByteKeepTheBufferSmall) {
  std::string stream;
  const std::string payload(20000, 'p');
  for (int i = 0; i < 20; ++i) append_extended(stream, static_cast<std::uint8_t>(i), payload);
  MessageReader reader;
  int count = 0;
  for (char c : stream) {
    reader.feed(std::string_view(&c, 1));
    auto m = reader.next();
    ASSERT_TRUE(m.ok());
    if (*m) {
      EXPECT_EQ((*m)->payload.size(), payload.size() + 1);
      EXPECT_EQ(static_cast<int>((*m)->payload[0]), count);
      ++count;
    }
    EXPECT_LE(reader.buffered(), payload.size() + 6);
  }
  EXPECT_EQ(count, 20);
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(MessageCodec, AcceptsAMessageOfExactlyTheCap) {
  const std::string body(kMaxMessageLength, '\x07');
  auto got = read_all(testing::frame(body), {});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].payload.size(), kMaxMessageLength - 1);
}

TEST(MessageCodec, RejectsALengthAboveTheCapBeforeItsBytesArrive) {
  MessageReader reader;
  reader.feed("\x00\x00\x00\x00"s + testing::be32(kMaxMessageLength + 1));
  auto first = reader.next();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_TRUE((*first)->keep_alive);
  auto m = reader.next();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error(), Error(WireErrc::kMessageTooLarge, 4));
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(MessageCodec, TheLengthErrorIsStickyAndDropsLaterBytes) {
  MessageReader reader(100);
  reader.feed("\xff\xff\xff\xff");
  ASSERT_FALSE(reader.next().ok());
  reader.feed(std::string(1000, 'x'));
  EXPECT_EQ(reader.buffered(), 0u);
  auto again = reader.next();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, make_error_code(WireErrc::kMessageTooLarge));
}

TEST(MessageCodec, ErrorOffsetCountsConsumedBytes) {
  MessageReader reader(16);
  std::string stream;
  for (int i = 0; i < 3000; ++i) append_interested(stream);  // 15000 bytes, past compaction
  stream += testing::be32(17);
  reader.feed(stream);
  for (int i = 0; i < 3000; ++i) ASSERT_TRUE(reader.next().ok());
  auto m = reader.next();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error(), Error(WireErrc::kMessageTooLarge, 15000));
}

TEST(MessageCodec, SkipsMessagesAboveTheBufferLimitWithoutKeepingThem) {
  std::string stream;
  append_message(stream, MessageId::kBitfield, std::string(100000, '\xff'));
  append_extended(stream, 3, "d1:ae");
  append_message(stream, MessageId::kBitfield, std::string(1001, '\x01'));
  append_message(stream, MessageId::kBitfield, std::string(999, '\x01'));
  for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{4096}, stream.size()}) {
    MessageReader reader(kMaxMessageLength, 1000);
    std::vector<Got> got;
    std::vector<std::uint32_t> lengths;
    for (std::size_t at = 0; at < stream.size(); at += chunk) {
      reader.feed(std::string_view(stream).substr(at, chunk));
      while (true) {
        auto m = reader.next();
        ASSERT_TRUE(m.ok());
        if (!*m) break;
        got.push_back({(*m)->skipped, (*m)->id, std::string((*m)->payload)});
        lengths.push_back((*m)->length);
      }
      // Never more than one chunk plus one buffered message.
      ASSERT_LE(reader.buffered(), chunk + 1004) << chunk;
    }
    // keep_alive holds `skipped` here.
    const std::vector<Got> expected = {{true, 5, ""},
                                       {false, 20,
                                        "\x03"
                                        "d1:ae"s},
                                       {true, 5, ""},
                                       {false, 5, std::string(999, '\x01')}};
    EXPECT_EQ(got, expected) << chunk;
    EXPECT_EQ(lengths, (std::vector<std::uint32_t>{100001, 7, 1002, 1000})) << chunk;
    EXPECT_EQ(reader.buffered(), 0u);
  }
}

TEST(MessageCodec, ExtendedHeaderCountsIdAndExtendedId) {
  std::string out;
  append_extended(out, 3, "");
  EXPECT_EQ(out, "\x00\x00\x00\x02\x14\x03"s);
}

}  // namespace
}  // namespace magnetar::crawler::wire
