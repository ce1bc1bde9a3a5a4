#include "crawler/wire/metadata_session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crawler/wire/pex.hpp"
#include "crawler/wire/ut_metadata.hpp"
#include "crawler/wire/wire_errors.hpp"
#include "tests/crawler/wire/wire_test_support.hpp"

namespace magnetar::crawler::wire {
namespace {

using namespace std::string_literals;
using namespace testing;

const PeerId kOurId = filled_peer_id('M');
const PeerId kPeerId = filled_peer_id('P');
// The id the scripted peer wants ut_metadata under: our requests must use it.
constexpr std::uint8_t kPeerUtMetadata = 3;
constexpr std::size_t kFourPieces = 3 * kMetadataPieceSize + 100;

// Our bytes, hand-written (BEP 3 handshake with the BEP 10 bit; BEP 10
// extension handshake; BEP 9 request under the peer's id 3).
std::string our_handshake(const InfoHashV1& ih) {
  return "\x13"
         "BitTorrent protocol"
         "\x00\x00\x00\x00\x00\x10\x00\x00"s +
         std::string(ih.view()) + std::string(20, 'M');
}
const std::string kOurExtensionHandshake =
    "\x00\x00\x00\x40\x14\x00"
    "d1:md11:ut_metadatai2e6:ut_pexi1ee4:reqqi8e1:v12:magnetar 0.1e"s;
std::string our_request(int piece) {
  const std::string payload = "d8:msg_typei0e5:piecei" + std::to_string(piece) + "ee";
  return be32(static_cast<std::uint32_t>(payload.size() + 2)) + "\x14\x03"s + payload;
}

MetadataSessionConfig config() {
  MetadataSessionConfig c;
  c.peer_id = kOurId;
  return c;
}

// What the scripted peer sends, built from our encoders.
std::string peer_handshake(const InfoHashV1& ih, bool extensions = true) {
  ReservedBits bits;
  bits.set_extension_protocol(extensions).set_fast_extension().set_dht();
  return handshake_bytes(ih, kPeerId, bits);
}
std::string peer_extensions(std::int64_t metadata_size, std::optional<std::int64_t> reqq = {}) {
  ExtensionHandshake h;
  h.m = {{"ut_metadata", kPeerUtMetadata}, {"ut_pex", 9}};
  h.metadata_size = metadata_size;
  h.reqq = reqq;
  h.client = "scripted";
  return extended_frame(kExtensionHandshakeId, encode_extension_handshake(h));
}
// Messages to us go under OUR ids (ut_metadata 2, ut_pex 1).
std::string peer_data(std::string_view info, std::uint32_t piece, std::int64_t total = -1) {
  const std::string_view bytes =
      info.substr(piece * kMetadataPieceSize, metadata_piece_length(info.size(), piece));
  return extended_frame(
      kLocalUtMetadataId,
      encode_ut_metadata_data(piece, total < 0 ? static_cast<std::int64_t>(info.size()) : total,
                              bytes));
}
std::string peer_all_data(std::string_view info) {
  std::string out;
  for (std::uint32_t p = 0; p < metadata_piece_count(info.size()); ++p) out += peer_data(info, p);
  return out;
}

struct Fed {
  std::string output;  // everything the session wanted to send
  Result<std::string> result = Error(SessionErrc::kProtocolError);
  std::optional<Error> cause;
  MetadataSession::Phase phase;
};

// Feeds `script` in pieces cut at `cuts` and collects the session's output.
Fed run(const ExpectedInfoHash& target, std::string_view script,
        const std::vector<std::size_t>& cuts = {}, MetadataSessionConfig cfg = config()) {
  MetadataSession s(target, cfg);
  Fed r;
  r.output = s.take_output();
  std::size_t at = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(script.size());
  for (std::size_t end : ends) {
    s.on_bytes(script.substr(at, end - at));
    at = end;
    r.output += s.take_output();
  }
  r.phase = s.phase();
  if (s.finished()) r.result = s.take_result();
  r.cause = s.cause();
  return r;
}

TEST(MetadataSession, SendsOurHandshakeWithTheExtensionBitFirst) {
  const auto ih = filled_v1('\x11');
  MetadataSession s(ExpectedInfoHash::from_id(ih), config());
  EXPECT_EQ(s.take_output(), our_handshake(ih));
  EXPECT_FALSE(s.has_output());
  EXPECT_EQ(s.phase(), MetadataSession::Phase::kAwaitHandshake);
}

TEST(MetadataSession, FetchesOnePieceStepByStep) {
  const std::string info = make_info_dict(1000);
  const auto ih = v1_of(info);
  MetadataSession s(ExpectedInfoHash::from_id(ih), config());
  EXPECT_EQ(s.take_output(), our_handshake(ih));

  s.on_bytes(peer_handshake(ih));
  EXPECT_EQ(s.phase(), MetadataSession::Phase::kAwaitExtensionHandshake);
  EXPECT_EQ(s.take_output(), kOurExtensionHandshake);
  ASSERT_TRUE(s.peer_handshake().has_value());
  EXPECT_EQ(s.peer_handshake()->peer_id, kPeerId);

  s.on_bytes(peer_extensions(1000));
  EXPECT_EQ(s.phase(), MetadataSession::Phase::kFetching);
  EXPECT_EQ(s.take_output(),
            "\x00\x00\x00\x1b\x14\x03"
            "d8:msg_typei0e5:piecei0ee"s);
  ASSERT_TRUE(s.peer_extensions().has_value());
  EXPECT_EQ(s.peer_extensions()->client, "scripted");

  s.on_bytes(peer_data(info, 0));
  EXPECT_EQ(s.phase(), MetadataSession::Phase::kDone);
  ASSERT_TRUE(s.finished());
  EXPECT_FALSE(s.has_output());
  auto result = s.take_result();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, info);
}

TEST(MetadataSession, FetchesFourPiecesWithAllRequestsPipelined) {
  const std::string info = make_info_dict(kFourPieces);
  const auto ih = v1_of(info);
  MetadataSession s(ExpectedInfoHash::from_id(ih), config());
  s.take_output();
  s.on_bytes(peer_handshake(ih) + peer_extensions(kFourPieces));
  EXPECT_EQ(s.take_output(), kOurExtensionHandshake + our_request(0) + our_request(1) +
                                 our_request(2) + our_request(3));
  for (std::uint32_t p : {3u, 1u, 0u}) {
    s.on_bytes(peer_data(info, p));
    EXPECT_FALSE(s.finished());
    EXPECT_EQ(s.pieces_received(), p == 3 ? 1u : p == 1 ? 2u : 3u);
  }
  s.on_bytes(peer_data(info, 2));
  ASSERT_TRUE(s.finished());
  auto result = s.take_result();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, info);
}

