#include "tests/testnet/torrent_generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <libtorrent/torrent_info.hpp>
#include <map>
#include <set>

namespace magnetar::testnet {
namespace {

GeneratorOptions options(std::uint64_t seed, std::size_t count) {
  GeneratorOptions o;
  o.seed = seed;
  o.count = count;
  return o;
}

double mean_info_size(const std::vector<GeneratedTorrent>& torrents) {
  double sum = 0;
  for (const auto& t : torrents) sum += static_cast<double>(t.info_dict.size());
  return sum / static_cast<double>(torrents.size());
}

TEST(TorrentGenerator, SameSeedGivesByteIdenticalTorrents) {
  const auto a = generate_torrents(options(42, 12));
  const auto b = generate_torrents(options(42, 12));
  ASSERT_EQ(a.size(), 12u);
  ASSERT_EQ(b.size(), 12u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].info_dict, b[i].info_dict);
    EXPECT_EQ(a[i].torrent_file, b[i].torrent_file);
    EXPECT_EQ(a[i].info_hashes, b[i].info_hashes);
  }
}

TEST(TorrentGenerator, DifferentSeedsGiveDifferentTorrents) {
  const auto a = generate_torrents(options(1, 6));
  const auto b = generate_torrents(options(2, 6));
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NE(a[i].info_hashes, b[i].info_hashes);
}

TEST(TorrentGenerator, LongerListStartsWithTheShorterOne) {
  const auto shorter = generate_torrents(options(7, 5));
  const auto longer = generate_torrents(options(7, 9));
  for (std::size_t i = 0; i < shorter.size(); ++i) {
    EXPECT_EQ(shorter[i].info_dict, longer[i].info_dict);
  }
}

TEST(TorrentGenerator, LibtorrentParsesEveryTorrentAndAgreesOnInfohashesAndInfoDict) {
  const auto torrents = generate_torrents(options(3, 30));
  for (const auto& t : torrents) {
    SCOPED_TRACE(t.name);
    lt::error_code ec;
    const lt::torrent_info ti(
        lt::span<const char>(t.torrent_file.data(),
                             static_cast<std::ptrdiff_t>(t.torrent_file.size())),
        ec, lt::from_span);
    ASSERT_FALSE(ec) << ec.message();
    const auto section = ti.info_section();
    EXPECT_EQ(std::string(section.data(), static_cast<std::size_t>(section.size())), t.info_dict);
    const lt::info_hash_t ih = ti.info_hashes();
    EXPECT_EQ(ih.has_v1(), t.version != TorrentVersion::kV2);
    EXPECT_EQ(ih.has_v2(), t.version != TorrentVersion::kV1);
    if (t.info_hashes.v1) {
      EXPECT_EQ(std::string(ih.v1.data(), 20), std::string(t.info_hashes.v1->view()));
    }
    if (t.info_hashes.v2) {
      EXPECT_EQ(std::string(ih.v2.data(), 32), std::string(t.info_hashes.v2->view()));
    }
    EXPECT_EQ(ti.name(), t.name);
    EXPECT_EQ(ti.num_pieces(), t.piece_count);
    EXPECT_EQ(ti.piece_length(), t.piece_length);
    EXPECT_FALSE(ti.priv()) << "private torrents never use the DHT (BEP 27)";
    std::size_t files = 0;
    std::int64_t content = 0;
    for (const auto f : ti.files().file_range()) {
      if (ti.files().pad_file_at(f)) continue;
      ++files;
      content += ti.files().file_size(f);
    }
    EXPECT_EQ(files, t.file_count);
    EXPECT_EQ(content, t.total_size);
  }
}

TEST(TorrentGenerator, InfoDictsAverageTheTargetSizeAndSpanOneToFourMetadataPieces) {
  GeneratorOptions o = options(11, 300);
  o.average_info_size = 18'000;
  const auto torrents = generate_torrents(o);
  EXPECT_NEAR(mean_info_size(torrents), 18'000, 18'000 * 0.08);
  std::map<std::size_t, int> by_pieces;
  for (const auto& t : torrents) {
    EXPECT_LE(t.info_dict.size(), 4 * kMetadataPieceSize) << t.name;
    ++by_pieces[t.metadata_pieces()];
  }
  EXPECT_GT(by_pieces[1], 0);
  EXPECT_GT(by_pieces[2], 0);
  EXPECT_GT(by_pieces[3] + by_pieces[4], 0);
  EXPECT_EQ(by_pieces.count(5), 0u);
}

