#include "indexer/store/staged_row.hpp"

#include <gtest/gtest.h>

#include "common/codec.hpp"
#include "common/metainfo.hpp"
#include "indexer/store/file_list_codec.hpp"

namespace magnetar::indexer::store {
namespace {

using namespace std::string_literals;

TorrentRecord base() {
  TorrentRecord r;
  std::array<std::uint8_t, 20> b{};
  b[0] = 0x01;
  b[19] = 0xFF;
  r.hashes.v1 = InfoHashV1(b);
  r.name = "Name.mkv";
  r.total_size = 10;
  r.file_count = 1;
  r.piece_length = 16384;
  r.source = Source::kDhtSample;
  r.seen_at =
      std::chrono::system_clock::time_point(std::chrono::microseconds(1'700'000'000'123'456));
  return r;
}

std::string unhex(const std::string& bytea) {
  EXPECT_EQ(bytea.substr(0, 2), "\\x");
  return from_hex(bytea.substr(2)).value_or("<bad hex>");
}

TEST(StagedRow, EncodesASingleFileTorrentWithNullsForUnknowns) {
  const auto row = make_staged_row(base(), {});
  EXPECT_EQ(row.id_hex, "\\x01000000000000000000000000000000000000ff");
  EXPECT_EQ(row.first_seen_us, 1'700'000'000'123'456);
  EXPECT_EQ(row.last_seen_us, row.first_seen_us);
  EXPECT_TRUE(row.v2_hex.empty());
  EXPECT_EQ(row.name, "Name.mkv");
  EXPECT_TRUE(row.name_raw_hex.empty());
  EXPECT_TRUE(row.title.empty());
  EXPECT_TRUE(row.year.empty());
  EXPECT_TRUE(row.resolution.empty());
  EXPECT_EQ(row.extensions, "{mkv}");
  EXPECT_TRUE(row.files_hex.empty());  // single file: no list
  EXPECT_TRUE(row.info_hex.empty());
  EXPECT_EQ(row.file_count, 1);
  EXPECT_EQ(row.source, 1);
}

TEST(StagedRow, KeepsOriginalNameBytesOnlyWhenTheyDiffer) {
  auto r = base();
  r.name = "bad\xff\0name"s;
  r.title = "t\x01";
  const auto row = make_staged_row(r, {});
  EXPECT_EQ(row.name, "bad\xEF\xBF\xBD\xEF\xBF\xBDname");
  EXPECT_EQ(unhex(row.name_raw_hex), r.name);
  EXPECT_EQ(row.title, "t\xEF\xBF\xBD");
}

TEST(StagedRow, UsesTheTruncatedV2AsIdOfAV2OnlyTorrent) {
  auto r = base();
  std::array<std::uint8_t, 32> v2{};
  for (std::size_t i = 0; i < v2.size(); ++i) v2[i] = static_cast<std::uint8_t>(i);
  r.hashes = {};
  r.hashes.v2 = InfoHashV2(v2);
  const auto row = make_staged_row(r, {});
  EXPECT_EQ(row.id, truncate(*r.hashes.v2));
  EXPECT_EQ(unhex(row.v2_hex), std::string(r.hashes.v2->view()));
}

TEST(StagedRow, CutsTheFileListAtTheSettingButKeepsTheTrueCount) {
  auto r = base();
  for (int i = 0; i < 50; ++i) {
    std::string name = std::to_string(i);
    name.append(".flac");
    r.files.push_back({{"d", name}, i});
  }
  r.file_count = 50;
  const auto row = make_staged_row(r, {.max_stored_files = 20});
  EXPECT_EQ(row.file_count, 50);
  auto files = decode_file_list(unhex(row.files_hex));
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 20u);
  EXPECT_EQ(files->back(), r.files[19]);
  EXPECT_EQ(files->back().path.back(), "19.flac");
  EXPECT_EQ(row.extensions, "{flac}");
}

TEST(StagedRow, ClampsOutOfRangeNumbers) {
  auto r = base();
  r.total_size = -5;
  r.piece_length = std::int64_t{1} << 40;
  r.file_count = std::int64_t{1} << 40;
  const auto row = make_staged_row(r, {});
  EXPECT_EQ(row.total_size, 0);
  EXPECT_EQ(row.piece_length, INT32_MAX);
  EXPECT_EQ(row.file_count, INT32_MAX);
}

TEST(StagedRow, KeepsTheRawInfoDictByPolicy) {
  auto r = base();
  r.raw_info = "d4:name1:xe";
  EXPECT_TRUE(make_staged_row(r, {.raw_info_policy = RawInfoPolicy::kPinned}).info_hex.empty());
  EXPECT_EQ(unhex(make_staged_row(r, {.raw_info_policy = RawInfoPolicy::kAll}).info_hex),
            *r.raw_info);
  r.source = Source::kPin;
  EXPECT_FALSE(make_staged_row(r, {.raw_info_policy = RawInfoPolicy::kPinned}).info_hex.empty());
  EXPECT_TRUE(make_staged_row(r, {.raw_info_policy = RawInfoPolicy::kNone}).info_hex.empty());
}

TEST(MakeTorrentRecord, TakesNamesSizesAndFilesFromAnInfoDictWithoutPadFiles) {
  std::string raw =
      "d5:filesl"
      "d6:lengthi5e4:pathl1:a5:b.mkvee"
      "d4:attr1:p6:lengthi3e4:pathl4:.pad1:3ee"
      "d6:lengthi7e4:pathl5:c.srtee"
      "e4:name3:dir10:name.utf-84:dir!12:piece lengthi16384e6:pieces20:";
  raw.append(20, 'x');
  raw.push_back('e');
  auto info = metainfo::parse_info_dict(raw);
  ASSERT_TRUE(info.ok()) << info.error().message();
  const auto seen = std::chrono::system_clock::now();
  const auto r = make_torrent_record(*info, Source::kDhtAnnounce, seen);
  EXPECT_EQ(r.hashes, info->hashes);
  EXPECT_EQ(r.name, "dir!");  // name.utf-8 preferred
  EXPECT_EQ(r.total_size, 12);
  EXPECT_EQ(r.file_count, 2);
  EXPECT_EQ(r.files, (std::vector<TorrentFile>{{{"a", "b.mkv"}, 5}, {{"c.srt"}, 7}}));
  EXPECT_EQ(r.source, Source::kDhtAnnounce);
  EXPECT_EQ(r.seen_at, seen);
  EXPECT_EQ(r.raw_info, raw);
  EXPECT_FALSE(r.pinned);
}

}  // namespace
}  // namespace magnetar::indexer::store
