// .torrent parsing checked against libtorrent: real torrents generated with
// lt::create_torrent (v1, v2, hybrid; single and multi-file) must give the
// same infohashes, names, files, sizes and pieces as lt::torrent_info.
#include "common/torrent_file.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <iterator>
#include <libtorrent/bencode.hpp>
#include <libtorrent/create_torrent.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/torrent_info.hpp>
#include <random>
#include <string>
#include <vector>

#include "common/bencode_value.hpp"
#include "common/magnet.hpp"
#include "common/metainfo.hpp"
#include "tests/support/temp_dir.hpp"

namespace magnetar::metainfo {
namespace {

using magnetar::testing::TempDir;

struct SourceFile {
  std::string path;  // relative to the temp dir
  std::size_t size;
};

enum class Kind { kV1, kV2, kHybrid };

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::kV1:
      return "v1";
    case Kind::kV2:
      return "v2";
    case Kind::kHybrid:
      return "hybrid";
  }
  return "?";
}

lt::create_flags_t flags_of(Kind k) {
  switch (k) {
    case Kind::kV1:
      return lt::create_torrent::v1_only;
    case Kind::kV2:
      return lt::create_torrent::v2_only;
    case Kind::kHybrid:
      return {};
  }
  return {};
}

std::string contents(std::size_t size, std::size_t seed) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>((i * 131 + seed * 7) % 251);
  return s;
}

const std::vector<std::string> kTrackers = {"udp://tracker.example:6969/announce",
                                            "http://second.example/announce"};
const std::vector<std::string> kWebSeeds = {"http://seed.example/files/"};

// Writes the files and returns a bencoded .torrent made by libtorrent.
std::string make_lt_torrent(const TempDir& dir, const std::string& top,
                            const std::vector<SourceFile>& files, Kind kind, int piece_size) {
  for (std::size_t i = 0; i < files.size(); ++i)
    dir.write(files[i].path, contents(files[i].size, i));
  lt::file_storage fs;
  lt::add_files(fs, (dir.path() / top).string());
  lt::create_torrent ct(fs, piece_size, flags_of(kind));
  for (std::size_t i = 0; i < kTrackers.size(); ++i)
    ct.add_tracker(kTrackers[i], static_cast<int>(i));
  for (const auto& ws : kWebSeeds) ct.add_url_seed(ws);
  ct.set_creator("magnetar test");
  ct.set_comment("a comment");
  lt::error_code ec;
  lt::set_piece_hashes(ct, dir.path().string(), ec);
  EXPECT_FALSE(ec) << ec.message();
  std::string out;
  lt::bencode(std::back_inserter(out), ct.generate());
  return out;
}

