#include "common/metainfo.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/bencode_encoder.hpp"
#include "common/bencode_value.hpp"
#include "common/sha.hpp"

namespace magnetar::metainfo {
namespace {

using bencode::Dict;
using bencode::List;
using bencode::Value;

constexpr std::int64_t kPiece = 16384;

std::string hashes(std::size_t n) { return std::string(20 * n, 'h'); }
std::string root(char c = '\x01') { return std::string(32, c); }

Value v2_leaf(std::int64_t length, std::string pieces_root = root()) {
  Dict leaf{{"length", Value(length)}};
  if (!pieces_root.empty()) leaf["pieces root"] = pieces_root;
  return Dict{{"", Value(std::move(leaf))}};
}

Value file(std::int64_t length, List path, std::string attr = "") {
  Dict d{{"length", Value(length)}, {"path", Value(std::move(path))}};
  if (!attr.empty()) d["attr"] = attr;
  return d;
}

std::string single_v1(std::int64_t length = 100) {
  return bencode::encode(Dict{{"name", "a.txt"},
                              {"length", Value(length)},
                              {"piece length", Value(kPiece)},
                              {"pieces", hashes((length + kPiece - 1) / kPiece)}});
}

// dir/ with a (20000 bytes), a pad file to the piece boundary, sub/b (5 bytes).
Dict multi_v1_dict() {
  return Dict{
      {"name", "dir"},
      {"piece length", Value(kPiece)},
      {"pieces", hashes(3)},
      {"files", List{file(20000, List{"a"}), file(2 * kPiece - 20000, List{".pad", "12768"}, "p"),
                     file(5, List{"sub", "b"}, "x")}}};
}

Dict v2_dict() {
  return Dict{{"name", "dir"},
              {"piece length", Value(kPiece)},
              {"meta version", 2},
              {"file tree", Dict{{"a", v2_leaf(20000, root('\x01'))},
                                 {"sub", Dict{{"b", v2_leaf(5, root('\x02'))}}}}}};
}

Dict hybrid_dict() {
  Dict d = multi_v1_dict();
  Dict v2 = v2_dict();
  d["meta version"] = 2;
  d["file tree"] = v2["file tree"];
  return d;
}

TEST(ParseInfoDict, SingleFileV1HasNameLengthPiecesAndSha1OfRawBytes) {
  const std::string raw = single_v1(40000);
  auto info = parse_info_dict(raw);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->version, Version::kV1);
  EXPECT_EQ(info->hashes.v1, InfoHashV1(sha1(raw)));
  EXPECT_FALSE(info->hashes.v2);
  EXPECT_EQ(info->raw, raw);
  EXPECT_EQ(info->name, "a.txt");
  EXPECT_FALSE(info->multi_file);
  EXPECT_EQ(info->piece_length, kPiece);
  EXPECT_EQ(info->piece_count, 3);
  EXPECT_EQ(info->total_size, 40000);
  EXPECT_EQ(info->file_count, 1u);
  ASSERT_EQ(info->files.size(), 1u);
  EXPECT_EQ(info->files[0].path, std::vector<std::string>{"a.txt"});
  EXPECT_EQ(info->files[0].length, 40000);
  EXPECT_EQ(info->v1_piece_hashes(), hashes(3));
  EXPECT_TRUE(info->canonical);
  EXPECT_FALSE(info->is_private);
}

TEST(ParseInfoDict, MultiFileV1ExcludesPadFilesFromTotalAndCount) {
  const std::string raw = bencode::encode(multi_v1_dict());
  auto info = parse_info_dict(raw);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_TRUE(info->multi_file);
  ASSERT_EQ(info->files.size(), 3u);
  EXPECT_EQ(info->file_count, 2u);
  EXPECT_EQ(info->total_size, 20005);
  EXPECT_TRUE(info->files[1].pad());
  EXPECT_EQ(info->files[2].path, (std::vector<std::string>{"sub", "b"}));
  EXPECT_EQ(info->files[2].attr, kAttrExecutable);
  EXPECT_EQ(info->files[2].offset, 2 * kPiece);
  EXPECT_EQ(info->piece_count, 3);
}

TEST(ParseInfoDict, KeepsUtf8NameAndPathAndPrivateFlag) {
  Dict d = multi_v1_dict();
  d["name.utf-8"] = "d\xc3\xafr";
  d["private"] = 1;
  std::get<List>(d["files"].v)[0] =
      Dict{{"length", 20000}, {"path", List{"a"}}, {"path.utf-8", List{"\xc3\xa4"}}};
  auto info = parse_info_dict(bencode::encode(d));
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->name_utf8, "d\xc3\xafr");
  EXPECT_TRUE(info->is_private);
  EXPECT_EQ(info->files[0].path, std::vector<std::string>{"a"});
  EXPECT_EQ(info->files[0].path_utf8, std::vector<std::string>{"\xc3\xa4"});
}

