#include "crawler/wire/extension_handshake.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crawler/wire/wire_errors.hpp"
#include "tests/crawler/wire/wire_test_support.hpp"

namespace magnetar::crawler::wire {
namespace {

using namespace std::string_literals;

TEST(ExtensionHandshake, EncodesOursAsCanonicalBencode) {
  ExtensionHandshake h;
  h.m = {{"ut_pex", 1}, {"ut_metadata", 2}};
  h.metadata_size = 31235;
  h.client = "magnetar 0.1";
  h.reqq = 8;
  h.yourip = "\x7f\x00\x00\x01"s;
  h.listen_port = 6881;
  EXPECT_EQ(encode_extension_handshake(h),
            "d1:md11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei31235e1:pi6881e"
            "4:reqqi8e1:v12:magnetar 0.16:yourip4:\x7f\x00\x00\x01"
            "e"s);
}

TEST(ExtensionHandshake, EncodesAnEmptyMDictWhenNothingIsSet) {
  EXPECT_EQ(encode_extension_handshake({}), "d1:mdee");
}

TEST(ExtensionHandshake, DecodesAHandWrittenLibtorrentStyleHandshake) {
  const std::string bytes =
      "d12:complete_agoi-1e1:md11:lt_donthavei7e12:ut_holepunchi4e11:ut_metadatai2e"
      "6:ut_pexi1ee13:metadata_sizei31235e1:pi51413e4:reqqi500e11:upload_onlyi1e"
      "1:v17:qBittorrent/4.5.26:yourip4:\xc0\xa8\x01\x02"
      "e"s;
  auto h = decode_extension_handshake(bytes);
  ASSERT_TRUE(h.ok()) << h.error().message();
  EXPECT_EQ(h->m.size(), 4u);
  EXPECT_EQ(h->id_of("ut_metadata"), 2);
  EXPECT_EQ(h->id_of("ut_pex"), 1);
  EXPECT_EQ(h->id_of("lt_donthave"), 7);
  EXPECT_EQ(h->id_of("ut_comment"), std::nullopt);
  EXPECT_EQ(h->metadata_size, 31235);
  EXPECT_EQ(h->listen_port, 51413);
  EXPECT_EQ(h->reqq, 500);
  EXPECT_EQ(h->client, "qBittorrent/4.5.2");
  EXPECT_EQ(h->yourip, "\xc0\xa8\x01\x02"s);
}

TEST(ExtensionHandshake, RoundTrips) {
  ExtensionHandshake h;
  h.m = {{"ut_metadata", 3}, {"ut_pex", 0}};
  h.metadata_size = kMaxMetadataSize;
  h.yourip = std::string(16, '\x01');
  auto back = decode_extension_handshake(encode_extension_handshake(h));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, h);
}

TEST(ExtensionHandshake, IdZeroMeansDisabled) {
  auto h = decode_extension_handshake("d1:md11:ut_metadatai0eee");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->id_of("ut_metadata"), std::nullopt);
}

TEST(ExtensionHandshake, OfDuplicateNamesTheFirstCounts) {
  auto h = decode_extension_handshake("d1:md6:ut_pexi3e6:ut_pexi4eee");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->id_of("ut_pex"), 3);
  EXPECT_EQ(h->m.size(), 1u);
}

TEST(ExtensionHandshake, IgnoresOptionalKeysOfTheWrongTypeOrRange) {
  struct Case {
    std::string input;
  };
  const Case cases[] = {
      {"d1:md11:ut_metadata3:abcee"},  // an id that is not an integer
      {"d1:pi0ee"},
      {"d1:pi65536ee"},
      {"d1:p4:6881e"},
      {"d4:reqqi-1ee"},
      {"d1:vi1ee"},
      {"d6:yourip5:abcdee"},
      {"d6:yourip0:e"},
  };
  for (const Case& c : cases) {
    auto h = decode_extension_handshake(c.input);
    ASSERT_TRUE(h.ok()) << c.input;
    EXPECT_EQ(*h, ExtensionHandshake{}) << c.input;
  }
}

TEST(ExtensionHandshake, AcceptsMetadataSizeUpToTheLimit) {
  auto h = decode_extension_handshake("d13:metadata_sizei10485760ee");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->metadata_size, kMaxMetadataSize);
  auto one = decode_extension_handshake("d13:metadata_sizei1ee");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->metadata_size, 1);
}

TEST(ExtensionHandshake, RejectsMalformedInputWithPreciseErrors) {
  struct Case {
    std::string input;
    Error error;
  };
  std::string many_m = "d1:md";
  for (int i = 0; i < 129; ++i) {
    const std::string name = "x" + std::to_string(1000 + i);
    many_m += std::to_string(name.size()) + ":" + name + "i1e";
  }
  many_m += "ee";
  const Case cases[] = {
      {"", Error(WireErrc::kMalformedExtensionHandshake, 0)},
      {"li1ee", Error(WireErrc::kMalformedExtensionHandshake, 0)},
      {"d1:md", Error(WireErrc::kMalformedExtensionHandshake, 5)},
      {"dede", Error(WireErrc::kMalformedExtensionHandshake, 2)},
      {"d1:mi1ee", Error(WireErrc::kMalformedExtensionHandshake, 4)},
      {"d1:md1:xi256eee", Error(WireErrc::kInvalidExtensionId, 8)},
      {"d1:md1:xi-1eee", Error(WireErrc::kInvalidExtensionId, 8)},
      {many_m, Error(WireErrc::kTooManyExtensions, 4)},
      {"d13:metadata_sizei0ee", Error(WireErrc::kInvalidMetadataSize, 17)},
      {"d13:metadata_sizei-5ee", Error(WireErrc::kInvalidMetadataSize, 17)},
      {"d13:metadata_size3:abce", Error(WireErrc::kInvalidMetadataSize, 17)},
      {"d13:metadata_sizei10485761ee", Error(WireErrc::kMetadataTooLarge, 17)},
      {"d13:metadata_sizei1073741824ee", Error(WireErrc::kMetadataTooLarge, 17)},
  };
  for (const Case& c : cases) {
    auto h = decode_extension_handshake(c.input);
    ASSERT_FALSE(h.ok()) << c.input;
    EXPECT_EQ(h.error(), c.error) << c.input << ": " << h.error().message();
  }
}

TEST(ExtensionHandshake, ManyEntriesUpToTheLimitAreKept) {
  std::string m = "d1:md";
  for (std::size_t i = 0; i < kMaxExtensionEntries; ++i) {
    const std::string name = "x" + std::to_string(1000 + i);
    m += std::to_string(name.size()) + ":" + name + "i1e";
  }
  m += "ee";
  auto h = decode_extension_handshake(m);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->m.size(), kMaxExtensionEntries);
}

}  // namespace
}  // namespace magnetar::crawler::wire
