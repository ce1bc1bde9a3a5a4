#include "crawler/wire/ut_metadata.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crawler/wire/wire_errors.hpp"
#include "tests/crawler/wire/wire_test_support.hpp"

namespace magnetar::crawler::wire {
namespace {

using namespace std::string_literals;

TEST(UtMetadata, EncodesHandWrittenMessages) {
  EXPECT_EQ(encode_ut_metadata_request(0), "d8:msg_typei0e5:piecei0ee");
  EXPECT_EQ(encode_ut_metadata_reject(3), "d8:msg_typei2e5:piecei3ee");
  EXPECT_EQ(encode_ut_metadata_data(1, 16500, "\x00xyz"s),
            "d8:msg_typei1e5:piecei1e10:total_sizei16500ee\x00xyz"s);
}

TEST(UtMetadata, DecodesARequest) {
  auto m = decode_ut_metadata("d8:msg_typei0e5:piecei7ee");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->type, UtMetadataType::kRequest);
  EXPECT_EQ(m->piece, 7u);
  EXPECT_EQ(m->total_size, std::nullopt);
  EXPECT_TRUE(m->data.empty());
}

TEST(UtMetadata, DecodesARejectIgnoringTrailingBytes) {
  auto m = decode_ut_metadata("d8:msg_typei2e5:piecei1eeXX");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->type, UtMetadataType::kReject);
  EXPECT_EQ(m->piece, 1u);
}

TEST(UtMetadata, DecodesDataFollowedByThePieceBytes) {
  const std::string payload = "d8:msg_typei1e5:piecei0e10:total_sizei5ee" + "d1:ae"s;
  auto m = decode_ut_metadata(payload);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->type, UtMetadataType::kData);
  EXPECT_EQ(m->piece, 0u);
  EXPECT_EQ(m->total_size, 5);
  EXPECT_EQ(m->data, "d1:ae");
}

TEST(UtMetadata, DecodesKeysInAnyOrderAndExtraKeys) {
  auto m = decode_ut_metadata("d5:piecei2e8:msg_typei1e10:total_sizei40000e3:zzzi0eeDATA");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->type, UtMetadataType::kData);
  EXPECT_EQ(m->piece, 2u);
  EXPECT_EQ(m->data, "DATA");
}

TEST(UtMetadata, AnUnknownMsgTypeDecodesForTheCallerToIgnore) {
  auto m = decode_ut_metadata("d8:msg_typei7e5:piecei0ee");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(static_cast<std::int64_t>(m->type), 7);
}

TEST(UtMetadata, RejectsMalformedMessagesWithPreciseErrors) {
  struct Case {
    std::string input;
    Error error;
  };
  const Case cases[] = {
      {"", Error(WireErrc::kMalformedUtMetadata, 0)},
      {"i1e", Error(WireErrc::kMalformedUtMetadata, 0)},
      {"d8:msg_typei0e5:piecei0e", Error(WireErrc::kMalformedUtMetadata, 24)},
      {"d5:piecei0ee", Error(WireErrc::kMalformedUtMetadata, 0)},
      {"d8:msg_type1:05:piecei0ee", Error(WireErrc::kMalformedUtMetadata, 0)},
      {"d8:msg_typei0ee", Error(WireErrc::kMalformedUtMetadata, 0)},
      {"d8:msg_typei0e5:piecei-1ee", Error(WireErrc::kMalformedUtMetadata, 0)},
      {"d8:msg_typei0e5:piecei4294967296ee", Error(WireErrc::kPieceOutOfRange, 21)},
      {"d8:msg_typei1e5:piecei0ee", Error(WireErrc::kMalformedUtMetadata, 0)},
      {"d8:msg_typei1e5:piecei0e10:total_size1:1e", Error(WireErrc::kMalformedUtMetadata, 0)},
      {"d8:msg_typei1e5:piecei0e10:total_sizei0ee", Error(WireErrc::kInvalidMetadataSize, 37)},
      {"d8:msg_typei1e5:piecei0e10:total_sizei10485761ee", Error(WireErrc::kMetadataTooLarge, 37)},
  };
  for (const Case& c : cases) {
    auto m = decode_ut_metadata(c.input);
    ASSERT_FALSE(m.ok()) << c.input;
    EXPECT_EQ(m.error(), c.error) << c.input << ": " << m.error().message();
  }
}

TEST(UtMetadata, PieceCountAndLengths) {
  struct Case {
    std::size_t size;
    std::size_t count;
    std::size_t last;
  };
  const Case cases[] = {
      {1, 1, 1},
      {16383, 1, 16383},
      {16384, 1, 16384},
      {16385, 2, 1},
      {4 * 16384, 4, 16384},
      {3 * 16384 + 100, 4, 100},
      {static_cast<std::size_t>(kMaxMetadataSize), 640, 16384},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(metadata_piece_count(c.size), c.count) << c.size;
    EXPECT_EQ(metadata_piece_length(c.size, c.count - 1), c.last) << c.size;
    if (c.count > 1) {
      EXPECT_EQ(metadata_piece_length(c.size, 0), kMetadataPieceSize);
    }
  }
  EXPECT_EQ(kMaxMetadataPieces, 640u);
}

}  // namespace
}  // namespace magnetar::crawler::wire