TEST(ParseInfoDict, DropsMalformedUtf8HintsInsteadOfFailing) {
  Dict d = multi_v1_dict();
  d["name.utf-8"] = "..";
  std::get<List>(d["files"].v)[0] =
      Dict{{"length", 20000}, {"path", List{"a"}}, {"path.utf-8", List{"x", 5}}};
  auto info = parse_info_dict(bencode::encode(d));
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_FALSE(info->name_utf8);
  EXPECT_FALSE(info->files[0].path_utf8);
}

TEST(ParseInfoDict, BitCometPaddingFileNameMarksPadFile) {
  Dict d = multi_v1_dict();
  std::get<List>(d["files"].v)[1] =
      file(2 * kPiece - 20000, List{"_____padding_file_0_if you see this file, please update"});
  auto info = parse_info_dict(bencode::encode(d));
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_TRUE(info->files[1].pad());
  EXPECT_EQ(info->file_count, 2u);
}

TEST(ParseInfoDict, PadFileMayOmitPath) {
  Dict d = multi_v1_dict();
  std::get<List>(d["files"].v)[1] = Dict{{"length", Value(2 * kPiece - 20000)}, {"attr", "p"}};
  auto info = parse_info_dict(bencode::encode(d));
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_TRUE(info->files[1].path.empty());
}

TEST(ParseInfoDict, SymlinkHasZeroLengthAndTarget) {
  Dict d = multi_v1_dict();
  std::get<List>(d["files"].v)
      .push_back(Dict{{"length", 999},
                      {"path", List{"link"}},
                      {"attr", "lh"},
                      {"symlink path", List{"sub", "b"}}});
  auto info = parse_info_dict(bencode::encode(d));
  ASSERT_TRUE(info.ok()) << info.error().message();
  const FileEntry& link = info->files.back();
  EXPECT_TRUE(link.symlink());
  EXPECT_EQ(link.attr, kAttrSymlink | kAttrHidden);
  EXPECT_EQ(link.length, 0);
  EXPECT_EQ(link.symlink_path, (std::vector<std::string>{"sub", "b"}));
}

TEST(ParseInfoDict, V2TreeGivesPiecesRootsAlignedOffsetsAndSha256) {
  const std::string raw = bencode::encode(v2_dict());
  auto info = parse_info_dict(raw);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->version, Version::kV2);
  EXPECT_FALSE(info->hashes.v1);
  EXPECT_EQ(info->hashes.v2, InfoHashV2(sha256(raw)));
  EXPECT_TRUE(info->multi_file);
  ASSERT_EQ(info->files.size(), 2u);
  EXPECT_EQ(info->files[0].path, std::vector<std::string>{"a"});
  EXPECT_EQ(info->files[1].path, (std::vector<std::string>{"sub", "b"}));
  EXPECT_EQ(info->files[1].offset, 2 * kPiece);
  EXPECT_EQ(info->files[1].pieces_root, InfoHashV2::from_bytes(root('\x02')));
  EXPECT_EQ(info->piece_count, 3);
  EXPECT_EQ(info->total_size, 20005);
  EXPECT_TRUE(info->v1_piece_hashes().empty());
}

TEST(ParseInfoDict, V2SingleFileTreeIsSingleFile) {
  const std::string raw = bencode::encode(Dict{{"name", "a"},
                                               {"piece length", Value(kPiece)},
                                               {"meta version", 2},
                                               {"file tree", Dict{{"a", v2_leaf(5)}}}});
  auto info = parse_info_dict(raw);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_FALSE(info->multi_file);
  EXPECT_EQ(info->files[0].path, std::vector<std::string>{"a"});
}