lt::torrent_info load_lt(const std::string& bytes) {
  return lt::torrent_info(
      lt::span<const char>(bytes.data(), static_cast<std::ptrdiff_t>(bytes.size())), lt::from_span);
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

void expect_same_hashes(const InfoHashes& ours, const lt::info_hash_t& theirs) {
  ASSERT_EQ(ours.v1.has_value(), theirs.has_v1());
  ASSERT_EQ(ours.v2.has_value(), theirs.has_v2());
  if (ours.v1) {
    EXPECT_EQ(ours.v1->view(), theirs.v1.to_string());
  }
  if (ours.v2) {
    EXPECT_EQ(ours.v2->view(), theirs.v2.to_string());
  }
}

// Compares our parse with libtorrent's, field by field.
//
// lt_single_quirk: a v2-only directory holding one file, which libtorrent
// loads as a single-file torrent named after the file (see metainfo.hpp).
void expect_matches_libtorrent(const TorrentFile& ours, const lt::torrent_info& ti, Kind kind,
                               bool lt_single_quirk) {
  const InfoDict& info = ours.info;
  expect_same_hashes(info.hashes, ti.info_hashes());
  const Version expected_version = kind == Kind::kV1   ? Version::kV1
                                   : kind == Kind::kV2 ? Version::kV2
                                                       : Version::kHybrid;
  EXPECT_EQ(info.version, expected_version);
  if (!lt_single_quirk) {
    EXPECT_EQ(info.name, ti.name());
  }
  EXPECT_EQ(info.piece_length, ti.piece_length());
  EXPECT_EQ(info.piece_count, ti.num_pieces());
  const auto section = ti.info_section();
  EXPECT_EQ(info.raw, std::string(section.data(), static_cast<std::size_t>(section.size())));

  // libtorrent's file list (the v2 one, with pad files inserted, for hybrids)
  // against ours, non-pad files only, in order.
  const lt::file_storage& fs = ti.files();
  std::vector<const FileEntry*> mine;
  for (const auto& f : info.files) {
    if (!f.pad()) mine.push_back(&f);
  }
  std::int64_t total = 0;
  std::size_t j = 0;
  for (const lt::file_index_t i : fs.file_range()) {
    if (fs.pad_file_at(i)) continue;
    total += fs.file_size(i);
    ASSERT_LT(j, mine.size());
    const FileEntry& f = *mine[j++];
    const std::string path =
        info.multi_file && !lt_single_quirk ? info.name + "/" + join(f.path) : join(f.path);
    EXPECT_EQ(path, fs.file_path(i));
    EXPECT_EQ(f.length, fs.file_size(i));
    if (ti.info_hashes().has_v2() && f.length > 0) {
      ASSERT_TRUE(f.pieces_root);
      EXPECT_EQ(f.pieces_root->view(), fs.root(i).to_string());
    }
  }
  EXPECT_EQ(j, mine.size());
  EXPECT_EQ(info.file_count, mine.size());
  EXPECT_EQ(info.total_size, total);

  std::vector<std::string> trackers;
  for (const auto& t : ti.trackers()) trackers.push_back(t.url);
  EXPECT_EQ(ours.trackers, trackers);
  std::vector<std::string> seeds;
  for (const auto& w : ti.web_seeds()) seeds.push_back(w.url);
  EXPECT_EQ(ours.web_seeds, seeds);
}

struct Layout {
  const char* what;
  std::string top;  // file or directory handed to lt::add_files
  std::vector<SourceFile> files;
  int piece_size;
};

std::vector<Layout> layouts() {
  return {
      {"single file", "one.bin", {{"one.bin", 100000}}, 16384},
      {"single small file", "tiny.txt", {{"tiny.txt", 10}}, 16384},
      {"multi-file with nested dirs",
       "dir",
       {{"dir/a.txt", 1000},
        {"dir/sub/b.bin", 40000},
        {"dir/sub/deeper/c", 16384},
        {"dir/sub/deeper/d.dat", 70001},
        {"dir/z", 1}},
       16384},
      {"multi-file, large pieces", "pack", {{"pack/x", 300000}, {"pack/y/q", 5}}, 65536},
      {"one file in a directory", "solo", {{"solo/inner.bin", 50000}}, 32768},
  };
}

TEST(TorrentFile, ParsesLibtorrentTorrentsLikeLibtorrent) {
  for (const Layout& layout : layouts()) {
    for (Kind kind : {Kind::kV1, Kind::kV2, Kind::kHybrid}) {
      SCOPED_TRACE(std::string(layout.what) + " " + kind_name(kind));
      TempDir dir;
      const std::string bytes =
          make_lt_torrent(dir, layout.top, layout.files, kind, layout.piece_size);
      auto ours = parse_torrent_file(bytes);
      ASSERT_TRUE(ours.ok()) << ours.error().message();
      const lt::torrent_info ti = load_lt(bytes);
      const bool quirk =
          kind == Kind::kV2 && layout.files.size() == 1 && layout.files[0].path != layout.top;
      expect_matches_libtorrent(*ours, ti, kind, quirk);
      if (quirk) {
        EXPECT_EQ(ours->info.name, layout.top);
        EXPECT_TRUE(ours->info.multi_file);
        EXPECT_EQ(ti.name(), ours->info.files[0].path[0]);
      }
      EXPECT_EQ(ours->comment, "a comment");
      EXPECT_EQ(ours->created_by, "magnetar test");
      EXPECT_TRUE(ours->creation_date);
      EXPECT_EQ(ours->piece_layers.has_value(), kind != Kind::kV1);
    }
  }
}

TEST(TorrentFile, HybridMultiFileTorrentHasPadFiles) {
  TempDir dir;
  const Layout layout = layouts()[2];
  auto ours = parse_torrent_file(
      make_lt_torrent(dir, layout.top, layout.files, Kind::kHybrid, layout.piece_size));
  ASSERT_TRUE(ours.ok()) << ours.error().message();
  std::size_t pads = 0;
  for (const auto& f : ours->info.files) pads += f.pad() ? 1 : 0;
  EXPECT_GT(pads, 0u);
  EXPECT_EQ(ours->info.file_count, layout.files.size());
}

TEST(TorrentFile, MadeTorrentLoadsInLibtorrentWithSameHashAndTrackers) {
  for (const Layout& layout : layouts()) {
    for (Kind kind : {Kind::kV1, Kind::kV2, Kind::kHybrid}) {
      SCOPED_TRACE(std::string(layout.what) + " " + kind_name(kind));
      TempDir dir;
      const std::string original =
          make_lt_torrent(dir, layout.top, layout.files, kind, layout.piece_size);
      auto parsed = parse_torrent_file(original);
      ASSERT_TRUE(parsed.ok()) << parsed.error().message();
      const std::vector<std::string> trackers = {"udp://other.example:1337/announce",
                                                 "http://b.example/announce",
                                                 "udp://other.example:1337/announce"};
      const std::string made = make_torrent_file(parsed->info.raw, trackers, {"http://ws.example/"},
                                                 parsed->piece_layers);
      lt::error_code ec;
      const lt::torrent_info ti(
          lt::span<const char>(made.data(), static_cast<std::ptrdiff_t>(made.size())), ec,
          lt::from_span);
      ASSERT_FALSE(ec) << ec.message();
      expect_same_hashes(parsed->info.hashes, ti.info_hashes());
      ASSERT_EQ(ti.trackers().size(), 2u);
      EXPECT_EQ(ti.trackers()[0].url, "udp://other.example:1337/announce");
      EXPECT_EQ(ti.trackers()[1].url, "http://b.example/announce");
      ASSERT_EQ(ti.web_seeds().size(), 1u);
      EXPECT_EQ(ti.web_seeds()[0].url, "http://ws.example/");

      auto again = parse_torrent_file(made);
      ASSERT_TRUE(again.ok()) << again.error().message();
      EXPECT_EQ(again->info.raw, parsed->info.raw);
      EXPECT_EQ(again->piece_layers, parsed->piece_layers);
      EXPECT_EQ(again->trackers, (std::vector<std::string>{trackers[0], trackers[1]}));
    }
  }
}

// Differential: mutate real info dicts; whenever both libtorrent and we accept
// one, both must see the same torrent. (Acceptance itself differs by design:
// we reject path traversal that libtorrent sanitizes, see metainfo.hpp.)
TEST(TorrentFile, MutatedInfoDictsAcceptedByBothAgreeWithLibtorrent) {
  std::vector<std::string> seeds;
  for (const Layout& layout : layouts()) {
    for (Kind kind : {Kind::kV1, Kind::kV2, Kind::kHybrid}) {
      TempDir dir;
      auto parsed = parse_torrent_file(
          make_lt_torrent(dir, layout.top, layout.files, kind, layout.piece_size));
      ASSERT_TRUE(parsed.ok()) << parsed.error().message();
      seeds.push_back(parsed->info.raw);
    }
  }
  std::mt19937 rng(4242);  // fixed: a failure must reproduce
  int both = 0;
  int only_ours = 0;
  int only_theirs = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string raw = seeds[i % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits && !raw.empty(); ++k) {
      const std::size_t at = rng() % raw.size();
      switch (rng() % 3) {
        case 0:
          raw[at] = static_cast<char>(rng());
          break;
        case 1:
          raw[at] = "0123456789delie:-"[rng() % 17];
          break;
        case 2:
          raw.erase(at, 1 + rng() % 4);
          break;
      }
    }
    auto ours = parse_info_dict(raw);
    const std::string file = "d4:info" + raw + "e";
    lt::error_code ec;
    const lt::torrent_info ti(
        lt::span<const char>(file.data(), static_cast<std::ptrdiff_t>(file.size())), ec,
        lt::from_span);
    if (ours.ok() && ec) {
      // The one known case: libtorrent refuses non-canonical bencode in a v2
      // dict; we accept it (and hash it as received).
      EXPECT_FALSE(ours->canonical) << ec.message() << " " << ::testing::PrintToString(raw);
      EXPECT_TRUE(ours->hashes.v2);
    }
    if (!ours.ok() || ec) {
      only_ours += ours.ok() ? 1 : 0;
      only_theirs += ec ? 0 : 1;
      continue;
    }
    ++both;
    SCOPED_TRACE(::testing::PrintToString(raw));
    expect_same_hashes(ours->hashes, ti.info_hashes());
    const lt::file_storage& fs = ti.files();
    std::int64_t total = 0;
    std::size_t count = 0;
    for (const lt::file_index_t f : fs.file_range()) {
      if (fs.pad_file_at(f)) continue;
      total += fs.file_size(f);
      ++count;
    }
    EXPECT_EQ(ours->total_size, total);
    EXPECT_EQ(ours->file_count, count);
    EXPECT_EQ(ours->piece_length, ti.piece_length());
    EXPECT_EQ(ours->piece_count, ti.num_pieces());
  }
  std::printf("mutated info dicts: %d accepted by both, %d only by us, %d only by libtorrent\n",
              both, only_ours, only_theirs);
  EXPECT_GT(both, 0);
}

