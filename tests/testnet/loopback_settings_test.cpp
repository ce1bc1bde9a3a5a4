#include "tests/testnet/loopback_settings.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <libtorrent/alert.hpp>

namespace magnetar::testnet {
namespace {

TEST(LoopbackAddress, GivesEachSessionItsOwnSlash24) {
  EXPECT_EQ(loopback_address(0), "127.1.0.1");
  EXPECT_EQ(loopback_address(6), "127.7.0.1");
  EXPECT_EQ(loopback_address(253), "127.254.0.1");
  EXPECT_EQ(loopback_address(254), "127.1.1.1");
}

// Each of these broke the loopback DHT when left at libtorrent's default
// (testnet-notes.md).
TEST(LoopbackSettings, OverrideEveryDefaultThatBreaksALoopbackDht) {
  const lt::settings_pack s = loopback_settings("127.9.0.1", 0);
  using sp = lt::settings_pack;
  EXPECT_EQ(s.get_str(sp::listen_interfaces), "127.9.0.1:0");
  EXPECT_EQ(s.get_str(sp::dht_bootstrap_nodes), "");
  for (const int off :
       {sp::enable_lsd, sp::enable_upnp, sp::enable_natpmp, sp::enable_ip_notifier,
        sp::dht_restrict_routing_ips, sp::dht_restrict_search_ips, sp::dht_prefer_verified_node_ids,
        sp::dht_enforce_node_id, sp::dht_ignore_dark_internet}) {
    EXPECT_FALSE(s.get_bool(off)) << lt::name_for_setting(off);
  }
  EXPECT_TRUE(s.get_bool(sp::enable_dht));
  EXPECT_GE(s.get_int(sp::dht_upload_rate_limit), 1'000'000);
  EXPECT_GE(s.get_int(sp::dht_block_ratelimit), 100'000);
  EXPECT_EQ(s.get_int(sp::listen_queue_size), 1024);
  EXPECT_GE(s.get_int(sp::connection_speed), 500);
  const auto mask = static_cast<std::uint32_t>(s.get_int(sp::alert_mask));
  EXPECT_TRUE(mask & static_cast<std::uint32_t>(lt::alert_category::dht));
  EXPECT_TRUE(mask & static_cast<std::uint32_t>(lt::alert_category::dht_operation));
}

TEST(EmptyCaBundle, PointsOpenSslAtNothingAndRestoresTheVariable) {
  ::setenv("SSL_CERT_FILE", "/some/bundle.pem", 1);
  {
    EmptyCaBundle none;
    EXPECT_STREQ(std::getenv("SSL_CERT_FILE"), "/dev/null");
  }
  EXPECT_STREQ(std::getenv("SSL_CERT_FILE"), "/some/bundle.pem");
  ::unsetenv("SSL_CERT_FILE");
  { EmptyCaBundle none; }
  EXPECT_EQ(std::getenv("SSL_CERT_FILE"), nullptr);
}

}  // namespace
}  // namespace magnetar::testnet
