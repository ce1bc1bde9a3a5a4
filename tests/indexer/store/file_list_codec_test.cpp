#include "indexer/store/file_list_codec.hpp"

#include <gtest/gtest.h>

#include "indexer/store/store_errors.hpp"

namespace magnetar::indexer::store {
namespace {

using namespace std::string_literals;

std::vector<TorrentFile> sample() {
  return {
      {{"Season 1", "S01E01.mkv"}, 1'000'000'000},
      {{"Season 1", "S01E02.mkv"}, 999},
      {{"Season 1", "Subs", "en.srt"}, 0},
      {{"Season 2", "S02E01.mkv"}, 5'000'000'000'000},
      {{"README.txt"}, 12},
      {{"bad\xff\0name"s}, 1},
  };
}

TEST(FileListCodec, RoundTripsPathsAndSizes) {
  const auto files = sample();
  const auto bytes = encode_file_list(files, 1000);
  auto decoded = decode_file_list(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(*decoded, files);
}

TEST(FileListCodec, WritesSharedDirectoriesOnce) {
  const auto bytes = encode_file_list(sample(), 1000);
  // "Season 1" appears once, not three times.
  EXPECT_EQ(bytes.find("Season 1"), bytes.rfind("Season 1"));
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), kFileListFormat);
}

TEST(FileListCodec, ExactBytesOfASmallList) {
  const std::vector<TorrentFile> files = {{{"d", "a"}, 300}, {{"d", "b"}, 1}};
  EXPECT_EQ(encode_file_list(files, 10),
            "\x01\x02"  // format, count
            "\x00\x02\x01"
            "d\x01"
            "a"         // shared 0, rest 2: "d", "a"
            "\xAC\x02"  // 300 as LEB128
            "\x01\x01\x01"
            "b\x01"s);  // shared 1, rest 1: "b", size 1
}

TEST(FileListCodec, StopsAtTheBound) {
  const auto files = sample();
  auto decoded = decode_file_list(encode_file_list(files, 2));
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->size(), 2u);
  EXPECT_EQ((*decoded)[1], files[1]);
}

TEST(FileListCodec, RejectsEveryTruncation) {
  const auto bytes = encode_file_list(sample(), 1000);
  for (std::size_t n = 0; n < bytes.size(); ++n)
    EXPECT_FALSE(decode_file_list(bytes.substr(0, n)).ok()) << n;
  EXPECT_EQ(decode_file_list(bytes + "x").error().code, make_error_code(Errc::kTrailingData));
}

TEST(FileListCodec, RejectsBadFormatAndBadSharedPrefix) {
  EXPECT_EQ(decode_file_list("\x02\x00"s).error().code, make_error_code(Errc::kBadFormat));
  // First entry claims a shared prefix.
  EXPECT_EQ(decode_file_list("\x01\x01\x01\x01\x01"
                             "a\x00"s)
                .error()
                .code,
            make_error_code(Errc::kBadSharedPrefix));
}

TEST(FileListCodec, RejectsCountsBeyondTheLimitWithoutAllocating) {
  FileListLimits limits;
  limits.max_files = 10;
  EXPECT_EQ(decode_file_list("\x01\x0b"s, limits).error().code,
            make_error_code(Errc::kLimitExceeded));
  EXPECT_FALSE(decode_file_list("\x01\xff\xff\xff\x7f"s).ok());
}

TEST(FileExtension, TakesTheLowerCaseSuffixOfLettersAndDigits) {
  EXPECT_EQ(file_extension("Movie.MKV"), "mkv");
  EXPECT_EQ(file_extension("a.tar.gz"), "gz");
  EXPECT_EQ(file_extension("track01.mp3"), "mp3");
  EXPECT_EQ(file_extension("noext"), "");
  EXPECT_EQ(file_extension(".hidden"), "");
  EXPECT_EQ(file_extension("trailing."), "");
  EXPECT_EQ(file_extension("x.backup-2019"), "");
  EXPECT_EQ(file_extension("x.abcdefghijk"), "");
  EXPECT_EQ(file_extension("x.\xff\xfe"), "");
}

TEST(TorrentExtensions, AreDistinctSortedAndFromTheNameOfASingleFile) {
  TorrentRecord single;
  single.name = "Film.2020.MKV";
  EXPECT_EQ(torrent_extensions(single), (std::vector<std::string>{"mkv"}));
  TorrentRecord multi;
  multi.name = "Album.zip";
  multi.files = {{{"01.flac"}, 1}, {{"02.FLAC"}, 1}, {{"cover.jpg"}, 1}, {{"x", "notes"}, 1}};
  EXPECT_EQ(torrent_extensions(multi), (std::vector<std::string>{"flac", "jpg"}));
}

TEST(TorrentExtensions, KeepsAtMostTheBound) {
  TorrentRecord r;
  for (int i = 0; i < 100; ++i) r.files.push_back({{"f.e" + std::to_string(i)}, 1});
  EXPECT_EQ(torrent_extensions(r).size(), kMaxExtensions);
}

}  // namespace
}  // namespace magnetar::indexer::store
