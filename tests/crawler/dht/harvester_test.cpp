// Harvesting: announces and lookups we receive become candidates, once each.
#include "crawler/dht/harvester.hpp"

#include <gtest/gtest.h>

namespace magnetar::crawler::dht {
namespace {

InfoHashV1 ih(std::uint8_t n) {
  std::array<std::uint8_t, 20> b{};
  b[5] = n;
  return InfoHashV1(b);
}

TEST(Harvester, AnAnnounceIsACandidateWithItsPeer) {
  Harvester h;
  const Endpoint peer{IpAddress::v4_from(0x7f000005), 51413};
  const auto d = h.on_announce(ih(1), peer);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->info_hash, ih(1));
  EXPECT_EQ(d->source, Source::kAnnounce);
  EXPECT_EQ(d->peer, peer);
  EXPECT_FALSE(h.on_announce(ih(1), peer));  // once
  EXPECT_EQ(h.stats().announces, 2u);
}

TEST(Harvester, AnAnnounceOfPortZeroHasNoPeer) {
  Harvester h;
  const auto d = h.on_announce(ih(1), Endpoint{IpAddress::v4_from(0x7f000005), 0});
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->peer);
}

TEST(Harvester, ALookupIsACandidateMarkedByItsSource) {
  Harvester h;
  const auto d = h.on_get_peers(ih(2));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->source, Source::kGetPeers);
  EXPECT_FALSE(h.on_get_peers(ih(2)));
  // Seen as a lookup does not hide an announce of it.
  EXPECT_TRUE(h.on_announce(ih(2), Endpoint{IpAddress::v4_from(1), 1}));
}

TEST(Harvester, DisabledSourcesYieldNothing) {
  HarvesterConfig c;
  c.announces = false;
  c.lookups = false;
  Harvester h(c);
  EXPECT_FALSE(h.on_announce(ih(1), Endpoint{IpAddress::v4_from(1), 1}));
  EXPECT_FALSE(h.on_get_peers(ih(1)));
}

}  // namespace
}  // namespace magnetar::crawler::dht