TEST(ParseInfoDict, V2OneFileNamedUnlikeTheTorrentIsADirectory) {
  const std::string raw = bencode::encode(Dict{{"name", "dir"},
                                               {"piece length", Value(kPiece)},
                                               {"meta version", 2},
                                               {"file tree", Dict{{"f", v2_leaf(5)}}}});
  auto info = parse_info_dict(raw);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_TRUE(info->multi_file);
  EXPECT_EQ(info->name, "dir");
  EXPECT_EQ(info->files[0].path, std::vector<std::string>{"f"});
}

TEST(ParseInfoDict, V2EmptyFileNeedsNoPiecesRootAndEmptyDirectoryIsSkipped) {
  Dict d = v2_dict();
  std::get<Dict>(d["file tree"].v)["empty"] = v2_leaf(0, "");
  std::get<Dict>(d["file tree"].v)["nothing"] = Dict{};
  auto info = parse_info_dict(bencode::encode(d));
  ASSERT_TRUE(info.ok()) << info.error().message();
  ASSERT_EQ(info->files.size(), 3u);
  EXPECT_EQ(info->files[1].path, std::vector<std::string>{"empty"});
  EXPECT_FALSE(info->files[1].pieces_root);
}

TEST(ParseInfoDict, HybridHasBothHashesAndV1FilesWithPiecesRoots) {
  const std::string raw = bencode::encode(hybrid_dict());
  auto info = parse_info_dict(raw);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->version, Version::kHybrid);
  EXPECT_EQ(info->hashes.v1, InfoHashV1(sha1(raw)));
  EXPECT_EQ(info->hashes.v2, InfoHashV2(sha256(raw)));
  ASSERT_EQ(info->files.size(), 3u);
  EXPECT_TRUE(info->files[1].pad());
  EXPECT_EQ(info->files[0].pieces_root, InfoHashV2::from_bytes(root('\x01')));
  EXPECT_EQ(info->files[2].pieces_root, InfoHashV2::from_bytes(root('\x02')));
  EXPECT_EQ(info->file_count, 2u);
}

TEST(ParseInfoDict, NonCanonicalDictIsAcceptedAndHashedAsReceived) {
  // "pieces" before "piece length", "name" last: unsorted keys.
  const std::string raw =
      "d6:lengthi5e6:pieces20:" + hashes(1) + "12:piece lengthi16384e4:name1:xe";
  auto info = parse_info_dict(raw);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_FALSE(info->canonical);
  EXPECT_EQ(info->hashes.v1, InfoHashV1(sha1(raw)));
  EXPECT_EQ(info->raw, raw);
  EXPECT_EQ(info->name, "x");
}

TEST(ParseInfoDict, PassesBencodeErrorsThrough) {
  auto info = parse_info_dict("d4:name");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, bencode::Errc::kUnexpectedEnd);
}

// Hand-written bencode with the bad value marked by `at` (its first occurrence
// gives the expected offset; empty means offset 0). A file tree key's offset is
// that of its bytes, after the length prefix.
struct ErrorCase {
  const char* what;
  std::string raw;
  Errc code;
  std::string at;
};

const std::string kP1 = "6:pieces20:" + hashes(1);
const std::string kPl = "12:piece lengthi16384e";
const std::string kTreeA = "9:file treed1:ad0:d6:lengthi5e11:pieces root32:" + root() + "eee";

