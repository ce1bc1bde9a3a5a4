#include "crawler/wire/metadata_server_session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crawler/wire/extension_handshake.hpp"
#include "crawler/wire/pex.hpp"
#include "crawler/wire/ut_metadata.hpp"
#include "crawler/wire/wire_errors.hpp"
#include "tests/crawler/wire/wire_test_support.hpp"

namespace magnetar::crawler::wire {
namespace {

using namespace std::string_literals;
using namespace testing;

const PeerId kServerId = filled_peer_id('S');
const PeerId kClientId = filled_peer_id('C');
// The id the scripted client wants ut_metadata under: our answers must use it.
constexpr std::uint8_t kClientUtMetadata = 5;
constexpr std::size_t kFourPieces = 3 * kMetadataPieceSize + 100;

MetadataServerConfig config() {
  MetadataServerConfig c;
  c.peer_id = kServerId;
  return c;
}

std::string client_handshake(const InfoHashV1& ih, bool extensions = true, bool fast = true) {
  ReservedBits bits;
  bits.set_extension_protocol(extensions).set_fast_extension(fast);
  return handshake_bytes(ih, kClientId, bits);
}
std::string client_extensions(std::uint8_t ut_metadata = kClientUtMetadata) {
  ExtensionHandshake h;
  h.m = {{"ut_metadata", ut_metadata}};
  return extended_frame(kExtensionHandshakeId, encode_extension_handshake(h));
}
// Requests go under OUR id (2).
std::string client_request(std::uint32_t piece) {
  return extended_frame(kLocalUtMetadataId, encode_ut_metadata_request(piece));
}
std::string served(std::string_view info, std::uint32_t piece) {
  return extended_frame(
      kClientUtMetadata,
      encode_ut_metadata_data(
          piece, static_cast<std::int64_t>(info.size()),
          info.substr(piece * kMetadataPieceSize, metadata_piece_length(info.size(), piece))));
}

// Our greeting, hand-written: handshake with the extension and fast bits,
// extension handshake with metadata_size, and BEP 6 have_none.
std::string greeting(const InfoHashV1& ih, std::size_t size, bool have_none) {
  const std::string ext =
      "d1:md11:ut_metadatai2ee13:metadata_sizei" + std::to_string(size) + "e1:v12:magnetar 0.1e";
  return "\x13"
         "BitTorrent protocol"
         "\x00\x00\x00\x00\x00\x10\x00\x04"s +
         std::string(ih.view()) + std::string(20, 'S') +
         be32(static_cast<std::uint32_t>(ext.size() + 2)) + "\x14\x00"s + ext +
         (have_none ? "\x00\x00\x00\x01\x0f"s : ""s);
}

struct Fixture {
  std::string info = make_info_dict(kFourPieces);
  InfoHashV1 ih = v1_of(info);
  MapSource source;
  Fixture() { source.add(ih, info); }
};

TEST(MetadataServerSession, GreetsAKnownInfohashWithMetadataSizeAndHaveNone) {
  Fixture f;
  MetadataServerSession s(f.source, config());
  EXPECT_FALSE(s.has_output());  // the incoming side speaks second
  s.on_bytes(client_handshake(f.ih));
  EXPECT_EQ(s.take_output(), greeting(f.ih, kFourPieces, true));
  EXPECT_EQ(s.info_hash(), f.ih);
  EXPECT_FALSE(s.finished());
}

TEST(MetadataServerSession, SendsNoHaveNoneToAPeerWithoutTheFastExtension) {
  Fixture f;
  MetadataServerSession s(f.source, config());
  s.on_bytes(client_handshake(f.ih, true, /*fast=*/false));
  EXPECT_EQ(s.take_output(), greeting(f.ih, kFourPieces, false));
}

TEST(MetadataServerSession, ServesEveryPieceUnderThePeersId) {
  Fixture f;
  MetadataServerSession s(f.source, config());
  s.on_bytes(client_handshake(f.ih) + client_extensions());
  s.take_output();
  s.on_bytes(client_request(0));
  const std::string first = s.take_output();
  EXPECT_EQ(first.substr(0, 51),
            "\x00\x00\x40\x2f\x14\x05"
            "d8:msg_typei1e5:piecei0e10:total_sizei49252ee"s);
  EXPECT_EQ(first, served(f.info, 0));
  s.on_bytes(client_request(3) + client_request(1) + client_request(2));
  EXPECT_EQ(s.take_output(), served(f.info, 3) + served(f.info, 1) + served(f.info, 2));
  EXPECT_EQ(s.pieces_served(), 4u);
}

TEST(MetadataServerSession, RejectsRequestsOutOfRange) {
  Fixture f;
  MetadataServerSession s(f.source, config());
  s.on_bytes(client_handshake(f.ih) + client_extensions());
  s.take_output();
  s.on_bytes(client_request(4) + client_request(4294967295u));
  EXPECT_EQ(s.take_output(),
            extended_frame(kClientUtMetadata, "d8:msg_typei2e5:piecei4ee") +
                extended_frame(kClientUtMetadata, "d8:msg_typei2e5:piecei4294967295ee"));
  EXPECT_EQ(s.requests_rejected(), 2u);
  EXPECT_FALSE(s.finished());
}

TEST(MetadataServerSession, AnswersOnlyOnceItKnowsThePeersId) {
  Fixture f;
  MetadataServerSession s(f.source, config());
  s.on_bytes(client_handshake(f.ih));
  s.take_output();
  s.on_bytes(client_request(0));
  EXPECT_FALSE(s.has_output());
  s.on_bytes(client_extensions(0));  // ut_metadata disabled
  s.on_bytes(client_request(0));
  EXPECT_FALSE(s.has_output());
  s.on_bytes(client_extensions());
  s.on_bytes(client_request(0));
  EXPECT_EQ(s.take_output(), served(f.info, 0));
}

TEST(MetadataServerSession, IgnoresWhatAServerHasNoUseFor) {
  Fixture f;
  MetadataServerSession s(f.source, config());
  std::string noise;
  append_keep_alive(noise);
  append_interested(noise);
  append_message(noise, MessageId::kHaveNone);
  append_extended(noise, 1, encode_pex({}));  // ut_pex: not ours to answer
  append_extended(noise, kLocalUtMetadataId, encode_ut_metadata_data(0, 5, "d1:ae"));
  append_extended(noise, kLocalUtMetadataId, encode_ut_metadata_reject(0));
  append_extended(noise, kLocalUtMetadataId, "d8:msg_typei9e5:piecei0ee");
  append_message(noise, MessageId::kBitfield, std::string(kMaxBufferedMessageLength + 1, '\x0f'));
  s.on_bytes(client_handshake(f.ih) + noise + client_extensions() + noise);
  s.take_output();
  EXPECT_FALSE(s.finished());
  s.on_bytes(client_request(0));
  EXPECT_EQ(s.take_output(), served(f.info, 0));
}

TEST(MetadataServerSession, AnswersTheSameForEverySplitOfTheClientsBytes) {
  Fixture f;
  const std::string script =
      client_handshake(f.ih) + client_extensions() + client_request(2) + client_request(7);
  const std::string expected = greeting(f.ih, kFourPieces, true) + served(f.info, 2) +
                               extended_frame(kClientUtMetadata, "d8:msg_typei2e5:piecei7ee");
  for (std::size_t cut = 0; cut <= script.size(); ++cut) {
    MetadataServerSession s(f.source, config());
    s.on_bytes(script.substr(0, cut));
    std::string out = s.take_output();
    s.on_bytes(script.substr(cut));
    out += s.take_output();
    ASSERT_EQ(out, expected) << cut;
  }
  MetadataServerSession s(f.source, config());
  std::string out;
  for (char c : script) {
    s.on_bytes(std::string_view(&c, 1));
    out += s.take_output();
  }
  EXPECT_EQ(out, expected);
}

TEST(MetadataServerSession, ClosesWithAPreciseReason) {
  Fixture f;
  const std::string ready = client_handshake(f.ih) + client_extensions();
  struct Case {
    const char* name;
    std::string script;
    SessionErrc reason;
    bool greeted;  // whether our handshake went out first
    std::optional<WireErrc> cause;
  };
  const Case cases[] = {
      {"unknown infohash",
       client_handshake(filled_v1('u')),
       SessionErrc::kUnknownInfohash,
       false,
       {}},
      {"not a handshake", "GET /announce HTTP/1.1\r\n", SessionErrc::kBadHandshake, false,
       WireErrc::kBadProtocolString},
      {"no extension bit",
       client_handshake(f.ih, false),
       SessionErrc::kNoExtensionProtocol,
       false,
       {}},
      {"piece requested",
       ready + frame("\x06" + std::string(12, '\0')),
       SessionErrc::kPieceRequested,
       true,
       {}},
      {"oversized length", ready + be32(0x7fffffff), SessionErrc::kMessageTooLarge, true,
       WireErrc::kMessageTooLarge},
      {"malformed extension handshake", ready + extended_frame(0, "d1:md"),
       SessionErrc::kProtocolError, true, WireErrc::kMalformedExtensionHandshake},
      {"malformed ut_metadata", ready + extended_frame(kLocalUtMetadataId, "d5:piecei0ee"),
       SessionErrc::kProtocolError, true, WireErrc::kMalformedUtMetadata},
      {"extended message without its id",
       ready + frame("\x14"),
       SessionErrc::kProtocolError,
       true,
       {}},
      {"huge extended message",
       ready + extended_frame(kLocalUtMetadataId, std::string(kMaxBufferedMessageLength, 'd')),
       SessionErrc::kMessageTooLarge, true, WireErrc::kMessageTooLarge},
  };
  for (const Case& c : cases) {
    MetadataServerSession s(f.source, config());
    s.on_bytes(c.script);
    ASSERT_TRUE(s.finished()) << c.name;
    EXPECT_EQ(s.close_reason(), c.reason) << c.name;
    EXPECT_EQ(s.has_output(), c.greeted) << c.name;
    if (c.cause) {
      ASSERT_TRUE(s.cause().has_value()) << c.name;
      EXPECT_EQ(s.cause()->code, make_error_code(*c.cause)) << c.name;
    }
    s.on_bytes(client_request(0));  // nothing more after closing
    s.take_output();
    EXPECT_FALSE(s.has_output());
  }
}

TEST(MetadataServerSession, ClosesAPeerThatKeepsAsking) {
  Fixture f;
  MetadataServerConfig cfg = config();
  cfg.max_served_requests = 3;
  MetadataServerSession s(f.source, cfg);
  s.on_bytes(client_handshake(f.ih) + client_extensions());
  s.on_bytes(client_request(0) + client_request(0) + client_request(9));
  EXPECT_FALSE(s.finished());
  s.on_bytes(client_request(0));
  ASSERT_TRUE(s.finished());
  EXPECT_EQ(s.close_reason(), SessionErrc::kTooManyRequests);
  EXPECT_EQ(s.pieces_served(), 2u);
  EXPECT_EQ(kMaxServedRequests, 2 * kMaxMetadataPieces);
}

TEST(MetadataServerSession, DeadlineAndCloseEndTheSession) {
  Fixture f;
  MetadataServerSession timed(f.source, config());
  timed.on_bytes(client_handshake(f.ih).substr(0, 10));
  timed.on_deadline();
  EXPECT_EQ(timed.close_reason(), SessionErrc::kTimeout);
  timed.on_closed();
  EXPECT_EQ(timed.close_reason(), SessionErrc::kTimeout);

  MetadataServerSession closed(f.source, config());
  closed.on_bytes(client_handshake(f.ih) + client_extensions() + client_request(0));
  closed.on_closed();
  EXPECT_EQ(closed.close_reason(), SessionErrc::kClosed);
  EXPECT_EQ(closed.pieces_served(), 1u);
}

}  // namespace
}  // namespace magnetar::crawler::wire
