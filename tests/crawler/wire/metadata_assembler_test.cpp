#include "crawler/wire/metadata_assembler.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crawler/wire/ut_metadata.hpp"
#include "crawler/wire/wire_errors.hpp"
#include "tests/crawler/wire/wire_test_support.hpp"

namespace magnetar::crawler::wire {
namespace {

using testing::make_info_dict;
using testing::v1_of;
using testing::v2_of;

constexpr std::size_t kFourPieces = 3 * kMetadataPieceSize + 100;

std::string_view piece_of(std::string_view info, std::uint32_t piece) {
  return info.substr(piece * kMetadataPieceSize, metadata_piece_length(info.size(), piece));
}

MetadataAssembler make(std::string_view info, ExpectedInfoHash expected) {
  auto a = MetadataAssembler::create(static_cast<std::int64_t>(info.size()), expected);
  EXPECT_TRUE(a.ok());
  return std::move(*a);
}

TEST(MetadataAssembler, RejectsSizesOutsideTheBoundBeforeAllocating) {
  const auto id = ExpectedInfoHash::from_id(testing::filled_v1('x'));
  struct Case {
    std::int64_t size;
    WireErrc error;
  };
  const Case cases[] = {
      {0, WireErrc::kInvalidMetadataSize},
      {-1, WireErrc::kInvalidMetadataSize},
      {kMaxMetadataSize + 1, WireErrc::kMetadataTooLarge},
      {std::int64_t{1} << 30, WireErrc::kMetadataTooLarge},
      {std::numeric_limits<std::int64_t>::max(), WireErrc::kMetadataTooLarge},
  };
  for (const Case& c : cases) {
    auto a = MetadataAssembler::create(c.size, id);
    ASSERT_FALSE(a.ok()) << c.size;
    EXPECT_EQ(a.error().code, make_error_code(c.error)) << c.size;
  }
  auto max = MetadataAssembler::create(kMaxMetadataSize, id);
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->piece_count(), kMaxMetadataPieces);
}

TEST(MetadataAssembler, AssemblesFourPiecesInAnyOrderAndVerifiesSha1) {
  const std::string info = make_info_dict(kFourPieces);
  auto a = make(info, ExpectedInfoHash::from_id(v1_of(info)));
  EXPECT_EQ(a.piece_count(), 4u);
  for (std::uint32_t p : {2u, 0u, 3u, 1u}) {
    EXPECT_FALSE(a.complete());
    ASSERT_TRUE(a.add_piece(p, kFourPieces, piece_of(info, p)).ok()) << p;
  }
  ASSERT_TRUE(a.complete());
  auto out = a.finish();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, info);
}

TEST(MetadataAssembler, HandsOutEachMissingPieceOnceUntilReleased) {
  const std::string info = make_info_dict(kFourPieces);
  auto a = make(info, ExpectedInfoHash::from_id(v1_of(info)));
  EXPECT_EQ(a.next_request(), 0u);
  EXPECT_EQ(a.next_request(), 1u);
  ASSERT_TRUE(a.add_piece(2, kFourPieces, piece_of(info, 2)).ok());  // unrequested: accepted
  EXPECT_EQ(a.next_request(), 3u);
  EXPECT_EQ(a.next_request(), std::nullopt);
  EXPECT_EQ(a.outstanding(), 3u);
  a.release(1);
  a.release(1);  // twice is harmless
  a.release(2);  // received: not requested any more, no effect
  EXPECT_EQ(a.outstanding(), 2u);
  EXPECT_EQ(a.next_request(), 1u);
  ASSERT_TRUE(a.add_piece(0, kFourPieces, piece_of(info, 0)).ok());
  EXPECT_EQ(a.outstanding(), 2u);
  EXPECT_EQ(a.received(), 2u);
}