std::vector<ErrorCase> error_cases() {
  return {
      {"list instead of dict", "li1ee", Errc::kNotADict, ""},
      {"string instead of dict", "3:abc", Errc::kNotADict, ""},
      {"no name", "d6:lengthi5e" + kPl + kP1 + "e", Errc::kMissingName, ""},
      {"name not a string", "d6:lengthi5e4:namei7e" + kPl + kP1 + "e", Errc::kInvalidName, "i7e"},
      {"empty name", "d6:lengthi5e4:name0:" + kPl + kP1 + "e", Errc::kInvalidName, "0:"},
      {"name ..", "d6:lengthi5e4:name2:.." + kPl + kP1 + "e", Errc::kInvalidName, "2:.."},
      {"name with slash", "d6:lengthi5e4:name3:a/b" + kPl + kP1 + "e", Errc::kInvalidName, "3:a/b"},
      {"no piece length", "d6:lengthi5e4:name1:x" + kP1 + "e", Errc::kMissingPieceLength, ""},
      {"zero piece length", "d6:lengthi5e4:name1:x12:piece lengthi0e" + kP1 + "e",
       Errc::kInvalidPieceLength, "i0e"},
      {"negative piece length", "d6:lengthi5e4:name1:x12:piece lengthi-1e" + kP1 + "e",
       Errc::kInvalidPieceLength, "i-1e"},
      {"string piece length", "d6:lengthi5e4:name1:x12:piece length1:5" + kP1 + "e",
       Errc::kInvalidPieceLength, "1:5"},
      {"v2 piece length not a power of two",
       "d" + kTreeA + "12:meta versioni2e4:name1:a12:piece lengthi20000ee",
       Errc::kInvalidPieceLength, "i20000e"},
      {"v2 piece length below 16 KiB",
       "d" + kTreeA + "12:meta versioni2e4:name1:a12:piece lengthi8192ee",
       Errc::kInvalidPieceLength, "i8192e"},
      {"meta version 3", "d" + kTreeA + "12:meta versioni3e4:name1:a" + kPl + "e",
       Errc::kUnsupportedVersion, "i3e"},
      {"meta version string", "d12:meta version1:24:name1:a" + kPl + "e", Errc::kUnsupportedVersion,
       "1:2"},
      {"meta version 2 without tree", "d12:meta versioni2e4:name1:a" + kPl + "e",
       Errc::kMissingFileTree, ""},
      {"file tree a list", "d9:file treele12:meta versioni2e4:name1:a" + kPl + "e",
       Errc::kMissingFileTree, "le12:"},
      {"file tree without meta version", "d" + kTreeA + "6:lengthi5e4:name1:a" + kPl + kP1 + "e",
       Errc::kFileTreeWithoutVersion, "d1:a"},
      {"no pieces and no tree", "d6:lengthi5e4:name1:x" + kPl + "e", Errc::kMissingPieces, ""},
      {"pieces not a string", "d6:lengthi5e4:name1:x" + kPl + "6:piecesi0ee", Errc::kInvalidPieces,
       "i0ee"},
      {"pieces 19 bytes",
       "d6:lengthi5e4:name1:x" + kPl + "6:pieces19:" + std::string(19, 'h') + "e",
       Errc::kInvalidPieces, "19:"},
      {"too few pieces", "d6:lengthi16385e4:name1:x" + kPl + kP1 + "e", Errc::kPieceCountMismatch,
       "20:"},
      {"too many pieces", "d6:lengthi5e4:name1:x" + kPl + "6:pieces40:" + hashes(2) + "e",
       Errc::kPieceCountMismatch, "40:"},
      {"length and files", "d5:filesle6:lengthi5e4:name1:x" + kPl + kP1 + "e",
       Errc::kConflictingLayout, "i5e"},
      {"negative length", "d6:lengthi-5e4:name1:x" + kPl + kP1 + "e", Errc::kInvalidLength, "i-5e"},
      {"string length", "d6:length1:54:name1:x" + kPl + kP1 + "e", Errc::kInvalidLength, "1:5"},
      {"file without length", "d5:filesld4:pathl1:aeee4:name1:x" + kPl + kP1 + "e",
       Errc::kInvalidLength, "d4:path"},
      {"total size overflow",
       "d5:filesld6:lengthi9223372036854775807e4:pathl1:aeed6:lengthi1e4:pathl1:beee4:name1:x" +
           kPl + kP1 + "e",
       Errc::kTotalSizeOverflow, "ld6:"},
      {"files not a list", "d5:filesi1e4:name1:x" + kPl + kP1 + "e", Errc::kInvalidFileEntry,
       "i1e"},
      {"file entry not a dict", "d5:filesli1ee4:name1:x" + kPl + kP1 + "e", Errc::kInvalidFileEntry,
       "i1ee"},
      {"file without path", "d5:filesld6:lengthi5eee4:name1:x" + kPl + kP1 + "e",
       Errc::kInvalidPath, "d6:lengthi5eee"},
      {"empty path", "d5:filesld6:lengthi5e4:pathleee4:name1:x" + kPl + kP1 + "e",
       Errc::kInvalidPath, "leee"},
      {"path item not a string", "d5:filesld6:lengthi5e4:pathli1eeee4:name1:x" + kPl + kP1 + "e",
       Errc::kInvalidPath, "i1eeee"},
      {"empty component", "d5:filesld6:lengthi5e4:pathl1:a0:eee4:name1:x" + kPl + kP1 + "e",
       Errc::kEmptyPathComponent, "0:"},
      {"dot component", "d5:filesld6:lengthi5e4:pathl1:.1:aeee4:name1:x" + kPl + kP1 + "e",
       Errc::kDotPathComponent, "1:."},
      {"dot dot component", "d5:filesld6:lengthi5e4:pathl2:..1:aeee4:name1:x" + kPl + kP1 + "e",
       Errc::kDotPathComponent, "2:.."},
      {"slash in component", "d5:filesld6:lengthi5e4:pathl4:../aeee4:name1:x" + kPl + kP1 + "e",
       Errc::kSlashInPathComponent, "4:../a"},
      {"empty file list", "d5:filesle4:name1:x" + kPl + "6:pieces0:e", Errc::kNoFiles, ""},
      {"only pad files", "d5:filesld4:attr1:p6:lengthi5e4:pathl1:peee4:name1:x" + kPl + kP1 + "e",
       Errc::kNoFiles, ""},
      {"v1 without length or files", "d4:name1:x" + kPl + kP1 + "e", Errc::kNoFiles, ""},
      {"v1 layout without pieces in v2 dict",
       "d" + kTreeA + "6:lengthi5e12:meta versioni2e4:name1:a" + kPl + "e", Errc::kMissingPieces,
       ""},
      {"empty file tree", "d9:file treede12:meta versioni2e4:name1:a" + kPl + "e", Errc::kNoFiles,
       "de"},
      {"tree node not a dict", "d9:file treed1:ai5ee12:meta versioni2e4:name1:a" + kPl + "e",
       Errc::kInvalidFileTree, "ai5e"},
      {"empty key at tree root",
       "d9:file treed0:d6:lengthi5eee12:meta versioni2e4:name1:a" + kPl + "e",
       Errc::kInvalidFileTree, "d6:lengthi5eee"},
      {"file node with a second key",
       "d9:file treed1:ad0:d6:lengthi0ee1:bd0:d6:lengthi0eeeee12:meta versioni2e4:name1:a" + kPl +
           "e",
       Errc::kInvalidFileTree, "d0:"},
      {"leaf value not a dict", "d9:file treed1:ad0:i1eee12:meta versioni2e4:name1:a" + kPl + "e",
       Errc::kInvalidFileTree, "i1e"},
      {"pad attr in tree",
       "d9:file treed1:ad0:d4:attr1:p6:lengthi0eeee12:meta versioni2e4:name1:a" + kPl + "e",
       Errc::kInvalidFileTree, "d4:attr"},
      {"dot dot key in tree",
       "d9:file treed2:..d1:ad0:d6:lengthi0eeeee12:meta versioni2e4:name1:a" + kPl + "e",
       Errc::kDotPathComponent, "..d1"},
      {"no pieces root",
       "d9:file treed1:ad0:d6:lengthi5eeee12:meta versioni2e4:name1:a" + kPl + "e",
       Errc::kInvalidPiecesRoot, "d6:lengthi5e"},
      {"short pieces root",
       "d9:file treed1:ad0:d6:lengthi5e11:pieces root3:abceee12:meta versioni2e4:name1:a" + kPl +
           "e",
       Errc::kInvalidPiecesRoot, "3:abc"},
      {"zero pieces root",
       "d9:file treed1:ad0:d6:lengthi5e11:pieces root32:" + std::string(32, '\0') +
           "eee12:meta versioni2e4:name1:a" + kPl + "e",
       Errc::kInvalidPiecesRoot, "32:"},
      {"v2 leaf negative length",
       "d9:file treed1:ad0:d6:lengthi-1eeee12:meta versioni2e4:name1:a" + kPl + "e",
       Errc::kInvalidLength, "i-1e"},
      {"hybrid length differs",
       "d" + kTreeA + "6:lengthi6e12:meta versioni2e4:name1:a" + kPl + kP1 + "e",
       Errc::kHybridMismatch, "d1:a"},
      {"hybrid name differs from tree key",
       "d" + kTreeA + "6:lengthi5e12:meta versioni2e4:name1:b" + kPl + kP1 + "e",
       Errc::kHybridMismatch, "d1:a"},
      {"v2 total size overflow",
       "d9:file treed1:ad0:d6:lengthi9223372036854775807e11:pieces root32:" + root() +
           "eee12:meta versioni2e4:name1:a" + kPl + "e",
       Errc::kTotalSizeOverflow, "d1:a"},
  };
}