TEST(TorrentFile, MadeTorrentIsCanonicalBencode) {
  const std::string info =
      "d6:lengthi5e4:name1:x12:piece lengthi16384e6:pieces20:" + std::string(20, 'h') + "e";
  const std::string made = make_torrent_file(info, {"http://t/"}, {"http://w/"});
  EXPECT_EQ(made, "d8:announce9:http://t/13:announce-listll9:http://t/ee4:info" + info +
                      "8:url-listl9:http://w/ee");
  EXPECT_EQ(make_torrent_file(info, {}, {}), "d4:info" + info + "e");
}

TEST(TorrentFile, MagnetFromTorrentRoundTripsThroughOurParserAndLibtorrent) {
  for (Kind kind : {Kind::kV1, Kind::kV2, Kind::kHybrid}) {
    SCOPED_TRACE(kind_name(kind));
    TempDir dir;
    const Layout layout = layouts()[2];
    auto parsed =
        parse_torrent_file(make_lt_torrent(dir, layout.top, layout.files, kind, layout.piece_size));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message();
    const std::string uri = magnet_from_torrent(*parsed);

    auto m = magnet::parse_magnet(uri);
    ASSERT_TRUE(m.ok()) << m.error().message();
    EXPECT_EQ(m->hashes, parsed->info.hashes);
    EXPECT_EQ(m->display_name, "dir");
    EXPECT_EQ(m->trackers, kTrackers);
    EXPECT_EQ(m->web_seeds, kWebSeeds);

    lt::error_code ec;
    const lt::add_torrent_params p = lt::parse_magnet_uri(uri, ec);
    ASSERT_FALSE(ec) << ec.message();
    expect_same_hashes(parsed->info.hashes, p.info_hashes);
    EXPECT_EQ(p.name, "dir");
    EXPECT_EQ(p.trackers, kTrackers);
    EXPECT_EQ(p.url_seeds, kWebSeeds);
  }
}

