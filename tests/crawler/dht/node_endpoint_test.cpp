#include "crawler/dht/node_endpoint.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

namespace magnetar::crawler::dht {
namespace {

IpAddress ip(const char* text) {
  IpAddress a;
  if (::inet_pton(AF_INET, text, a.bytes.data()) == 1) return a;
  a.v6 = true;
  EXPECT_EQ(::inet_pton(AF_INET6, text, a.bytes.data()), 1) << text;
  return a;
}

TEST(IsGlobal, PublicUnicastAddressesAreGlobal) {
  for (const char* text :
       {"1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.15.0.1", "172.32.0.1",
        "192.169.0.1", "223.255.255.255", "2001:4860::8888", "2a00:1450::1", "::ffff:8.8.8.8"}) {
    EXPECT_TRUE(is_global(ip(text))) << text;
  }
}

TEST(IsGlobal, LocalPrivateAndSpecialAddressesAreNot) {
  for (const char* text :
       {"0.0.0.0",     "0.1.2.3",          "10.0.0.1",          "100.64.0.1",      "127.0.0.1",
        "127.7.0.1",   "169.254.1.1",      "172.16.0.1",        "172.31.255.255",  "192.0.0.8",
        "192.0.2.1",   "192.168.1.1",      "198.18.0.1",        "198.51.100.7",    "203.0.113.9",
        "224.0.0.1",   "239.255.255.250",  "240.0.0.1",         "255.255.255.255", "::",
        "::1",         "fc00::1",          "fd12:3456::1",      "fe80::1",         "ff02::1",
        "2001:db8::1", "::ffff:127.0.0.1", "::ffff:192.168.0.1"}) {
    EXPECT_FALSE(is_global(ip(text))) << text;
  }
}

}  // namespace
}  // namespace magnetar::crawler::dht
