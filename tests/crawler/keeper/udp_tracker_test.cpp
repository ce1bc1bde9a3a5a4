#include "crawler/keeper/udp_tracker.hpp"

#include <gtest/gtest.h>

#include "common/codec.hpp"
#include "crawler/keeper/tracker_errors.hpp"

namespace magnetar::crawler::keeper {
namespace {

std::string bytes(std::string_view hex) { return *from_hex(hex); }

TEST(UdpTracker, ConnectRequestBytes) {
  EXPECT_EQ(to_hex(encode_udp_connect(0x01020304)),
            "0000041727101980"
            "00000000"
            "01020304");
}

TEST(UdpTracker, ConnectReplyGivesTheConnectionId) {
  const auto id = parse_udp_connect_reply(bytes("00000000"
                                                "01020304"
                                                "1122334455667788"),
                                          0x01020304);
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, 0x1122334455667788ull);
}

TEST(UdpTracker, ConnectReplyErrors) {
  const auto code = [](std::string_view hex, std::uint32_t tid = 1) {
    const auto r = parse_udp_connect_reply(bytes(hex), tid);
    return r ? std::error_code() : r.error().code;
  };
  EXPECT_EQ(code("0000000000000001"), make_error_code(TrackerErrc::kTruncated));
  EXPECT_EQ(code("00000000000000021122334455667788"),
            make_error_code(TrackerErrc::kWrongTransaction));
  EXPECT_EQ(code("00000001000000011122334455667788"), make_error_code(TrackerErrc::kWrongAction));
  EXPECT_EQ(code("0000000300000001"
                 "6e6f"),
            make_error_code(TrackerErrc::kTrackerError));
  EXPECT_EQ(code("00"), make_error_code(TrackerErrc::kTruncated));
}

TEST(UdpTracker, AnnounceRequestBytes) {
  TrackerAnnounce a;
  a.info_hash = *InfoHashV1::from_hex("0123456789abcdef0123456789abcdef01234567");
  a.peer_id = *wire::PeerId::from_bytes("-MG0001-abcdefghijkl");
  a.port = 6882;
  a.event = AnnounceEvent::kStarted;
  a.key = 0xcafe;
  const std::string out = encode_udp_announce(0x1122334455667788ull, 7, a);
  ASSERT_EQ(out.size(), kUdpAnnounceSize);
  EXPECT_EQ(to_hex(out),
            "1122334455667788"                          // connection id
            "00000001"                                  // announce
            "00000007"                                  // transaction
            "0123456789abcdef0123456789abcdef01234567"  // info hash
            "2d4d47303030312d6162636465666768696a6b6c"  // peer id
            "0000000000000000"                          // downloaded
            "0000000000000000"                          // left: a seed
            "0000000000000000"                          // uploaded
            "00000002"                                  // started
            "00000000"                                  // ip: the sender's
            "0000cafe"                                  // key
            "ffffffff"                                  // num_want: default
            "1ae2");                                    // port 6882
}

TEST(UdpTracker, AnnounceReplyWithPeers) {
  const auto r = parse_udp_announce_reply(bytes("00000001"
                                                "00000007"
                                                "00000708"
                                                "00000002"
                                                "00000005"
                                                "7f0000011ae1"
                                                "0a0000020050"),
                                          7, false);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->interval, std::chrono::seconds(1800));
  EXPECT_EQ(r->leechers, 2u);
  EXPECT_EQ(r->seeders, 5u);
  ASSERT_EQ(r->peers.size(), 2u);
  EXPECT_EQ(r->peers[0].to_string(), "127.0.0.1:6881");
  EXPECT_EQ(r->peers[1].to_string(), "10.0.0.2:80");
}

TEST(UdpTracker, AnnounceReplyOverIpv6Has18BytePeers) {
  const auto r = parse_udp_announce_reply(bytes("00000001"
                                                "00000007"
                                                "0000003c"
                                                "00000000"
                                                "00000001"
                                                "00000000000000000000000000000001"
                                                "1ae1"),
                                          7, true);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->peers.size(), 1u);
  EXPECT_TRUE(r->peers[0].v6);
  EXPECT_EQ(r->peers[0].port, 6881);
}

TEST(UdpTracker, AnnounceErrorReplyIsAFailureReason) {
  const auto r = parse_udp_announce_reply(bytes("00000003"
                                                "00000007"
                                                "756e6b6e6f776e"),
                                          7, false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->failure_reason, "unknown");
}

TEST(UdpTracker, AnnounceReplyErrors) {
  const auto code = [](std::string_view hex) {
    const auto r = parse_udp_announce_reply(bytes(hex), 7, false);
    return r ? std::error_code() : r.error().code;
  };
  EXPECT_EQ(code("0000000100000007000007080000000200"), make_error_code(TrackerErrc::kTruncated));
  EXPECT_EQ(code("000000010000000700000708000000020000000501"),
            make_error_code(TrackerErrc::kBadPeers));
  EXPECT_EQ(code("0000000000000007000007080000000200000005"),
            make_error_code(TrackerErrc::kWrongAction));
  EXPECT_EQ(code("0000000100000008000007080000000200000005"),
            make_error_code(TrackerErrc::kWrongTransaction));
}

}  // namespace
}  // namespace magnetar::crawler::keeper