TEST(TorrentFile, MagnetPrefersUtf8Name) {
  const std::string info =
      "d6:lengthi5e4:name1:x10:name.utf-83:\xc3\xa4y12:piece lengthi16384e"
      "6:pieces20:" +
      std::string(20, 'h') + "e";
  auto parsed = parse_torrent_file("d4:info" + info + "e");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  auto m = magnet::parse_magnet(magnet_from_torrent(*parsed));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->display_name, "\xc3\xa4y");
}

TEST(TorrentFile, FlattensTiersWithoutDuplicatesAndAcceptsStringUrlList) {
  const std::string info =
      "d6:lengthi5e4:name1:x12:piece lengthi16384e6:pieces20:" + std::string(20, 'h') + "e";
  const std::string bytes =
      "d8:announce3:t/a13:announce-listll3:t/a3:t/bel3:t/c0:3:t/bee"
      "13:creation datei1700000000e4:info" +
      info + "8:url-list4:ws/ae";
  auto parsed = parse_torrent_file(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(parsed->trackers, (std::vector<std::string>{"t/a", "t/b", "t/c"}));
  EXPECT_EQ(parsed->web_seeds, std::vector<std::string>{"ws/a"});
  EXPECT_EQ(parsed->creation_date, 1700000000);
  EXPECT_FALSE(parsed->comment);
  EXPECT_FALSE(parsed->piece_layers);
}

TEST(TorrentFile, IgnoresOptionalFieldsOfTheWrongType) {
  const std::string info =
      "d6:lengthi5e4:name1:x12:piece lengthi16384e6:pieces20:" + std::string(20, 'h') + "e";
  auto parsed = parse_torrent_file(
      "d8:announcei1e13:announce-listli1eli2eee7:comment"
      "i3e4:info" +
      info + "8:url-listi4ee");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_TRUE(parsed->trackers.empty());
  EXPECT_TRUE(parsed->web_seeds.empty());
  EXPECT_FALSE(parsed->comment);
}

TEST(TorrentFile, RejectsMissingOrBadInfoWithFileOffsets) {
  EXPECT_EQ(parse_torrent_file("le").error().code, make_error_code(Errc::kNotADict));
  EXPECT_EQ(parse_torrent_file("d8:announce3:t/ae").error().code,
            make_error_code(Errc::kMissingInfo));
  auto not_dict = parse_torrent_file("d4:infoi1ee");
  EXPECT_EQ(not_dict.error().code, make_error_code(Errc::kNotADict));
  EXPECT_EQ(not_dict.error().offset, 7u);
  // The bad piece length sits at offset 39 of the file (32 inside the info dict).
  const std::string bytes =
      "d4:infod6:lengthi5e4:name1:x12:piece lengthi0e6:pieces20:" + std::string(20, 'h') + "ee";
  auto bad = parse_torrent_file(bytes);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, make_error_code(Errc::kInvalidPieceLength));
  EXPECT_EQ(bad.error().offset, bytes.find("i0e"));
  auto layers = parse_torrent_file("d4:infod6:lengthi5e4:name1:x12:piece lengthi16384e6:pieces20:" +
                                   std::string(20, 'h') + "e12:piece layersi0ee");
  EXPECT_EQ(layers.error().code, make_error_code(Errc::kInvalidPieceLayers));
  EXPECT_EQ(parse_torrent_file("d4:info").error().code, bencode::Errc::kUnexpectedEnd);
}

}  // namespace
}  // namespace magnetar::metainfo
