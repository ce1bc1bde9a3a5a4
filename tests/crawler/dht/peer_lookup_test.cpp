// get_peers lookups: bounded in flight, ended by their deadline.
#include "crawler/dht/peer_lookup.hpp"

#include <gtest/gtest.h>

namespace magnetar::crawler::dht {
namespace {

using std::chrono::milliseconds;
const PeerLookup::TimePoint kT0 = PeerLookup::TimePoint{} + std::chrono::hours(1);

InfoHashV1 ih(std::uint8_t n) {
  std::array<std::uint8_t, 20> b{};
  b[0] = n;
  return InfoHashV1(b);
}

Endpoint peer(std::uint32_t ip, std::uint16_t port) { return {IpAddress::v4_from(ip), port}; }

TEST(PeerLookup, StartsNoMoreThanTheInFlightCap) {
  PeerLookupConfig c;
  c.max_in_flight = 2;
  PeerLookup l(c);
  for (std::uint8_t i = 0; i < 5; ++i) EXPECT_TRUE(l.request(ih(i)));
  EXPECT_EQ(l.start(kT0).size(), 2u);
  EXPECT_TRUE(l.start(kT0).empty());
  EXPECT_EQ(l.queued(), 3u);
}

TEST(PeerLookup, EndsAtTheDeadlineWithThePeersOfEveryReply) {
  PeerLookupConfig c;
  c.deadline = milliseconds(1'000);
  PeerLookup l(c);
  ASSERT_TRUE(l.request(ih(1)));
  ASSERT_EQ(l.start(kT0).size(), 1u);
  l.on_peers(ih(1), {peer(1, 10), peer(2, 20)});
  l.on_peers(ih(1), {peer(2, 20), peer(3, 30)});  // another node, one repeat
  EXPECT_TRUE(l.finished(kT0 + milliseconds(999)).empty());
  const auto done = l.finished(kT0 + milliseconds(1'000));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].info_hash, ih(1));
  EXPECT_EQ(done[0].peers, (std::vector<Endpoint>{peer(1, 10), peer(2, 20), peer(3, 30)}));
  EXPECT_EQ(l.in_flight(), 0u);
}

TEST(PeerLookup, ALookupWithNoReplyEndsEmpty) {
  PeerLookup l;
  ASSERT_TRUE(l.request(ih(1)));
  l.start(kT0);
  const auto done = l.finished(kT0 + std::chrono::hours(1));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_TRUE(done[0].peers.empty());
}

TEST(PeerLookup, EndsEarlyWithEnoughPeersAndFreesItsSlot) {
  PeerLookupConfig c;
  c.max_in_flight = 1;
  c.enough_peers = 2;
  PeerLookup l(c);
  ASSERT_TRUE(l.request(ih(1)));
  ASSERT_TRUE(l.request(ih(2)));
  ASSERT_EQ(l.start(kT0).size(), 1u);
  l.on_peers(ih(1), {peer(1, 1), peer(2, 2)});
  ASSERT_EQ(l.finished(kT0).size(), 1u);
  EXPECT_EQ(l.start(kT0), std::vector<InfoHashV1>{ih(2)});
}

TEST(PeerLookup, RefusesDuplicatesAndAFullQueue) {
  PeerLookupConfig c;
  c.max_queued = 2;
  PeerLookup l(c);
  EXPECT_TRUE(l.request(ih(1)));
  EXPECT_FALSE(l.request(ih(1)));
  EXPECT_TRUE(l.request(ih(2)));
  EXPECT_FALSE(l.request(ih(3)));
}

TEST(PeerLookup, KeepsAtMostMaxPeers) {
  PeerLookupConfig c;
  c.max_peers = 3;
  PeerLookup l(c);
  ASSERT_TRUE(l.request(ih(1)));
  l.start(kT0);
  std::vector<Endpoint> many;
  for (std::uint32_t i = 0; i < 10; ++i) many.push_back(peer(i, 1));
  l.on_peers(ih(1), many);
  EXPECT_EQ(l.finished(kT0 + std::chrono::hours(1))[0].peers.size(), 3u);
}

}  // namespace
}  // namespace magnetar::crawler::dht
