#include "bench/corpus/relation_sizes.hpp"

#include <gtest/gtest.h>

namespace magnetar::bench {
namespace {

std::vector<RelationSize> sample_sizes() {
  return {{"torrent_files", 600, 100, 300, 1000},
          {"torrents", 400, 350, 50, 800},
          {std::string(kUncountedRelation), 100, 50, 50, 200}};
}

TEST(RelationSizes, BytesPerTorrentCountsEveryRelationButTheRawInfoDicts) {
  EXPECT_DOUBLE_EQ(bytes_per_torrent(sample_sizes(), 4), (1000.0 + 800.0) / 4);
}

TEST(RelationSizes, TableHasAHeaderAndARowPerRelationWithTheUncountedOneMarked) {
  EXPECT_EQ(format_relation_sizes(sample_sizes(), 4),
            "\n"
            "relation                         heap        indexes          toast          total"
            "  B/torrent\n"
            "torrent_files                     600            100            300           1000"
            "      250.0\n"
            "torrents                          400            350             50            800"
            "      200.0\n"
            "torrent_info_dicts                100             50             50            200"
            "       50.0  (not counted)\n");
}

TEST(RelationSizes, TableOfNoRelationsIsTheHeaderAlone) {
  EXPECT_EQ(format_relation_sizes({}, 1),
            "\nrelation                         heap        indexes          toast          total"
            "  B/torrent\n");
}

}  // namespace
}  // namespace magnetar::bench