TEST(ParseInfoDict, RejectsEachMalformedDictWithItsOwnCodeAndOffset) {
  for (const ErrorCase& c : error_cases()) {
    SCOPED_TRACE(c.what);
    auto info = parse_info_dict(c.raw);
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().code, make_error_code(c.code)) << info.error().message();
    const std::uint64_t at = c.at.empty() ? 0 : c.raw.find(c.at);
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(info.error().offset, at) << info.error().message();
  }
}

TEST(ParseInfoDict, OffsetPointsAtTheBadPathComponent) {
  // The second "1:." in this dict is the component; check it is the one found.
  const std::string raw = "d5:filesld6:lengthi5e4:pathl1:a1:.eee4:name1:x" + kPl + kP1 + "e";
  auto info = parse_info_dict(raw);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().offset, raw.find("1:.e"));
}

TEST(ParseInfoDict, EnforcesNamedLimits) {
  Dict d = multi_v1_dict();
  const std::string raw = bencode::encode(d);

  InfoDictLimits size;
  size.max_size = raw.size() - 1;
  EXPECT_EQ(parse_info_dict(raw, size).error().code, make_error_code(Errc::kTooLarge));

  InfoDictLimits files;
  files.max_files = 2;
  EXPECT_EQ(parse_info_dict(raw, files).error().code, make_error_code(Errc::kTooManyFiles));
  EXPECT_TRUE(parse_info_dict(bencode::encode(v2_dict()), files).ok());
}

