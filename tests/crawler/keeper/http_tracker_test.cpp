#include "crawler/keeper/http_tracker.hpp"

#include <gtest/gtest.h>

#include "crawler/keeper/tracker_errors.hpp"

namespace magnetar::crawler::keeper {
namespace {

TrackerAnnounce sample_announce() {
  TrackerAnnounce a;
  std::array<std::uint8_t, 20> ih{};
  for (int i = 0; i < 20; ++i) ih[i] = static_cast<std::uint8_t>(i * 13);  // 00 0d 1a ... f7
  a.info_hash = InfoHashV1(ih);
  a.peer_id = *wire::PeerId::from_bytes("-MG0001-abcdefghijkl");
  a.port = 6882;
  a.event = AnnounceEvent::kStarted;
  a.key = 0xbeef;
  return a;
}

TrackerUrl url(const char* text) { return *parse_tracker_url(text); }

TEST(HttpTracker, AnnounceTargetHasEveryParameterPercentEncoded) {
  EXPECT_EQ(http_announce_target(url("http://127.0.0.1:6969/announce"), sample_announce()),
            "/announce?info_hash=%00%0D%1A%274AN%5Bhu%82%8F%9C%A9%B6%C3%D0%DD%EA%F7"
            "&peer_id=-MG0001-abcdefghijkl&port=6882&uploaded=0&downloaded=0&left=0"
            "&compact=1&event=started&key=0000beef");
}

TEST(HttpTracker, AnnounceTargetKeepsTheUrlQueryAndAddsNumwantAndIp) {
  TrackerAnnounce a = sample_announce();
  a.event = AnnounceEvent::kNone;
  a.num_want = 50;
  a.ip = "203.0.113.7";
  const std::string t = http_announce_target(url("http://t.example/a?pk=1"), a);
  EXPECT_EQ(t.rfind("/a?pk=1&info_hash=", 0), 0u) << t;
  EXPECT_EQ(t.find("event="), std::string::npos);
  EXPECT_NE(t.find("&key=0000beef&numwant=50&ip=203.0.113.7"), std::string::npos) << t;
}

TEST(HttpTracker, RequestIsAnHttp11GetThatClosesTheConnection) {
  const std::string r = http_announce_request(url("http://[::1]:6969/announce"), sample_announce());
  EXPECT_EQ(r.rfind("GET /announce?info_hash=", 0), 0u);
  EXPECT_NE(r.find(" HTTP/1.1\r\nHost: [::1]:6969\r\n"), std::string::npos) << r;
  EXPECT_NE(r.find("\r\nConnection: close\r\n\r\n"), std::string::npos);
  EXPECT_EQ(r.substr(r.size() - 4), "\r\n\r\n");
}

TEST(HttpTracker, ResponseBodyWithContentLength) {
  const auto body = http_response_body(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nd1:ae"
      "junk");
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, "d1:ae");
}

TEST(HttpTracker, ResponseBodyChunked) {
  const auto body = http_response_body(
      "HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n3\r\nd1:\r\n2;x=y\r\nae\r\n0\r\n\r\n");
  ASSERT_TRUE(body) << body.error().message();
  EXPECT_EQ(*body, "d1:ae");
}

TEST(HttpTracker, ResponseBodyUntilCloseWithoutLength) {
  const auto body = http_response_body("HTTP/1.0 200 OK\r\n\r\nd1:ae");
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, "d1:ae");
}

TEST(HttpTracker, ResponseErrors) {
  EXPECT_EQ(http_response_body("HTTP/1.1 404 Not Found\r\n\r\n").error().code,
            make_error_code(TrackerErrc::kHttpStatus));
  EXPECT_EQ(http_response_body("HTTP/1.1 200 OK\r\n").error().code,
            make_error_code(TrackerErrc::kBadHttpResponse));
  EXPECT_EQ(http_response_body("SSH-2.0\r\n\r\n").error().code,
            make_error_code(TrackerErrc::kBadHttpResponse));
  EXPECT_EQ(http_response_body("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nd1:ae").error().code,
            make_error_code(TrackerErrc::kBadHttpResponse));
  EXPECT_EQ(http_response_body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                .error()
                .code,
            make_error_code(TrackerErrc::kBadHttpResponse));
  EXPECT_EQ(http_response_body("HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n").error().code,
            make_error_code(TrackerErrc::kTooLarge));
}