TEST(MetadataSession, ThePeersReqqAndOurLimitBoundRequestsInFlight) {
  const std::string info = make_info_dict(kFourPieces);
  const auto ih = v1_of(info);
  {
    MetadataSession s(ExpectedInfoHash::from_id(ih), config());
    s.take_output();
    s.on_bytes(peer_handshake(ih) + peer_extensions(kFourPieces, /*reqq=*/2));
    EXPECT_EQ(s.take_output(), kOurExtensionHandshake + our_request(0) + our_request(1));
    s.on_bytes(peer_data(info, 1));
    EXPECT_EQ(s.take_output(), our_request(2));
    s.on_bytes(peer_data(info, 0) + peer_data(info, 2));
    EXPECT_EQ(s.take_output(), our_request(3));
    s.on_bytes(peer_data(info, 3));
    EXPECT_TRUE(s.take_result().ok());
  }
  {
    MetadataSessionConfig cfg = config();
    cfg.max_outstanding_requests = 1;
    const Fed r =
        run(ExpectedInfoHash::from_id(ih),
            peer_handshake(ih) + peer_extensions(kFourPieces) + peer_all_data(info), {}, cfg);
    ASSERT_TRUE(r.result.ok());
    EXPECT_EQ(r.output, our_handshake(ih) +
                            "\x00\x00\x00\x40\x14\x00"
                            "d1:md11:ut_metadatai2e6:ut_pexi1ee4:reqqi1e1:v12:magnetar 0.1e"s +
                            our_request(0) + our_request(1) + our_request(2) + our_request(3));
  }
}

