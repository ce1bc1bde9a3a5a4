// Rendezvous assignment of pins to keepers (rpc/hub/pin_assignment.hpp).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "rpc/hub/pin_assignment.hpp"

namespace magnetar::rpc {
namespace {

std::vector<InfoHashV1> ids(std::size_t n) {
  std::vector<InfoHashV1> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::array<std::uint8_t, 20> b{};
    for (std::size_t k = 0; k < 20; ++k)
      b[k] = static_cast<std::uint8_t>((i * 131 + k * 7) >> (k % 3));
    b[0] = static_cast<std::uint8_t>(i);
    b[1] = static_cast<std::uint8_t>(i >> 8);
    out.emplace_back(b);
  }
  return out;
}

TEST(KeeperAssignment, WeightsAreFixedAcrossBuildsAndPlatforms) {
  // Every hub must compute the same assignment: the seed and weight are
  // pinned to exact values.
  EXPECT_EQ(rendezvous_seed("node-a"), rendezvous_seed("node-a"));
  EXPECT_NE(rendezvous_seed("node-a"), rendezvous_seed("node-b"));
  // SHA-1("abc") = a9993e36 4706816a ...: the seed is its first 8 bytes.
  EXPECT_EQ(rendezvous_seed("abc"), 0xa9993e364706816aULL);
  const auto id = *InfoHashV1::from_hex("0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ(rendezvous_weight(1, id), rendezvous_weight(1, id));
  EXPECT_NE(rendezvous_weight(1, id), rendezvous_weight(2, id));
}

TEST(KeeperAssignment, EachPinGoesToReplicationDistinctNodesAndTheLoadIsSpread) {
  const PinAssignment a({"k1", "k2", "k3"}, 2);
  std::map<std::string, int> load;
  for (const auto& id : ids(3000)) {
    const auto keepers = a.keepers_of(id);
    ASSERT_EQ(keepers.size(), 2u);
    EXPECT_NE(keepers[0], keepers[1]);
    for (const auto& k : keepers) {
      ++load[k];
      EXPECT_TRUE(a.keeps(k, id));
    }
    for (const auto& n : a.nodes())
      if (n != keepers[0] && n != keepers[1]) {
        EXPECT_FALSE(a.keeps(n, id));
      }
  }
  // 6000 placements over 3 nodes: each near 2000.
  for (const auto& [node, n] : load) EXPECT_NEAR(n, 2000, 200) << node;
}

TEST(KeeperAssignment, PinsOfANodeAreExactlyThoseWhoseKeepersNameIt) {
  const PinAssignment a({"k3", "k1", "k2", "k1"}, 2);  // order and duplicates do not matter
  EXPECT_EQ(a.nodes(), (std::vector<std::string>{"k1", "k2", "k3"}));
  const auto all = ids(500);
  std::set<InfoHashV1> covered;
  for (const auto& n : a.nodes()) {
    for (const auto& id : a.pins_of(n, all)) {
      const auto k = a.keepers_of(id);
      EXPECT_TRUE(std::find(k.begin(), k.end(), n) != k.end());
      covered.insert(id);
    }
  }
  EXPECT_EQ(covered.size(), all.size());
  EXPECT_TRUE(a.pins_of("unknown", all).empty());
}

TEST(KeeperAssignment, WhenANodeLeavesOnlyItsPinsMove) {
  const PinAssignment before({"k1", "k2", "k3", "k4"}, 2);
  const PinAssignment after({"k1", "k2", "k4"}, 2);
  for (const auto& id : ids(1000)) {
    const auto b = before.keepers_of(id);
    const auto c = after.keepers_of(id);
    // A surviving keeper of the pin keeps it.
    for (const auto& k : b)
      if (k != "k3") {
        EXPECT_TRUE(std::find(c.begin(), c.end(), k) != c.end());
      }
  }
}

TEST(KeeperAssignment, FewerNodesThanReplicationGivesEveryNodeEveryPin) {
  const PinAssignment one({"solo"}, 2);
  const auto all = ids(50);
  EXPECT_EQ(one.pins_of("solo", all).size(), all.size());
  EXPECT_EQ(one.keepers_of(all[0]), std::vector<std::string>{"solo"});
  const PinAssignment none({}, 2);
  EXPECT_TRUE(none.keepers_of(all[0]).empty());
}

}  // namespace
}  // namespace magnetar::rpc
