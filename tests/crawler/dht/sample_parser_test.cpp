// BEP 51 samples and BEP 5 compact node info, on exact bytes.
#include "crawler/dht/sample_parser.hpp"

#include <gtest/gtest.h>

#include "crawler/dht/dht_errors.hpp"

namespace magnetar::crawler::dht {
namespace {

TEST(ParseSamples, ReadsEachHashAtItsOwnOffset) {
  std::string raw;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 20; ++j) raw.push_back(static_cast<char>(i * 20 + j));
  }
  const auto samples = parse_samples(raw);
  ASSERT_TRUE(samples);
  ASSERT_EQ(samples->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 20; ++j) EXPECT_EQ((*samples)[i].bytes()[j], i * 20 + j);
  }
}

TEST(ParseSamples, AcceptsAnEmptyField) {
  const auto samples = parse_samples("");
  ASSERT_TRUE(samples);
  EXPECT_TRUE(samples->empty());
}

TEST(ParseSamples, RejectsAPartialHash) {
  const auto samples = parse_samples(std::string(41, 'x'));
  ASSERT_FALSE(samples);
  EXPECT_EQ(samples.error().code, make_error_code(Errc::kSamplesLength));
  EXPECT_EQ(samples.error().offset, 41u);
}

TEST(ParseSamples, RejectsMoreSamplesThanAReplyCanHold) {
  const auto samples = parse_samples(std::string((kMaxSamplesPerReply + 1) * 20, 'x'));
  ASSERT_FALSE(samples);
  EXPECT_EQ(samples.error().code, make_error_code(Errc::kTooManySamples));
}

TEST(ParseCompactNodes, ReadsIdAddressAndPortInNetworkOrder) {
  std::string raw(20, 'A');
  raw += std::string("\x7f\x00\x00\x01\x1a\xe1", 6);
  raw += std::string(20, 'B');
  raw += std::string("\x0a\x01\x02\x03\x00\x50", 6);
  const auto nodes = parse_compact_nodes(raw, false);
  ASSERT_TRUE(nodes);
  ASSERT_EQ(nodes->size(), 2u);
  EXPECT_EQ((*nodes)[0].id.bytes()[0], 'A');
  EXPECT_EQ((*nodes)[0].endpoint.to_string(), "127.0.0.1:6881");
  EXPECT_EQ((*nodes)[1].id.bytes()[19], 'B');
  EXPECT_EQ((*nodes)[1].endpoint.to_string(), "10.1.2.3:80");
}

TEST(ParseCompactNodes, ReadsIpv6Entries) {
  std::string raw(20, 'C');
  std::string addr(16, '\0');
  addr[15] = 1;
  raw += addr;
  raw += std::string("\x1a\xe1", 2);
  const auto nodes = parse_compact_nodes(raw, true);
  ASSERT_TRUE(nodes);
  ASSERT_EQ(nodes->size(), 1u);
  EXPECT_EQ((*nodes)[0].endpoint.to_string(), "[::1]:6881");
}

TEST(ParseCompactNodes, RejectsAPartialEntry) {
  const auto nodes = parse_compact_nodes(std::string(27, 'x'), false);
  ASSERT_FALSE(nodes);
  EXPECT_EQ(nodes.error().code, make_error_code(Errc::kNodesLength));
  EXPECT_EQ(nodes.error().offset, 26u);
}

}  // namespace
}  // namespace magnetar::crawler::dht