TEST(MetadataSession, GivesTheSameOutcomeForEverySplitOfThePeersBytes) {
  const std::string info = make_info_dict(kFourPieces);
  const auto ih = v1_of(info);
  const std::string script =
      peer_handshake(ih) + peer_extensions(kFourPieces) + peer_all_data(info);
  const std::string expected_output = our_handshake(ih) + kOurExtensionHandshake + our_request(0) +
                                      our_request(1) + our_request(2) + our_request(3);
  for (std::size_t cut = 0; cut <= script.size(); cut += (cut < 400 ? 1 : 97)) {
    const Fed r = run(ExpectedInfoHash::from_id(ih), script, {cut});
    ASSERT_TRUE(r.result.ok()) << cut;
    ASSERT_EQ(*r.result, info) << cut;
    ASSERT_EQ(r.output, expected_output) << cut;
  }
  std::vector<std::size_t> every_byte;
  for (std::size_t i = 1; i < script.size(); ++i) every_byte.push_back(i);
  const Fed r = run(ExpectedInfoHash::from_id(ih), script, every_byte);
  ASSERT_TRUE(r.result.ok());
  EXPECT_EQ(*r.result, info);
  EXPECT_EQ(r.output, expected_output);
}

TEST(MetadataSession, FetchesAV2OnlyTorrentByItsTruncatedHash) {
  const std::string info = make_info_dict(20000);
  const auto v2 = v2_of(info);
  const std::string script =
      peer_handshake(truncate(v2)) + peer_extensions(20000) + peer_all_data(info);
  for (const auto& target : {ExpectedInfoHash::from_hashes({std::nullopt, v2}),
                             ExpectedInfoHash::from_id(truncate(v2))}) {
    const Fed r = run(target, script);
    ASSERT_TRUE(r.result.ok());
    EXPECT_EQ(*r.result, info);
    EXPECT_EQ(r.output.substr(0, kHandshakeSize), our_handshake(truncate(v2)));
  }
}

TEST(MetadataSession, IgnoresMessagesItHasNoUseFor) {
  const std::string info = make_info_dict(1000);
  const auto ih = v1_of(info);
  std::string noise;
  append_keep_alive(noise);
  append_message(noise, MessageId::kHaveAll);
  append_message(noise, MessageId::kUnchoke);
  append_message(noise, MessageId::kBitfield, "\xff\xff");
  append_message(noise, MessageId::kRequest, std::string(12, '\0'));
  append_extended(noise, 77, "whatever");  // an id we never gave out
  append_extended(noise, kLocalUtMetadataId, "d8:msg_typei9e5:piecei0ee");  // unknown msg_type
  const std::string script = peer_handshake(ih) + noise + peer_extensions(1000) + noise +
                             peer_extensions(5) +  // a repeated handshake changes nothing
                             noise + peer_data(info, 0);
  const Fed r = run(ExpectedInfoHash::from_id(ih), script);
  ASSERT_TRUE(r.result.ok()) << r.result.error().message();
  EXPECT_EQ(*r.result, info);
}