TEST(ParseInfoDict, EnforcesFileLimitOnV2Tree) {
  InfoDictLimits files;
  files.max_files = 1;
  auto info = parse_info_dict(bencode::encode(v2_dict()), files);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, make_error_code(Errc::kTooManyFiles));
}

TEST(ParseInfoDict, EnforcesPathDepthAndComponentLength) {
  const std::string raw = bencode::encode(multi_v1_dict());  // deepest path: sub/b
  InfoDictLimits depth;
  depth.max_path_depth = 1;
  EXPECT_EQ(parse_info_dict(raw, depth).error().code, make_error_code(Errc::kPathTooDeep));
  EXPECT_EQ(parse_info_dict(bencode::encode(v2_dict()), depth).error().code,
            make_error_code(Errc::kPathTooDeep));
  depth.max_path_depth = 2;
  EXPECT_TRUE(parse_info_dict(raw, depth).ok());

  InfoDictLimits component;
  component.max_path_component = 4;  // ".pad" fits, "12768" does not
  auto info = parse_info_dict(raw, component);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, make_error_code(Errc::kPathComponentTooLong));
  EXPECT_EQ(info.error().offset, raw.find("5:12768"));
}

TEST(ParseInfoDict, DeepFileTreeCannotExpandIntoGigabytesOfPaths) {
  // 60 nested 1000-byte directory names and 2000 empty files at the bottom:
  // about 150 KB of input, 120 MB of paths if every file got its own copy.
  const std::string dir_name = std::string(1000, 'd');
  std::string tree;
  for (int i = 0; i < 60; ++i) tree += "1000:" + dir_name + "d";
  for (int i = 0; i < 2000; ++i) {
    const std::string key = "f" + std::to_string(10000 + i);
    tree += std::to_string(key.size()) + ":" + key + "d0:d6:lengthi0eee";
  }
  for (int i = 0; i < 60; ++i) tree += "e";
  const std::string raw =
      "d9:file treed" + tree + "e12:meta versioni2e4:name1:a12:piece lengthi16384ee";
  auto info = parse_info_dict(raw);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, make_error_code(Errc::kPathsTooLarge));
}

