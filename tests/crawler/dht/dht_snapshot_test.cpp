// The saved DHT snapshot: exact bytes, round trip, corrupt input.
#include "crawler/dht/dht_snapshot.hpp"

#include <gtest/gtest.h>

#include "crawler/dht/dht_errors.hpp"

namespace magnetar::crawler::dht {
namespace {

DhtSnapshot sample_snapshot() {
  DhtSnapshot s;
  s.session_state = {'d', 'e'};
  NodeSchedule a;
  a.endpoint = Endpoint{IpAddress::v4_from(0x7f000001), 6881};
  a.id = NodeId::from_bytes(std::string(20, 'I'));
  a.num = 42;
  a.wait = std::chrono::seconds(300);
  NodeSchedule b;
  b.endpoint.ip.v6 = true;
  b.endpoint.ip.bytes[15] = 1;
  b.endpoint.port = 80;
  s.schedule = {a, b};
  return s;
}

TEST(DhtSnapshot, EncodesToExactBytes) {
  using namespace std::string_literals;
  const std::string expected = "d8:scheduleld1:a6:\x7f\x00\x00\x01\x1a\xe1"s +
                               "1:i20:IIIIIIIIIIIIIIIIIIII1:ni42e1:wi300ee"s + "d1:a18:"s +
                               std::string(15, '\0') + "\x01\x00\x50"s + "1:ni-1e1:wi0eee"s +
                               "7:session2:dee"s;
  EXPECT_EQ(encode_snapshot(sample_snapshot()), expected);
}

TEST(DhtSnapshot, RoundTrips) {
  const auto decoded = decode_snapshot(encode_snapshot(sample_snapshot()));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, sample_snapshot());
}

TEST(DhtSnapshot, RejectsCorruptBytesWithoutThrowing) {
  const std::string good = encode_snapshot(sample_snapshot());
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_FALSE(decode_snapshot(good.substr(0, cut))) << "cut at " << cut;
  }
  const auto wrong = decode_snapshot("d7:session0:8:scheduleld1:a3:abc1:ni1e1:wi0eeee");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, make_error_code(Errc::kSnapshotFormat));
  EXPECT_FALSE(decode_snapshot("le"));
  EXPECT_FALSE(decode_snapshot("d7:session0:e"));
}

TEST(DhtSnapshot, CapsAWaitAtTheLongestInterval) {
  DhtSnapshot s = sample_snapshot();
  s.schedule[0].wait = std::chrono::seconds(10'000'000);
  const auto decoded = decode_snapshot(encode_snapshot(s));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->schedule[0].wait, kMaxSampleInterval);
}

}  // namespace
}  // namespace magnetar::crawler::dht