TEST(MetadataSession, SkipsAHugeBitfieldButNotAHugeExtendedMessage) {
  const std::string info = make_info_dict(1000);
  const auto ih = v1_of(info);
  std::string bitfield;
  append_message(bitfield, MessageId::kBitfield,
                 std::string(kMaxBufferedMessageLength * 4, '\xff'));
  const Fed ok = run(ExpectedInfoHash::from_id(ih),
                     peer_handshake(ih) + bitfield + peer_extensions(1000) + peer_data(info, 0));
  ASSERT_TRUE(ok.result.ok());
  EXPECT_EQ(*ok.result, info);

  const Fed big =
      run(ExpectedInfoHash::from_id(ih),
          peer_handshake(ih) + peer_extensions(1000) +
              extended_frame(
                  kLocalUtMetadataId,
                  encode_ut_metadata_data(0, 1000, std::string(kMaxBufferedMessageLength, 'x'))));
  ASSERT_FALSE(big.result.ok());
  EXPECT_EQ(big.result.error().code, make_error_code(SessionErrc::kMessageTooLarge));
}

TEST(MetadataSession, CollectsPexPeersAndSurvivesABadPexMessage) {
  const std::string info = make_info_dict(1000);
  const auto ih = v1_of(info);
  PexMessage pex;
  pex.added = {{PeerEndpoint::v4_from({10, 0, 0, 1}, 6881), 0},
               {PeerEndpoint::v4_from({10, 0, 0, 2}, 0), 0},     // port 0: dropped
               {PeerEndpoint::v4_from({10, 0, 0, 1}, 6881), 0},  // duplicate: dropped
               {PeerEndpoint::v6_from({0xfe, 0x80}, 51413), kPexSeed}};
  MetadataSession s(ExpectedInfoHash::from_id(ih), config());
  s.on_bytes(peer_handshake(ih) + peer_extensions(1000));
  s.on_bytes(extended_frame(kLocalUtPexId, encode_pex(pex)));
  s.on_bytes(extended_frame(kLocalUtPexId, "d5:added5:12345e"));  // malformed: ignored
  const auto peers = s.take_peers();
  ASSERT_EQ(peers.size(), 2u);
  EXPECT_EQ(peers[0].to_string(), "10.0.0.1:6881");
  EXPECT_EQ(peers[1].port, 51413);
  EXPECT_TRUE(s.take_peers().empty());
  s.on_bytes(peer_data(info, 0));
  EXPECT_TRUE(s.take_result().ok());
}

TEST(MetadataSession, BoundsThePexPeersItKeeps) {
  const auto ih = filled_v1('\x01');
  MetadataSession s(ExpectedInfoHash::from_id(ih), config());
  s.on_bytes(peer_handshake(ih) + peer_extensions(1000));
  for (int round = 0; round < 20; ++round) {
    PexMessage pex;
    for (int i = 0; i < 100; ++i) {
      pex.added.push_back(
          {PeerEndpoint::v4_from(
               {10, static_cast<std::uint8_t>(round), static_cast<std::uint8_t>(i), 1}, 1000),
           0});
    }
    s.on_bytes(extended_frame(kLocalUtPexId, encode_pex(pex)));
  }
  EXPECT_EQ(s.take_peers().size(), kMaxPexPeersPerSession);
}

TEST(MetadataSession, AnswersAMetadataRequestFromThePeerWithAReject) {
  const auto ih = filled_v1('\x02');
  MetadataSession s(ExpectedInfoHash::from_id(ih), config());
  s.on_bytes(peer_handshake(ih) + peer_extensions(kFourPieces, 1));
  s.take_output();
  s.on_bytes(extended_frame(kLocalUtMetadataId, encode_ut_metadata_request(5)));
  EXPECT_EQ(s.take_output(),
            "\x00\x00\x00\x1b\x14\x03"
            "d8:msg_typei2e5:piecei5ee"s);
  EXPECT_FALSE(s.finished());
}

struct FailureCase {
  const char* name;
  std::string script;
  SessionErrc reason;
  std::optional<WireErrc> cause;
};