TEST(ParseInfoDict, EnforcesTotalPathComponents) {
  const std::string raw = bencode::encode(multi_v1_dict());  // 1 + 2 + 2 components
  InfoDictLimits limits;
  limits.max_total_path_components = 4;
  EXPECT_EQ(parse_info_dict(raw, limits).error().code, make_error_code(Errc::kPathsTooLarge));
  limits.max_total_path_components = 5;
  EXPECT_TRUE(parse_info_dict(raw, limits).ok());
}

TEST(ParseInfoDict, HybridWithMisplacedFileIsRejected) {
  // Without the pad file, sub/b starts at 20000 in v1 but 32768 in v2.
  Dict d = hybrid_dict();
  auto& list = std::get<List>(d["files"].v);
  list.erase(list.begin() + 1);
  d["pieces"] = hashes(2);
  auto info = parse_info_dict(bencode::encode(d));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, make_error_code(Errc::kHybridMismatch));
}

TEST(ParseInfoDict, HybridAcceptsTailPaddingToAPieceButNotElsewhere) {
  Dict d = hybrid_dict();
  auto& list = std::get<List>(d["files"].v);
  list.push_back(file(kPiece - 5, List{".pad", "16379"}, "p"));
  EXPECT_TRUE(parse_info_dict(bencode::encode(d)).ok());
  list.back() = file(kPiece - 6, List{".pad", "16378"}, "p");
  auto info = parse_info_dict(bencode::encode(d));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, make_error_code(Errc::kHybridMismatch));
}

TEST(ParseInfoDict, HybridWithExtraV2FileIsRejected) {
  Dict d = hybrid_dict();
  std::get<Dict>(d["file tree"].v)["z"] = v2_leaf(0, "");
  auto info = parse_info_dict(bencode::encode(d));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, make_error_code(Errc::kHybridMismatch));
}

// Invariants every accepted dict satisfies; shared in spirit with the fuzz target.
void expect_invariants(const InfoDict& info, std::string_view raw) {
  EXPECT_EQ(info.raw, raw);
  EXPECT_FALSE(info.hashes.empty());
  if (info.hashes.v1) {
    EXPECT_EQ(*info.hashes.v1, InfoHashV1(sha1(raw)));
  }
  if (info.hashes.v2) {
    EXPECT_EQ(*info.hashes.v2, InfoHashV2(sha256(raw)));
  }
  std::int64_t total = 0;
  std::size_t count = 0;
  for (const auto& f : info.files) {
    EXPECT_GE(f.length, 0);
    if (f.pad()) continue;
    total += f.length;
    ++count;
  }
  EXPECT_EQ(total, info.total_size);
  EXPECT_EQ(count, info.file_count);
  EXPECT_GT(info.file_count, 0u);
  EXPECT_GT(info.piece_length, 0);
}

TEST(ParseInfoDict, MutatedDictsNeverCrashAndAcceptedOnesKeepInvariants) {
  const std::vector<std::string> seeds = {single_v1(40000), bencode::encode(multi_v1_dict()),
                                          bencode::encode(v2_dict()),
                                          bencode::encode(hybrid_dict())};
  std::mt19937 rng(12345);  // fixed: a failure must reproduce
  int accepted = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string raw = seeds[i % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits && !raw.empty(); ++k) {
      const std::size_t at = rng() % raw.size();
      switch (rng() % 4) {
        case 0:
          raw[at] = static_cast<char>(rng());
          break;
        case 1:
          raw.erase(at, 1 + rng() % 8);
          break;
        case 2:
          raw.insert(at, 1, "0123456789delie:-"[rng() % 17]);
          break;
        case 3:
          raw.resize(at);
          break;
      }
    }
    auto info = parse_info_dict(raw);
    if (info.ok()) {
      ++accepted;
      expect_invariants(*info, raw);
    }
  }
  // Some single-byte changes (a hash byte, a name byte) keep the dict valid.
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace magnetar::metainfo
