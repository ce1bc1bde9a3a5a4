#include "crawler/pipeline/torrent_ids.hpp"

#include <gtest/gtest.h>

#include "common/sha.hpp"

namespace magnetar::crawler::pipeline {
namespace {

const std::string kPieces = "6:pieces20:" + std::string(20, 'p');
const std::string kV1 = "d6:lengthi1e4:name1:a12:piece lengthi16384e" + kPieces + "e";
const std::string kV2 =
    "d9:file treed1:ad0:d6:lengthi1eeee12:meta versioni2e4:name1:a12:piece lengthi16384ee";
const std::string kHybrid =
    "d9:file treed1:ad0:d6:lengthi1eeee6:lengthi1e12:meta versioni2e"
    "4:name1:a12:piece lengthi16384e" +
    kPieces + "e";

InfoHashV1 v1_of(const std::string& dict) { return InfoHashV1(sha1(dict)); }
InfoHashV1 v2_id_of(const std::string& dict) { return truncate(InfoHashV2(sha256(dict))); }

TEST(DhtIds, AV1TorrentHasItsSha1Only) { EXPECT_EQ(dht_ids(kV1), (std::vector{v1_of(kV1)})); }

TEST(DhtIds, AV2OnlyTorrentHasItsTruncatedSha256Only) {
  EXPECT_EQ(dht_ids(kV2), (std::vector{v2_id_of(kV2)}));
}

TEST(DhtIds, AHybridTorrentHasBothIdsV1First) {
  EXPECT_EQ(dht_ids(kHybrid), (std::vector{v1_of(kHybrid), v2_id_of(kHybrid)}));
}

TEST(DhtIds, MetaVersion1OrNoBencodeGivesNoV2Id) {
  const std::string v1_marked = "d12:meta versioni1e" + kPieces + "e";
  EXPECT_EQ(dht_ids(v1_marked), (std::vector{v1_of(v1_marked)}));
  EXPECT_TRUE(dht_ids("not bencode").empty());
  EXPECT_TRUE(dht_ids("li1ee").empty());
}

}  // namespace
}  // namespace magnetar::crawler::pipeline