TEST(MetadataSession, FailsWithAPreciseReason) {
  const std::string info = make_info_dict(1000);
  const std::string four = make_info_dict(kFourPieces);
  const auto ih = v1_of(info);
  const auto ih4 = v1_of(four);
  const std::string hs = peer_handshake(ih);
  const std::string ready = hs + peer_extensions(1000);
  const std::string ready4 = peer_handshake(ih4) + peer_extensions(kFourPieces);
  auto ext = [](std::string dict) { return extended_frame(kExtensionHandshakeId, dict); };
  const std::vector<FailureCase> cases = {
      {"not a handshake",
       "\x13"
       "BitTorrent protocox",
       SessionErrc::kBadHandshake, WireErrc::kBadProtocolString},
      {"an MSE peer", "\xe3\x9f\x01", SessionErrc::kBadHandshake, WireErrc::kBadProtocolString},
      {"another infohash", peer_handshake(filled_v1('z')), SessionErrc::kInfohashMismatch, {}},
      {"no extension bit", peer_handshake(ih, false), SessionErrc::kNoExtensionProtocol, {}},
      {"no ut_metadata",
       hs + ext("d1:md6:ut_pexi1ee13:metadata_sizei1000ee"),
       SessionErrc::kNoUtMetadata,
       {}},
      {"ut_metadata disabled",
       hs + ext("d1:md11:ut_metadatai0ee13:metadata_sizei1000ee"),
       SessionErrc::kNoUtMetadata,
       {}},
      {"no m at all", hs + ext("d13:metadata_sizei1000ee"), SessionErrc::kNoUtMetadata, {}},
      {"no metadata_size", hs + ext("d1:md11:ut_metadatai3eee"), SessionErrc::kNoMetadataSize, {}},
      {"metadata_size 0", hs + ext("d1:md11:ut_metadatai3ee13:metadata_sizei0ee"),
       SessionErrc::kNoMetadataSize, WireErrc::kInvalidMetadataSize},
      {"metadata_size 1 GiB", hs + ext("d1:md11:ut_metadatai3ee13:metadata_sizei1073741824ee"),
       SessionErrc::kTooLarge, WireErrc::kMetadataTooLarge},
      {"extension id 300", hs + ext("d1:md11:ut_metadatai300eee"), SessionErrc::kProtocolError,
       WireErrc::kInvalidExtensionId},
      {"extension handshake not bencode", hs + ext("d1:m"), SessionErrc::kProtocolError,
       WireErrc::kMalformedExtensionHandshake},
      {"hash mismatch", ready + peer_data(make_info_dict(1000, 'q'), 0), SessionErrc::kHashMismatch,
       WireErrc::kHashMismatch},
      {"reject",
       ready + extended_frame(kLocalUtMetadataId, encode_ut_metadata_reject(0)),
       SessionErrc::kRejected,
       {}},
      {"HTTP after the handshake", hs + "GET / HTTP/1.1\r\n\r\n", SessionErrc::kMessageTooLarge,
       WireErrc::kMessageTooLarge},
      {"oversized length", ready + be32(kMaxMessageLength + 1), SessionErrc::kMessageTooLarge,
       WireErrc::kMessageTooLarge},
      {"extended message without its id", hs + frame("\x14"), SessionErrc::kProtocolError, {}},
      {"ut_metadata not bencode", ready + extended_frame(kLocalUtMetadataId, "xyz"),
       SessionErrc::kProtocolError, WireErrc::kMalformedUtMetadata},
      {"data before the extension handshake",
       hs + peer_data(info, 0),
       SessionErrc::kProtocolError,
       {}},
      {"reject before the extension handshake",
       hs + extended_frame(kLocalUtMetadataId, encode_ut_metadata_reject(0)),
       SessionErrc::kProtocolError,
       {}},
      {"short piece", ready + peer_data(info.substr(0, 999), 0, 1000), SessionErrc::kProtocolError,
       WireErrc::kWrongPieceSize},
      {"wrong total_size", ready + peer_data(info, 0, 1001), SessionErrc::kProtocolError,
       WireErrc::kTotalSizeMismatch},
      {"total_size 1 GiB", ready + peer_data(info, 0, std::int64_t{1} << 30),
       SessionErrc::kProtocolError, WireErrc::kMetadataTooLarge},
      {"piece out of range", ready + peer_data(four, 1, 1000), SessionErrc::kProtocolError,
       WireErrc::kPieceOutOfRange},
      {"duplicate piece", ready4 + peer_data(four, 0) + peer_data(four, 0),
       SessionErrc::kProtocolError, WireErrc::kDuplicatePiece},
  };
  for (const FailureCase& c : cases) {
    const Fed r = run(
        ExpectedInfoHash::from_id(c.name == std::string("duplicate piece") ? ih4 : ih), c.script);
    EXPECT_EQ(r.phase, MetadataSession::Phase::kFailed) << c.name;
    ASSERT_FALSE(r.result.ok()) << c.name;
    EXPECT_EQ(r.result.error().code, make_error_code(c.reason))
        << c.name << ": " << r.result.error().message();
    if (c.cause) {
      ASSERT_TRUE(r.cause.has_value()) << c.name;
      EXPECT_EQ(r.cause->code, make_error_code(*c.cause)) << c.name << ": " << r.cause->message();
    }
  }
}