TEST(TorrentGenerator, SmallerAverageGivesSmallerInfoDicts) {
  GeneratorOptions o = options(12, 120);
  o.average_info_size = 4'000;
  EXPECT_NEAR(mean_info_size(generate_torrents(o)), 4'000, 4'000 * 0.1);
}

TEST(TorrentGenerator, EachVersionReachesItsTargetSize) {
  for (const auto version : {TorrentVersion::kV1, TorrentVersion::kV2, TorrentVersion::kHybrid}) {
    for (const std::size_t target : {3'000u, 15'000u, 40'000u, 60'000u}) {
      const auto t = generate_torrent(target * 31 + static_cast<int>(version), version, target,
                                      4 * kMetadataPieceSize);
      SCOPED_TRACE(std::string(to_string(version)) + " " + std::to_string(target) + " " + t.name);
      EXPECT_LE(t.info_dict.size(), 4 * kMetadataPieceSize);
      EXPECT_NEAR(static_cast<double>(t.info_dict.size()), static_cast<double>(target),
                  static_cast<double>(target) * 0.1);
    }
  }
}

TEST(TorrentGenerator, VersionsRotateByWeight) {
  const auto torrents = generate_torrents(options(5, 20));
  std::map<TorrentVersion, int> count;
  for (const auto& t : torrents) ++count[t.version];
  EXPECT_EQ(count[TorrentVersion::kV1], 7);
  EXPECT_EQ(count[TorrentVersion::kV2], 7);
  EXPECT_EQ(count[TorrentVersion::kHybrid], 6);

  const VersionMix only_v1_and_hybrid{2, 0, 1};
  EXPECT_EQ(only_v1_and_hybrid.at(0), TorrentVersion::kV1);
  EXPECT_EQ(only_v1_and_hybrid.at(1), TorrentVersion::kHybrid);
  EXPECT_EQ(only_v1_and_hybrid.at(2), TorrentVersion::kV1);
  EXPECT_EQ(only_v1_and_hybrid.at(3), TorrentVersion::kV1);
  const VersionMix only_v2{0, 1, 0};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(only_v2.at(i), TorrentVersion::kV2);
}

TEST(TorrentGenerator, TorrentsLookLikeRealOnes) {
  const auto torrents = generate_torrents(options(9, 200));
  std::set<std::string> names;
  std::size_t single_file = 0, many_files = 0, nested = 0;
  for (const auto& t : torrents) {
    names.insert(t.name);
    EXPECT_FALSE(t.name.empty());
    EXPECT_GE(t.file_count, 1u);
    EXPECT_LE(t.file_count, 1'000u);
    // BEP 3: piece length a power of two; BEP 52: at least 16 KiB.
    EXPECT_EQ(t.piece_length & (t.piece_length - 1), 0) << t.name;
    EXPECT_GE(t.piece_length, 16 * 1024);
    EXPECT_GE(t.piece_count, 1);
    single_file += t.file_count == 1;
    many_files += t.file_count >= 100;
    lt::error_code ec;
    const lt::torrent_info ti(t.torrent_file.data(), static_cast<int>(t.torrent_file.size()), ec);
    ASSERT_FALSE(ec);
    for (const auto f : ti.files().file_range()) {
      const std::string path = ti.files().file_path(f);
      if (std::count(path.begin(), path.end(), '/') >= 3) {
        ++nested;
        break;
      }
    }
  }
  EXPECT_GT(names.size(), 190u) << "names repeat too often";
  EXPECT_GT(single_file, 0u);
  EXPECT_GT(many_files, 0u);
  EXPECT_GT(nested, 0u);
}

TEST(TorrentGenerator, MagnetCarriesEveryInfohashAndTheName) {
  const auto torrents = generate_torrents(options(4, 3));
  for (const auto& t : torrents) {
    const std::string m = t.magnet();
    EXPECT_EQ(m.find("xt=urn:btih:") != std::string::npos, t.info_hashes.v1.has_value());
    EXPECT_EQ(m.find("xt=urn:btmh:1220") != std::string::npos, t.info_hashes.v2.has_value());
    EXPECT_NE(m.find("&dn="), std::string::npos);
  }
}

}  // namespace
}  // namespace magnetar::testnet