TEST(MetadataAssembler, RejectsBadPiecesAndStaysUnchanged) {
  const std::string info = make_info_dict(kFourPieces);
  auto a = make(info, ExpectedInfoHash::from_id(v1_of(info)));
  ASSERT_TRUE(a.add_piece(0, kFourPieces, piece_of(info, 0)).ok());
  const std::string full(kMetadataPieceSize, 'x');
  struct Case {
    std::uint32_t piece;
    std::int64_t total_size;
    std::string data;
    WireErrc error;
  };
  const Case cases[] = {
      {4, kFourPieces, std::string(100, 'x'), WireErrc::kPieceOutOfRange},
      {639, kFourPieces, full, WireErrc::kPieceOutOfRange},
      {1, kFourPieces + 1, full, WireErrc::kTotalSizeMismatch},
      {1, -1, full, WireErrc::kTotalSizeMismatch},
      {1, kFourPieces, full.substr(1), WireErrc::kWrongPieceSize},
      {1, kFourPieces, full + "x", WireErrc::kWrongPieceSize},
      {3, kFourPieces, std::string(99, 'x'), WireErrc::kWrongPieceSize},
      {3, kFourPieces, full, WireErrc::kWrongPieceSize},
      {0, kFourPieces, std::string(piece_of(info, 0)), WireErrc::kDuplicatePiece},
  };
  for (const Case& c : cases) {
    auto s = a.add_piece(c.piece, c.total_size, c.data);
    ASSERT_FALSE(s.ok()) << c.piece;
    EXPECT_EQ(s.error().code, make_error_code(c.error)) << c.piece;
    EXPECT_EQ(a.received(), 1u);
  }
  for (std::uint32_t p : {1u, 2u, 3u})
    ASSERT_TRUE(a.add_piece(p, kFourPieces, piece_of(info, p)).ok());
  auto out = a.finish();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, info);
}

TEST(MetadataAssembler, HashMismatchResetsEveryPieceToMissing) {
  const std::string info = make_info_dict(kFourPieces);
  const std::string other = make_info_dict(kFourPieces, 'b');
  auto a = make(info, ExpectedInfoHash::from_id(v1_of(info)));
  for (std::uint32_t p = 0; p < 4; ++p)
    ASSERT_TRUE(a.add_piece(p, kFourPieces, piece_of(other, p)).ok());
  auto out = a.finish();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, make_error_code(WireErrc::kHashMismatch));
  EXPECT_EQ(a.received(), 0u);
  EXPECT_EQ(a.next_request(), 0u);
  for (std::uint32_t p = 0; p < 4; ++p)
    ASSERT_TRUE(a.add_piece(p, kFourPieces, piece_of(info, p)).ok());
  EXPECT_TRUE(a.finish().ok());
}

TEST(MetadataAssembler, VerifiesEveryKindOfExpectedHash) {
  const std::string info = make_info_dict(1000);
  const std::string other = make_info_dict(1000, 'b');
  struct Case {
    const char* name;
    ExpectedInfoHash expected;
    bool matches_info;
  };
  const Case cases[] = {
      {"v1 id", ExpectedInfoHash::from_id(v1_of(info)), true},
      {"truncated v2 id", ExpectedInfoHash::from_id(truncate(v2_of(info))), true},
      {"full v1", ExpectedInfoHash::from_hashes({v1_of(info), std::nullopt}), true},
      {"full v2", ExpectedInfoHash::from_hashes({std::nullopt, v2_of(info)}), true},
      {"hybrid", ExpectedInfoHash::from_hashes({v1_of(info), v2_of(info)}), true},
      {"hybrid, v2 of another dict", ExpectedInfoHash::from_hashes({v1_of(info), v2_of(other)}),
       false},
      {"full v1 given the truncated v2", ExpectedInfoHash::from_hashes({truncate(v2_of(info)), {}}),
       false},
      {"another dict's id", ExpectedInfoHash::from_id(v1_of(other)), false},
  };
  for (const Case& c : cases) {
    auto a = make(info, c.expected);
    ASSERT_TRUE(a.add_piece(0, 1000, info).ok());
    auto out = a.finish();
    EXPECT_EQ(out.ok(), c.matches_info) << c.name;
  }
}

TEST(MetadataAssembler, TheHandshakeIdOfAV2OnlyTorrentIsTheTruncatedSha256) {
  const std::string info = make_info_dict(1000);
  const auto e = ExpectedInfoHash::from_hashes({std::nullopt, v2_of(info)});
  EXPECT_EQ(e.id(), truncate(v2_of(info)));
}

}  // namespace
}  // namespace magnetar::crawler::wire
