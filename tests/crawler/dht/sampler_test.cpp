// The BEP 51 sampling policy on a fake clock: intervals, per-IP rate,
// dead and spoofing nodes, frontier bound, deduplication, node choice.
#include "crawler/dht/sampler.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace magnetar::crawler::dht {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Endpoint ep(std::uint32_t ip, std::uint16_t port = 6881) {
  return Endpoint{IpAddress::v4_from(ip), port};
}

NodeId id_of(std::uint32_t n) {
  std::array<std::uint8_t, 20> b{};
  b[0] = 0xAA;
  b[16] = static_cast<std::uint8_t>(n >> 24);
  b[17] = static_cast<std::uint8_t>(n >> 16);
  b[18] = static_cast<std::uint8_t>(n >> 8);
  b[19] = static_cast<std::uint8_t>(n);
  return NodeId(b);
}

InfoHashV1 ih_of(std::uint32_t n) {
  std::array<std::uint8_t, 20> b{};
  b[0] = static_cast<std::uint8_t>(n >> 24);
  b[1] = static_cast<std::uint8_t>(n >> 16);
  b[2] = static_cast<std::uint8_t>(n >> 8);
  b[3] = static_cast<std::uint8_t>(n);
  b[19] = 0x55;
  return InfoHashV1(b);
}

SampleReply reply_from(const Endpoint& from, NodeId id, std::vector<InfoHashV1> samples,
                       std::int64_t num, seconds interval = seconds(0)) {
  SampleReply r;
  r.endpoint = from;
  r.node_id = id;
  r.samples = std::move(samples);
  r.num = num;
  r.interval = interval;
  return r;
}

const TimePoint kT0 = TimePoint{} + std::chrono::hours(1);

TEST(Sampler, AsksANewContactAtOnceWithATarget) {
  Sampler s;
  s.learn(ep(0x7f000001), id_of(1), kT0);
  const auto req = s.next(kT0);
  ASSERT_TRUE(req);
  EXPECT_EQ(req->endpoint, ep(0x7f000001));
  EXPECT_EQ(s.in_flight(), 1u);
  EXPECT_FALSE(s.next(kT0));  // nothing else to ask
}

TEST(Sampler, DropsContactsOnLocalAddressesWhenAskedTo) {
  SamplerConfig c;
  c.drop_local_addresses = true;
  Sampler s(c);
  s.learn(ep(0x7f000001), id_of(1), kT0);  // 127.0.0.1
  s.learn(ep(0x0a000001), id_of(2), kT0);  // 10.0.0.1
  s.learn(ep(0xc0a80101), id_of(3), kT0);  // 192.168.1.1
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.stats().rejected_contacts, 3u);
  s.learn(ep(0x08080808), id_of(4), kT0);  // 8.8.8.8
  const auto req = s.next(kT0);
  ASSERT_TRUE(req);
  EXPECT_EQ(req->endpoint, ep(0x08080808));
}

