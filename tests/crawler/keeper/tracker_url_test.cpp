#include "crawler/keeper/tracker_url.hpp"

#include <gtest/gtest.h>

#include "crawler/keeper/tracker_errors.hpp"

namespace magnetar::crawler::keeper {
namespace {

TEST(TrackerUrl, HttpWithPortPathAndQuery) {
  const auto u = parse_tracker_url("http://tracker.example.org:6969/announce?passkey=ab");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, TrackerScheme::kHttp);
  EXPECT_EQ(u->host, "tracker.example.org");
  EXPECT_EQ(u->port, 6969);
  EXPECT_EQ(u->target, "/announce?passkey=ab");
}

TEST(TrackerUrl, HttpDefaultsToPort80AndRootPath) {
  const auto u = parse_tracker_url("HTTP://127.0.0.1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->target, "/");
}

TEST(TrackerUrl, UdpNeedsAPortAndDropsThePath) {
  const auto u = parse_tracker_url("udp://[::1]:1337/announce");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, TrackerScheme::kUdp);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 1337);
  EXPECT_EQ(u->target, "");
  const auto no_port = parse_tracker_url("udp://tracker.example.org/announce");
  ASSERT_FALSE(no_port);
  EXPECT_EQ(no_port.error().code, make_error_code(TrackerErrc::kBadUrl));
}

TEST(TrackerUrl, HttpsIsRecognisedOtherSchemesAreNot) {
  const auto https = parse_tracker_url("https://t.example/announce");
  ASSERT_TRUE(https);
  EXPECT_EQ(https->scheme, TrackerScheme::kHttps);
  EXPECT_EQ(https->port, 443);
  const auto ws = parse_tracker_url("wss://t.example/announce");
  ASSERT_FALSE(ws);
  EXPECT_EQ(ws.error().code, make_error_code(TrackerErrc::kUnsupportedScheme));
}

TEST(TrackerUrl, RejectsBadHostsPortsAndCredentials) {
  for (const char* bad : {"http://", "http://:80/", "http://a b/", "http://h:0/", "http://h:65536/",
                          "http://h:12x/", "http://user@h/", "udp://[::1:80", "http://[::1]x/"}) {
    const auto u = parse_tracker_url(bad);
    EXPECT_FALSE(u) << bad;
  }
  EXPECT_FALSE(parse_tracker_url("http://h/" + std::string(kMaxTrackerUrlLength, 'a')));
}

}  // namespace
}  // namespace magnetar::crawler::keeper
