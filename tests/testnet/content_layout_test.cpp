#include "tests/testnet/content_layout.hpp"

#include <gtest/gtest.h>

#include <set>

#include "tests/testnet/rng.hpp"

namespace magnetar::testnet {
namespace {

constexpr ContentStyle kStyles[] = {ContentStyle::kSceneEpisode, ContentStyle::kSceneSeason,
                                    ContentStyle::kMovie,        ContentStyle::kMusicAlbum,
                                    ContentStyle::kDiscography,  ContentStyle::kSoftwareIso,
                                    ContentStyle::kSourceTree,   ContentStyle::kEbookCollection};

TEST(ContentLayout, PathsAreUniqueAndNoFolderSharesAFileName) {
  for (const ContentStyle style : kStyles) {
    for (const std::size_t want : {1u, 2u, 5u, 40u, 300u, 1000u}) {
      for (std::uint64_t seed = 0; seed < 5; ++seed) {
        const ContentLayout layout = make_layout(seed, style, want);
        SCOPED_TRACE(layout.name);
        std::set<std::string> files, folders;
        for (const auto& f : layout.files) {
          EXPECT_TRUE(files.insert(f.path).second) << "duplicate " << f.path;
          for (std::size_t slash = f.path.find('/'); slash != std::string::npos;
               slash = f.path.find('/', slash + 1)) {
            folders.insert(f.path.substr(0, slash));
          }
          EXPECT_TRUE(f.size > 0 || f.weight > 0) << f.path;
        }
        for (const auto& folder : folders) EXPECT_EQ(files.count(folder), 0u) << folder;
      }
    }
  }
}

TEST(ContentLayout, FileCountFollowsTheWishWithinTheStyle) {
  for (const ContentStyle style : kStyles) {
    const std::size_t most = max_file_count(style);
    EXPECT_GE(make_layout(1, style, 1).files.size(), 1u);
    // A few fixed extras (a licence, a bundle) may come on top of the wish.
    EXPECT_LE(make_layout(1, style, 100'000).files.size(), most + 2);
  }
  EXPECT_EQ(make_layout(3, ContentStyle::kSourceTree, 300).files.size(), 301u);
  EXPECT_EQ(make_layout(3, ContentStyle::kEbookCollection, 250).files.size(), 250u);
}

TEST(ContentLayout, SingleFileTorrentsAreNamedAfterTheirFile) {
  const ContentLayout layout = make_layout(4, ContentStyle::kSceneEpisode, 1);
  ASSERT_TRUE(layout.single_file);
  ASSERT_EQ(layout.files.size(), 1u);
  EXPECT_EQ(layout.files[0].path, layout.name);
  EXPECT_TRUE(layout.name.ends_with(".mkv"));
}

TEST(ContentLayout, NamesFollowTheirStyle) {
  const auto episode = make_layout(5, ContentStyle::kSceneEpisode, 3).name;
  EXPECT_EQ(episode.find(' '), std::string::npos) << episode;  // scene names use dots
  EXPECT_NE(episode.find(".S"), std::string::npos) << episode;
  EXPECT_NE(episode.find('-'), std::string::npos) << episode;  // -GROUP
  const auto album = make_layout(5, ContentStyle::kMusicAlbum, 12).name;
  EXPECT_NE(album.find(" - "), std::string::npos) << album;
  EXPECT_NE(album.find(") ["), std::string::npos) << album;
}

TEST(ContentLayout, SameArgumentsSameLayout) {
  const auto a = make_layout(6, ContentStyle::kDiscography, 120);
  const auto b = make_layout(6, ContentStyle::kDiscography, 120);
  ASSERT_EQ(a.files.size(), b.files.size());
  EXPECT_EQ(a.name, b.name);
  for (std::size_t i = 0; i < a.files.size(); ++i) EXPECT_EQ(a.files[i].path, b.files[i].path);
}

TEST(ContentLayout, NaturalCountsStayWithinTheStyle) {
  Rng rng(7);
  for (const ContentStyle style : kStyles) {
    for (int i = 0; i < 50; ++i) {
      const std::size_t n = natural_file_count(style, rng);
      EXPECT_GE(n, 1u);
      EXPECT_LE(n, max_file_count(style));
    }
  }
}

}  // namespace
}  // namespace magnetar::testnet