TEST(Sampler, HonoursTheIntervalOfAReply) {
  SamplerConfig c;
  c.min_expected_yield = 0;
  Sampler s(c);
  const auto a = ep(0x7f000001);
  s.learn(a, std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  std::vector<InfoHashV1> samples;
  for (std::uint32_t i = 0; i < 20; ++i) samples.push_back(ih_of(i));
  s.on_reply(reply_from(a, id_of(1), samples, 500, seconds(60)), kT0);
  EXPECT_FALSE(s.next(kT0 + seconds(59)));
  EXPECT_TRUE(s.next(kT0 + seconds(60)));
}

TEST(Sampler, CapsAnIntervalAtSixHours) {
  SamplerConfig c;
  c.min_expected_yield = 0;
  Sampler s(c);
  const auto a = ep(0x7f000001);
  s.learn(a, std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  s.on_reply(reply_from(a, id_of(1), {ih_of(1), ih_of(2)}, 500, seconds(10'000'000)), kT0);
  EXPECT_FALSE(s.next(kT0 + kMaxSampleInterval - seconds(1)));
  EXPECT_TRUE(s.next(kT0 + kMaxSampleInterval));
}

TEST(Sampler, SendsAtMostFivePacketsPerSecondToOneIp) {
  SamplerConfig c;
  c.min_expected_yield = 0;
  c.max_nodes_per_ip = 100;
  Sampler s(c);
  for (std::uint16_t port = 1; port <= 20; ++port) s.learn(ep(0x0a000001, port), std::nullopt, kT0);
  int sent = 0;
  while (s.next(kT0 + milliseconds(sent))) ++sent;
  EXPECT_EQ(sent, kMaxPacketsPerIpPerSecond);
  EXPECT_FALSE(s.next(kT0 + milliseconds(999)));
  EXPECT_TRUE(s.next(kT0 + seconds(1)));
  EXPECT_GT(s.stats().rate_limited, 0u);
}

TEST(Sampler, RateLimitOfOneIpDoesNotHoldBackOthers) {
  SamplerConfig c;
  c.max_nodes_per_ip = 100;
  Sampler s(c);
  for (std::uint16_t port = 1; port <= 10; ++port) s.learn(ep(0x0a000001, port), std::nullopt, kT0);
  s.learn(ep(0x0a000002), std::nullopt, kT0);
  std::set<Endpoint> asked;
  while (const auto r = s.next(kT0)) asked.insert(r->endpoint);
  EXPECT_EQ(asked.size(), static_cast<std::size_t>(kMaxPacketsPerIpPerSecond) + 1);
  EXPECT_TRUE(asked.contains(ep(0x0a000002)));
}

TEST(Sampler, DropsANodeThatTimesOutTwice) {
  SamplerConfig c;
  c.request_timeout = seconds(5);
  c.retry_after_timeout = seconds(10);
  c.max_failures = 2;
  Sampler s(c);
  const auto a = ep(0x7f000001);
  s.learn(a, std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  s.expire(kT0 + seconds(4));
  EXPECT_EQ(s.in_flight(), 1u);
  s.expire(kT0 + seconds(5));
  EXPECT_EQ(s.in_flight(), 0u);
  EXPECT_TRUE(s.knows(a));
  EXPECT_FALSE(s.next(kT0 + seconds(14)));  // retry waits
  ASSERT_TRUE(s.next(kT0 + seconds(15)));
  s.expire(kT0 + seconds(20));
  EXPECT_FALSE(s.knows(a));
  EXPECT_EQ(s.stats().timeouts, 2u);
  EXPECT_EQ(s.stats().dropped_dead, 1u);
}

TEST(Sampler, AReplyResetsTheFailureCount) {
  SamplerConfig c;
  c.max_failures = 2;
  c.min_expected_yield = 0;
  c.retry_after_timeout = seconds(1);
  Sampler s(c);
  const auto a = ep(0x7f000001);
  s.learn(a, std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  s.expire(kT0 + seconds(10));
  ASSERT_TRUE(s.next(kT0 + seconds(11)));
  s.on_reply(reply_from(a, id_of(1), {ih_of(1)}, 100), kT0 + seconds(11));
  ASSERT_TRUE(s.next(kT0 + seconds(12)));
  s.expire(kT0 + seconds(30));
  EXPECT_TRUE(s.knows(a));
}

TEST(Sampler, DropsAnEndpointWhoseReplyChangesItsId) {
  SamplerConfig c;
  c.min_expected_yield = 0;
  Sampler s(c);
  const auto a = ep(0x7f000001);
  s.learn(a, std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  EXPECT_EQ(s.on_reply(reply_from(a, id_of(1), {ih_of(1)}, 100), kT0).size(), 1u);
  ASSERT_TRUE(s.next(kT0));
  EXPECT_TRUE(s.on_reply(reply_from(a, id_of(2), {ih_of(2)}, 100), kT0).empty());
  EXPECT_FALSE(s.knows(a));
  EXPECT_EQ(s.stats().dropped_spoofing, 1u);
}

TEST(Sampler, BansAnIpAnsweringWithTooManyIds) {
  SamplerConfig c;
  c.max_ids_per_ip = 3;
  Sampler s(c);
  for (std::uint16_t port = 1; port <= 4; ++port) {
    s.learn(ep(0x0a000001, port), std::nullopt, kT0);
  }
  for (std::uint16_t port = 1; port <= 4; ++port) {
    s.on_reply(reply_from(ep(0x0a000001, port), id_of(port), {ih_of(port)}, 100), kT0);
  }
  for (std::uint16_t port = 1; port <= 4; ++port) EXPECT_FALSE(s.knows(ep(0x0a000001, port)));
  EXPECT_EQ(s.stats().banned_ips, 1u);
  s.learn(ep(0x0a000001, 99), std::nullopt, kT0);
  EXPECT_FALSE(s.knows(ep(0x0a000001, 99)));  // stays banned
}

TEST(Sampler, AClaimByAThirdPartyDoesNotOverrideAVerifiedId) {
  SamplerConfig c;
  c.min_expected_yield = 0;
  Sampler s(c);
  const auto a = ep(0x7f000001);
  s.learn(a, std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  s.on_reply(reply_from(a, id_of(1), {ih_of(1)}, 100), kT0);
  s.learn(a, id_of(7), kT0);  // someone's `nodes` says otherwise
  EXPECT_TRUE(s.knows(a));
  ASSERT_TRUE(s.next(kT0));
  EXPECT_EQ(s.on_reply(reply_from(a, id_of(1), {ih_of(2)}, 100), kT0).size(), 1u);
}

TEST(Sampler, KeepsTheFrontierWithinItsCapEvictingTheLeastRecent) {
  SamplerConfig c;
  c.max_nodes = 100;
  Sampler s(c);
  for (std::uint32_t i = 0; i < 1'000; ++i) s.learn(ep(0x0a000000 + i), std::nullopt, kT0);
  EXPECT_EQ(s.size(), 100u);
  EXPECT_EQ(s.stats().evicted, 900u);
  EXPECT_TRUE(s.knows(ep(0x0a000000 + 999)));
  EXPECT_FALSE(s.knows(ep(0x0a000000)));
}

TEST(Sampler, PerIpStateStaysWithinTheFrontier) {
  SamplerConfig c;
  c.max_nodes = 50;
  c.min_expected_yield = 0;
  Sampler s(c);
  for (std::uint32_t i = 0; i < 2'000; ++i) {
    const auto e = ep(0x0e000000 + i);
    s.learn(e, std::nullopt, kT0);
    if (s.next(kT0)) s.on_reply(reply_from(e, id_of(i), {ih_of(i)}, 100), kT0);
  }
  EXPECT_LE(s.size(), 50u);
  EXPECT_LE(s.tracked_ips(), s.size());
}

TEST(Sampler, NeverEvictsANodeAwaitingAReply) {
  SamplerConfig c;
  c.max_nodes = 2;
  Sampler s(c);
  s.learn(ep(1), std::nullopt, kT0);
  s.learn(ep(2), std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  ASSERT_TRUE(s.next(kT0));
  s.learn(ep(3), std::nullopt, kT0);
  EXPECT_TRUE(s.knows(ep(1)));
  EXPECT_TRUE(s.knows(ep(2)));
  EXPECT_FALSE(s.knows(ep(3)));
}

TEST(Sampler, LearnsTheNodesOfEveryReply) {
  Sampler s;
  const auto a = ep(0x7f000001);
  s.learn(a, std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  SampleReply r = reply_from(a, id_of(1), {}, 0);
  for (std::uint32_t i = 2; i < 10; ++i) r.nodes.push_back(Contact{id_of(i), ep(0x7f000000 + i)});
  s.on_reply(r, kT0);
  EXPECT_EQ(s.size(), 9u);
  std::set<Endpoint> asked;
  while (const auto q = s.next(kT0)) asked.insert(q->endpoint);
  EXPECT_EQ(asked.size(), 8u);
}

TEST(Sampler, EmitsEachInfohashOnceWithItsSource) {
  SamplerConfig c;
  c.min_expected_yield = 0;
  Sampler s(c);
  const auto a = ep(0x7f000001);
  s.learn(a, std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  auto found = s.on_reply(reply_from(a, id_of(1), {ih_of(1), ih_of(2), ih_of(1)}, 100), kT0);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].info_hash, ih_of(1));
  EXPECT_EQ(found[0].source, Source::kSample);
  EXPECT_EQ(found[0].from, a);
  EXPECT_EQ(found[1].info_hash, ih_of(2));
  ASSERT_TRUE(s.next(kT0));
  found = s.on_reply(reply_from(a, id_of(1), {ih_of(2), ih_of(3)}, 100), kT0);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].info_hash, ih_of(3));
}

TEST(Sampler, DoesNotAskAgainANodeThatReturnedItsWholeSet) {
  SamplerConfig c;
  c.revisit_after = seconds(600);
  Sampler s(c);
  const auto a = ep(0x7f000001);
  s.learn(a, std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  s.on_reply(reply_from(a, id_of(1), {ih_of(1), ih_of(2), ih_of(3)}, 3), kT0);
  EXPECT_FALSE(s.next(kT0 + seconds(1)));
  EXPECT_FALSE(s.next(kT0 + seconds(599)));
  EXPECT_TRUE(s.next(kT0 + seconds(600)));
}

TEST(Sampler, PrefersTheNodeWithMoreUnseenInfohashes) {
  // Two nodes with interval 0: a's samples were all seen already, b's were
  // all new. The next pick is b.
  SamplerConfig c;
  c.min_expected_yield = 0;
  Sampler s(c);
  const auto a = ep(0x7f000001);
  const auto b = ep(0x7f000002);
  s.learn(a, std::nullopt, kT0);
  s.learn(b, std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  ASSERT_TRUE(s.next(kT0));
  std::vector<InfoHashV1> first, second;
  for (std::uint32_t i = 0; i < 20; ++i) first.push_back(ih_of(i));
  for (std::uint32_t i = 100; i < 120; ++i) second.push_back(ih_of(i));
  s.on_reply(reply_from(b, id_of(2), second, 1'000), kT0);
  s.on_reply(reply_from(a, id_of(1), first, 1'000), kT0);
  ASSERT_TRUE(s.next(kT0));
  ASSERT_TRUE(s.next(kT0));
  s.on_reply(reply_from(a, id_of(1), first, 1'000), kT0);  // nothing new from a
  std::vector<InfoHashV1> third;
  for (std::uint32_t i = 200; i < 220; ++i) third.push_back(ih_of(i));
  s.on_reply(reply_from(b, id_of(2), third, 1'000), kT0);
  const auto pick = s.next(kT0);
  ASSERT_TRUE(pick);
  EXPECT_EQ(pick->endpoint, b);
}

TEST(Sampler, FavoursASmallNodeOverALargeOneAtTheSameNewFraction) {
  // Equal fractions of new samples; a has 10 infohashes (a sample covers
  // all of them), b 1000. Per request, b still returns more: 20 vs 10.
  // The order follows expected unseen infohashes per request.
  SamplerConfig c;
  c.min_expected_yield = 0;
  Sampler s(c);
  const auto a = ep(0x7f000001);
  const auto b = ep(0x7f000002);
  s.learn(a, std::nullopt, kT0);
  s.learn(b, std::nullopt, kT0);
  ASSERT_TRUE(s.next(kT0));
  ASSERT_TRUE(s.next(kT0));
  std::vector<InfoHashV1> sa, sb;
  for (std::uint32_t i = 0; i < 5; ++i) sa.push_back(ih_of(i));
  for (std::uint32_t i = 100; i < 120; ++i) sb.push_back(ih_of(i));
  s.on_reply(reply_from(a, id_of(1), sa, 10), kT0);
  s.on_reply(reply_from(b, id_of(2), sb, 1'000), kT0);
  const auto pick = s.next(kT0);
  ASSERT_TRUE(pick);
  EXPECT_EQ(pick->endpoint, b);
}

TEST(Sampler, KeyspaceCursorTargetsSpreadOverPrefixes) {
  SamplerConfig c;
  c.target_mode = TargetMode::kKeyspaceCursor;
  Sampler s(c);
  std::set<std::uint8_t> prefixes;
  for (std::uint32_t i = 0; i < 64; ++i) s.learn(ep(0x0b000000 + i), std::nullopt, kT0);
  while (const auto r = s.next(kT0)) prefixes.insert(r->target.bytes()[0] >> 4);
  EXPECT_EQ(prefixes.size(), 16u);
}

TEST(Sampler, ScheduleSurvivesARestore) {
  SamplerConfig c;
  c.min_expected_yield = 0;
  Sampler s(c);
  const auto a = ep(0x7f000001);
  const auto b = ep(0x7f000002);
  s.learn(a, std::nullopt, kT0);
  s.learn(b, id_of(2), kT0);
  ASSERT_TRUE(s.next(kT0));
  s.on_reply(reply_from(a, id_of(1), {ih_of(1)}, 50, seconds(300)), kT0);
  const auto saved = s.schedule(kT0 + seconds(100));
  ASSERT_EQ(saved.size(), 2u);

  const TimePoint later = kT0 + std::chrono::hours(5);
  Sampler t(c);
  t.restore(saved, later);
  EXPECT_EQ(t.size(), 2u);
  // a still has 200 s to wait; b is due now.
  const auto first = t.next(later);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->endpoint, b);
  EXPECT_FALSE(t.next(later + seconds(199)));
  const auto second = t.next(later + seconds(200));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->endpoint, a);
}

TEST(Sampler, NeverSamplesItself) {
  Sampler s;
  s.set_own_id(id_of(42));
  s.learn(ep(0x7f000009), id_of(42), kT0);
  EXPECT_FALSE(s.knows(ep(0x7f000009)));
  s.learn(ep(0x7f000009), id_of(43), kT0);
  EXPECT_TRUE(s.knows(ep(0x7f000009)));
}

TEST(Sampler, KeepsToTheOverallRequestRate) {
  SamplerConfig c;
  c.max_requests_per_second = 10;
  c.max_in_flight = 1'000;
  Sampler s(c);
  for (std::uint32_t i = 0; i < 100; ++i) s.learn(ep(0x0d000000 + i), std::nullopt, kT0);
  int sent = 0;
  while (s.next(kT0)) ++sent;
  EXPECT_EQ(sent, 10);  // a second's burst
  EXPECT_FALSE(s.next(kT0 + milliseconds(50)));
  EXPECT_TRUE(s.next(kT0 + milliseconds(100)));
  EXPECT_GT(s.stats().throttled, 0u);
}

TEST(Sampler, RespectsTheInFlightCap) {
  SamplerConfig c;
  c.max_in_flight = 3;
  Sampler s(c);
  for (std::uint32_t i = 0; i < 10; ++i) s.learn(ep(0x0c000000 + i), std::nullopt, kT0);
  int sent = 0;
  while (s.next(kT0)) ++sent;
  EXPECT_EQ(sent, 3);
}

}  // namespace
}  // namespace magnetar::crawler::dht