TEST(MetadataSession, SendsNoExtensionMessageToAPeerWithoutTheBit) {
  const auto ih = filled_v1('\x03');
  const Fed r = run(ExpectedInfoHash::from_id(ih), peer_handshake(ih, false));
  EXPECT_EQ(r.output, our_handshake(ih));
}

TEST(MetadataSession, DeadlinesAndClosesEndTheSessionByPhase) {
  const std::string info = make_info_dict(1000);
  const auto ih = v1_of(info);
  struct Case {
    const char* name;
    std::string script;
    bool deadline;  // else closed
    SessionErrc reason;
  };
  const Case cases[] = {
      {"refused", "", false, SessionErrc::kRefused},
      {"closed during the handshake", peer_handshake(ih).substr(0, 30), false,
       SessionErrc::kRefused},
      {"closed after the handshake", peer_handshake(ih), false, SessionErrc::kClosed},
      {"closed while fetching", peer_handshake(ih) + peer_extensions(1000), false,
       SessionErrc::kClosed},
      {"deadline before the handshake", "", true, SessionErrc::kTimeout},
      {"deadline waiting for extensions", peer_handshake(ih), true, SessionErrc::kTimeout},
      {"slowloris: half a piece",
       peer_handshake(ih) + peer_extensions(1000) + peer_data(info, 0).substr(0, 500), true,
       SessionErrc::kTimeout},
  };
  for (const Case& c : cases) {
    MetadataSession s(ExpectedInfoHash::from_id(ih), config());
    s.on_bytes(c.script);
    EXPECT_FALSE(s.finished()) << c.name;
    if (c.deadline) {
      s.on_deadline();
    } else {
      s.on_closed();
    }
    ASSERT_TRUE(s.finished()) << c.name;
    auto result = s.take_result();
    ASSERT_FALSE(result.ok()) << c.name;
    EXPECT_EQ(result.error().code, make_error_code(c.reason)) << c.name;
  }
}

TEST(MetadataSession, AFinishedSessionIgnoresEverythingElse) {
  const std::string info = make_info_dict(1000);
  const auto ih = v1_of(info);
  MetadataSession s(ExpectedInfoHash::from_id(ih), config());
  s.on_bytes(peer_handshake(ih) + peer_extensions(1000) + peer_data(info, 0));
  ASSERT_EQ(s.phase(), MetadataSession::Phase::kDone);
  s.take_output();
  s.on_bytes(be32(0xffffffff));
  s.on_deadline();
  s.on_closed();
  EXPECT_EQ(s.phase(), MetadataSession::Phase::kDone);
  EXPECT_FALSE(s.has_output());
  auto result = s.take_result();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, info);
  EXPECT_FALSE(s.take_result().ok());  // moved out once

  MetadataSession failed(ExpectedInfoHash::from_id(ih), config());
  failed.on_deadline();
  failed.on_bytes(peer_handshake(ih));
  EXPECT_EQ(failed.take_result().error().code, make_error_code(SessionErrc::kTimeout));
}

}  // namespace
}  // namespace magnetar::crawler::wire