TEST(HttpTracker, ReplyWithCompactPeersAndPeers6) {
  std::string peers(
      "\x7f\x00\x00\x01\x1a\xe1"
      "\x0a\x00\x00\x02\x00\x50",
      12);
  std::string peers6(16, '\0');
  peers6[15] = 1;
  peers6 += std::string("\x1a\xe2", 2);
  const std::string body =
      "d8:completei3e10:incompletei1e8:intervali1800e12:min intervali60e5:peers12:" + peers +
      "6:peers618:" + peers6 + "e";
  const auto r = parse_http_announce_reply(body);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->interval, std::chrono::seconds(1800));
  EXPECT_EQ(r->min_interval, std::chrono::seconds(60));
  EXPECT_EQ(r->seeders, 3u);
  EXPECT_EQ(r->leechers, 1u);
  ASSERT_EQ(r->peers.size(), 3u);
  EXPECT_EQ(r->peers[0].to_string(), "127.0.0.1:6881");
  EXPECT_EQ(r->peers[1].to_string(), "10.0.0.2:80");
  EXPECT_TRUE(r->peers[2].v6);
  EXPECT_EQ(r->peers[2].port, 6882);
  EXPECT_TRUE(r->failure_reason.empty());
}

TEST(HttpTracker, ReplyWithDictPeersTakesLiteralIpv4Only) {
  const auto r = parse_http_announce_reply(
      "d8:intervali900e5:peersld2:ip9:127.0.0.24:porti7000eed2:ip9:host.name4:porti1ee"
      "d2:ip7:1.2.3.44:porti0eeee");
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->peers.size(), 1u);
  EXPECT_EQ(r->peers[0].to_string(), "127.0.0.2:7000");
}

TEST(HttpTracker, FailureReasonIsAReplyWithoutPeers) {
  const auto r = parse_http_announce_reply("d14:failure reason17:torrent not founde");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->failure_reason, "torrent not found");
  EXPECT_TRUE(r->peers.empty());
}

TEST(HttpTracker, MalformedReplies) {
  const auto code = [](std::string_view body) {
    const auto r = parse_http_announce_reply(body);
    return r ? std::error_code() : r.error().code;
  };
  EXPECT_EQ(code("i1e"), make_error_code(TrackerErrc::kMalformedReply));
  EXPECT_EQ(code("d5:peers0:e"), make_error_code(TrackerErrc::kMalformedReply));  // no interval
  EXPECT_EQ(code("d8:intervali1e5:peers5:abcdee"), make_error_code(TrackerErrc::kBadPeers));
  EXPECT_EQ(code("d8:intervali1e5:peersi3ee"), make_error_code(TrackerErrc::kMalformedReply));
  EXPECT_EQ(code("d8:intervali1e5:peers"), make_error_code(TrackerErrc::kMalformedReply));
  EXPECT_EQ(code("d8:intervali1e5:peersllllleeeeee"),
            make_error_code(TrackerErrc::kMalformedReply));
}

TEST(HttpTracker, PeersAreCappedAndIntervalsClamped) {
  std::string peers;
  for (std::size_t i = 0; i < kMaxTrackerPeers + 50; ++i)
    peers += std::string("\x7f\0\0\x01\x1a\xe1", 6);
  const auto r = parse_http_announce_reply("d8:intervali99999999999e5:peers" +
                                           std::to_string(peers.size()) + ":" + peers + "e");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->peers.size(), kMaxTrackerPeers);
  EXPECT_EQ(r->interval, std::chrono::hours(24));
}

}  // namespace
}  // namespace magnetar::crawler::keeper
