#include "common/magnet.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <random>
#include <string>
#include <vector>

namespace magnetar::magnet {
namespace {

using namespace std::string_view_literals;

// One v1 hash in hex and base32 (RFC 4648 of the same 20 bytes), a second v1,
// and two v2 hashes (SHA-256 of "magnetar" and of "hybrid").
constexpr std::string_view kHex = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
constexpr std::string_view kBase32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";
constexpr std::string_view kOtherHex = "dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c";
constexpr std::string_view kV2Hex =
    "8e491bfd991774382d89131d0489143089ce4818eead1fb51cd82db332462175";
constexpr std::string_view kOtherV2Hex =
    "0deac0a26c0d846d7869c23130c6346c4040904a4134bb2f40a8c206a03748ed";

const std::string kBtih = "xt=urn:btih:" + std::string(kHex);
const std::string kBtmh = "xt=urn:btmh:1220" + std::string(kV2Hex);
// "magnet:?" + kBtih is 60 bytes: a parameter appended after it starts at 61,
// and the value of a two-letter key at 64.
const std::string kBase = "magnet:?" + kBtih;

InfoHashV1 v1(std::string_view hex) { return *InfoHashV1::from_hex(hex); }
InfoHashV2 v2(std::string_view hex) { return *InfoHashV2::from_hex(hex); }
InfoHashes hashes(std::optional<InfoHashV1> a, std::optional<InfoHashV2> b) {
  InfoHashes out;
  out.v1 = a;
  out.v2 = b;
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Magnet parse_ok(std::string_view uri) {
  auto m = parse_magnet(uri);
  EXPECT_TRUE(m.ok()) << uri << ": " << (m.ok() ? "" : m.error().message());
  return m.ok() ? *m : Magnet{};
}

TEST(ParseMagnet, ReadsHexBtihInEitherCase) {
  for (const auto& hex : {std::string(kHex), upper(kHex)}) {
    const Magnet m = parse_ok("magnet:?xt=urn:btih:" + hex);
    EXPECT_EQ(m.hashes.v1, v1(kHex));
    EXPECT_FALSE(m.hashes.v2);
    EXPECT_EQ(m, Magnet{.hashes = hashes(v1(kHex), std::nullopt)});
  }
}

TEST(ParseMagnet, ReadsBase32BtihInEitherCase) {
  for (const auto& b32 : {std::string(kBase32), lower(kBase32)}) {
    const Magnet m = parse_ok("magnet:?xt=urn:btih:" + b32);
    EXPECT_EQ(m.hashes.v1, v1(kHex));
  }
}

TEST(ParseMagnet, MatchesSchemeAndUrnPrefixCaseInsensitively) {
  const Magnet m = parse_ok("MAGNET:?xt=URN:BTIH:" + std::string(kHex));
  EXPECT_EQ(m.hashes.v1, v1(kHex));
  const Magnet m2 = parse_ok("Magnet:?xt=Urn:BtMh:1220" + std::string(kV2Hex));
  EXPECT_EQ(m2.hashes.v2, v2(kV2Hex));
}

TEST(ParseMagnet, ReadsBtmhAsV2) {
  const Magnet m = parse_ok("magnet:?" + kBtmh);
  EXPECT_FALSE(m.hashes.v1);
  EXPECT_EQ(m.hashes.v2, v2(kV2Hex));
  EXPECT_EQ(m.hashes.id(), truncate(v2(kV2Hex)));
}

TEST(ParseMagnet, ReadsHybridWithBothHashesInAnyOrder) {
  const InfoHashes expected = hashes(v1(kHex), v2(kV2Hex));
  EXPECT_EQ(parse_ok("magnet:?" + kBtih + "&" + kBtmh).hashes, expected);
  EXPECT_EQ(parse_ok("magnet:?" + kBtmh + "&" + kBtih).hashes, expected);
  EXPECT_TRUE(parse_ok("magnet:?" + kBtmh + "&" + kBtih).hashes.hybrid());
}

TEST(ParseMagnet, AcceptsTheSameHashTwiceInDifferentSpellings) {
  const Magnet m = parse_ok(kBase + "&xt=urn:btih:" + std::string(kBase32) + "&" + kBtmh + "&" +
                            upper(kBtmh.substr(3)).insert(0, "xt="));
  EXPECT_EQ(m.hashes, hashes(v1(kHex), v2(kV2Hex)));
  EXPECT_TRUE(m.unknown.empty());
}

TEST(ParseMagnet, KeepsTrackersAndWebSeedsInOrderWithoutDuplicates) {
  const Magnet m = parse_ok(kBase +
                            "&tr=udp%3A%2F%2Fb.example%3A80&tr=http://a.example/announce"
                            "&ws=https://w2.example/&tr=udp://b.example:80&tr=&ws=&tr=udp://c"
                            "&ws=https://w1.example/&ws=https%3A%2F%2Fw2.example%2F");
  EXPECT_EQ(m.trackers, (std::vector<std::string>{"udp://b.example:80", "http://a.example/announce",
                                                  "udp://c"}));
  EXPECT_EQ(m.web_seeds, (std::vector<std::string>{"https://w2.example/", "https://w1.example/"}));
}

TEST(ParseMagnet, PercentDecodesValuesWithPlusAsSpace) {
  EXPECT_EQ(parse_ok(kBase + "&dn=a+b%2Bc%20d%2b%25").display_name, "a b+c d+%");
  EXPECT_EQ(parse_ok(kBase + "&dn=%00%ff%FF").display_name, std::string("\0\xff\xff", 3));
}

TEST(ParseMagnet, ReadsUtf8DisplayNameEncodedOrRaw) {
  const std::string expected =
      "\xC3\x9C"
      "ber \xE6\x97\xA5\xE6\x9C\xAC";  // "Über 日本"
  EXPECT_EQ(parse_ok(kBase + "&dn=%C3%9Cber%20%E6%97%A5%E6%9C%AC").display_name, expected);
  EXPECT_EQ(parse_ok(kBase + "&dn=" + expected).display_name, expected);
}

TEST(ParseMagnet, KeepsUnknownParametersInOrderDecoded) {
  const Magnet m = parse_ok("magnet:?kt=a+b&" + kBtih +
                            "&xt=urn:ed2k:31D6CFE0D16AE931B73C59D7E0C089C0&x.foo=%26%3D"
                            "&flag&dht=1.2.3.4:5&kt=again&DN=upper&%64n=decoded-key");
  EXPECT_EQ(m.display_name, "decoded-key");  // "%64n" decodes to "dn"
  EXPECT_EQ(m.unknown, (std::vector<std::pair<std::string, std::string>>{
                           {"kt", "a b"},
                           {"xt", "urn:ed2k:31D6CFE0D16AE931B73C59D7E0C089C0"},
                           {"x.foo", "&="},
                           {"flag", ""},
                           {"dht", "1.2.3.4:5"},
                           {"kt", "again"},
                           {"DN", "upper"},
                       }));
}

TEST(ParseMagnet, TreatsIndexedKeysAsTheirBaseKey) {
  const Magnet m =
      parse_ok("magnet:?xt.1=urn:btih:" + std::string(kHex) + "&dn.1=name" +
               "&tr.1=udp://a&tr.2=udp://b&ws.1=http://w&x.pe.1=1.2.3.4:5" +
               "&xl.1=7&so.1=3&xt.2=urn:btmh:1220" + std::string(kV2Hex) + "&tr.x=kept&x.5=kept");
  EXPECT_EQ(m, (Magnet{.hashes = hashes(v1(kHex), v2(kV2Hex)),
                       .display_name = "name",
                       .trackers = {"udp://a", "udp://b"},
                       .web_seeds = {"http://w"},
                       .exact_length = 7,
                       .peers = {"1.2.3.4:5"},
                       .select_only = "3",
                       .unknown = {{"tr.x", "kept"}, {"x.5", "kept"}}}));
}

TEST(ParseMagnet, ReadsLengthPeersAndSelectOnly) {
  const Magnet m = parse_ok(kBase +
                            "&xl=18446744073709551615&x.pe=10.0.0.1:6881"
                            "&x.pe=%5B2001:db8::1%5D:51413&x.pe=peer.example.org:1"
                            "&x.pe=10.0.0.1:6881&so=0,2,4-6&so=0%2C2%2C4-6");
  EXPECT_EQ(m.exact_length, 18446744073709551615u);
  EXPECT_EQ(m.peers, (std::vector<std::string>{"10.0.0.1:6881", "[2001:db8::1]:51413",
                                               "peer.example.org:1"}));
  EXPECT_EQ(m.select_only, "0,2,4-6");
}

TEST(ParseMagnet, SkipsEmptyParametersAndAllowsRepeatsOfTheSameValue) {
  const Magnet m = parse_ok("magnet:?&&" + kBtih + "&&dn=a&dn=a&dn=&xl=5&xl=05&so=1&so=1&");
  EXPECT_EQ(m, (Magnet{.hashes = hashes(v1(kHex), std::nullopt),
                       .display_name = "a",
                       .exact_length = 5,
                       .select_only = "1"}));
}

struct ErrorCase {
  std::string uri;
  Errc code;
  std::uint64_t offset;
};

TEST(ParseMagnet, RejectsMalformedInputWithCodeAndOffset) {
  const std::string hex39(kHex.substr(0, 39));
  const std::string v2hex62(kV2Hex.substr(0, 62));
  constexpr auto kNone = Error::kNoOffset;
  const std::vector<ErrorCase> cases = {
      {"", Errc::kNotMagnet, 0},
      {"magnet:", Errc::kNotMagnet, 0},
      {"magnet:xt=urn:btih:" + std::string(kHex), Errc::kNotMagnet, 0},
      {"magnets:?" + kBtih, Errc::kNotMagnet, 0},
      {"http://example.com/?" + kBtih, Errc::kNotMagnet, 0},
      {" magnet:?" + kBtih, Errc::kNotMagnet, 0},
      {"magnet:?", Errc::kMissingInfoHash, kNone},
      {"magnet:?dn=x&tr=udp%3A%2F%2Fa", Errc::kMissingInfoHash, kNone},
      {"magnet:?xt=urn:ed2k:31D6CFE0D16AE931B73C59D7E0C089C0", Errc::kMissingInfoHash, kNone},
      {"magnet:?XT=urn:btih:" + std::string(kHex), Errc::kMissingInfoHash, kNone},
      {"magnet:?xt=urn:btih:" + hex39, Errc::kBadInfoHash, 11},
      {"magnet:?xt=urn:btih:" + hex39 + "g", Errc::kBadInfoHash, 11},
      {"magnet:?xt=urn:btih:" + std::string(kHex) + "0", Errc::kBadInfoHash, 11},
      {"magnet:?xt=urn:btih:" + std::string(kBase32.substr(0, 31)) + "1", Errc::kBadInfoHash, 11},
      {"magnet:?xt=urn:btih:", Errc::kBadInfoHash, 11},
      {"magnet:?xt=urn:btih:+" + hex39, Errc::kBadInfoHash, 11},
      {"magnet:?xt=urn:btmh:1120" + std::string(kV2Hex), Errc::kBadInfoHash, 11},
      {"magnet:?xt=urn:btmh:1220" + v2hex62, Errc::kBadInfoHash, 11},
      {"magnet:?xt=urn:btmh:" + std::string(kV2Hex), Errc::kBadInfoHash, 11},
      {kBase + "&xt=urn:btih:" + std::string(kOtherHex), Errc::kConflictingInfoHash, 64},
      {kBase + "&xt.1=urn:btih:" + std::string(kOtherHex), Errc::kConflictingInfoHash, 66},
      {"magnet:?" + kBtmh + "&xt=urn:btmh:1220" + std::string(kOtherV2Hex),
       Errc::kConflictingInfoHash, 92},
      {kBase + "&dn=a%2", Errc::kBadPercentEncoding, 65},
      {kBase + "&dn=%", Errc::kBadPercentEncoding, 64},
      {kBase + "&dn=%zz", Errc::kBadPercentEncoding, 64},
      {kBase + "&dn=%0g&tr=x", Errc::kBadPercentEncoding, 64},
      {"magnet:?%4=1&" + kBtih, Errc::kBadPercentEncoding, 8},
      {"magnet:?xt=urn%3Abtih%3G" + std::string(kHex), Errc::kBadPercentEncoding, 21},
      {kBase + "&=x", Errc::kEmptyKey, 61},
      {"magnet:?=&" + kBtih, Errc::kEmptyKey, 8},
      {kBase + "&xl=", Errc::kBadExactLength, 64},
      {kBase + "&xl", Errc::kBadExactLength, 63},
      {kBase + "&xl=-1", Errc::kBadExactLength, 64},
      {kBase + "&xl=+1", Errc::kBadExactLength, 64},
      {kBase + "&xl=1e3", Errc::kBadExactLength, 64},
      {kBase + "&xl=18446744073709551616", Errc::kBadExactLength, 64},
      {kBase + "&xl=99999999999999999999999", Errc::kBadExactLength, 64},
      {kBase + "&x.pe=", Errc::kBadPeer, 66},
      {kBase + "&x.pe=host", Errc::kBadPeer, 66},
      {kBase + "&x.pe=host:0", Errc::kBadPeer, 66},
      {kBase + "&x.pe=host:65536", Errc::kBadPeer, 66},
      {kBase + "&x.pe=host:080", Errc::kBadPeer, 66},
      {kBase + "&x.pe=::1:80", Errc::kBadPeer, 66},
      {kBase + "&x.pe=[::1]", Errc::kBadPeer, 66},
      {kBase + "&x.pe=[::g]:80", Errc::kBadPeer, 66},
      {kBase + "&x.pe=1.2.3:80", Errc::kBadPeer, 66},
      {kBase + "&x.pe=256.1.1.1:80", Errc::kBadPeer, 66},
      {kBase + "&x.pe=-a.example:80", Errc::kBadPeer, 66},
      {kBase + "&x.pe=:80", Errc::kBadPeer, 66},
      {kBase + "&x.pe=a_b:80", Errc::kBadPeer, 66},
      {kBase + "&x.pe=%5B::1%00%5D:80", Errc::kBadPeer, 66},
      {kBase + "&x.pe.1=1.2.3.4:5&x.pe.2=1.2.3.4", Errc::kBadPeer, 85},
      {kBase + "&so=", Errc::kBadSelectOnly, 64},
      {kBase + "&so=1,,2", Errc::kBadSelectOnly, 64},
      {kBase + "&so=3-1", Errc::kBadSelectOnly, 64},
      {kBase + "&so=a", Errc::kBadSelectOnly, 64},
      {kBase + "&so=-1", Errc::kBadSelectOnly, 64},
      {kBase + "&so=1-", Errc::kBadSelectOnly, 64},
      {kBase + "&so=4294967296", Errc::kBadSelectOnly, 64},
      {kBase + "&so=1,", Errc::kBadSelectOnly, 64},
      {kBase + "&dn=a&dn=b", Errc::kConflictingParameter, 69},
      {kBase + "&xl=1&xl=2", Errc::kConflictingParameter, 69},
      {kBase + "&so=1&so=2", Errc::kConflictingParameter, 69},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.uri);
    const auto m = parse_magnet(c.uri);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error(), Error(c.code, c.offset)) << m.error().message();
  }
}

TEST(ParseMagnet, ReportsTheFirstErrorInTheUri) {
  const auto m = parse_magnet(kBase + "&xl=x&so=x");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error(), Error(Errc::kBadExactLength, 64));
}

TEST(ParseMagnet, AcceptsUrisUpToTheLengthLimit) {
  std::string uri = kBase + "&dn=";
  uri.resize(kMaxUriLength, 'a');
  EXPECT_EQ(parse_ok(uri).display_name.size(), kMaxUriLength - kBase.size() - 4);
  uri += 'a';
  const auto m = parse_magnet(uri);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error(), Error(Errc::kTooLong, kMaxUriLength));
}

TEST(ParseMagnet, AcceptsUpToTheParameterLimit) {
  std::string uri = kBase;  // one parameter
  for (std::size_t i = 1; i < kMaxParams; ++i) uri += "&a=1";
  EXPECT_EQ(parse_ok(uri).unknown.size(), kMaxParams - 1);
  uri += "&a=1";
  const auto m = parse_magnet(uri);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error(), Error(Errc::kTooManyParams, uri.size() - 3));
}

TEST(ParseMagnet, ErrorMessagesNameTheCategoryAndOffset) {
  const auto m = parse_magnet("magnet:?xt=urn:btih:xyz");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message(), "magnet: malformed infohash at byte 11");
  const auto missing = parse_magnet("magnet:?dn=x");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), "magnet: no urn:btih: or urn:btmh: infohash");
}

TEST(ParseSelectOnly, ReadsIndicesAndRanges) {
  const auto r = parse_select_only("0,2,4-6,007,4294967295,3-3");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<IndexRange>{
                    {0, 0}, {2, 2}, {4, 6}, {7, 7}, {4294967295u, 4294967295u}, {3, 3}}));
}

TEST(ParseSelectOnly, RejectsBadListsWithOffset) {
  const std::vector<std::pair<std::string, std::uint64_t>> cases = {
      {"", 0},   {",", 0},    {"1,", 2},         {"1,,2", 2},         {"a", 0},
      {"1-", 2}, {"-1", 0},   {"5-4", 2},        {"1-2-3", 2},        {" 1", 0},
      {"1 ", 0}, {"0,+1", 2}, {"4294967296", 0}, {"0-4294967296", 2},
  };
  for (const auto& [text, offset] : cases) {
    SCOPED_TRACE(text);
    const auto r = parse_select_only(text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), Error(Errc::kBadSelectOnly, offset));
  }
}

TEST(IsValidPeer, AcceptsHostPortForms) {
  for (const char* peer :
       {"1.2.3.4:1", "255.255.255.255:65535", "[::1]:6881", "[2001:DB8::ffff:1.2.3.4]:80",
        "peer.example.org:51413", "a:1", "xn--nxasmq6b.example:443", "0-9.a-b.c:2"}) {
    EXPECT_TRUE(is_valid_peer(peer)) << peer;
  }
  for (const char* peer : {"",
                           ":",
                           "1.2.3.4",
                           "1.2.3.4:",
                           "1.2.3.4:0",
                           "1.2.3.4:65536",
                           "1.2.3.4:01",
                           "1.2.3.4:+1",
                           "01.2.3.4:1",
                           "1.2.3.4.5:1",
                           "[::1]:",
                           "[]:1",
                           "[::1:1",
                           "::1:1",
                           "[1.2.3.4]:1",
                           "host.:1",
                           ".host:1",
                           "a..b:1",
                           "a-:1",
                           "h\xc3\xa9:1",
                           "fe80::1%eth0:1",
                           "[fe80::1%eth0]:1"}) {
    EXPECT_FALSE(is_valid_peer(peer)) << peer;
  }
  EXPECT_TRUE(is_valid_peer(std::string(63, 'a') + ":1"));
  EXPECT_FALSE(is_valid_peer(std::string(64, 'a') + ":1"));
}

TEST(FormatMagnet, WritesTheCanonicalForm) {
  const Magnet m{
      .hashes = hashes(v1(upper(kHex)), v2(kV2Hex)),
      .display_name =
          "\xC3\x9C"
          "ber Film (2024)",
      .trackers = {"udp://tracker.example:1337/announce", "http://t.example/a?b=c&d"},
      .web_seeds = {"https://seed.example/f"},
      .exact_length = 1234,
      .peers = {"10.0.0.1:6881", "[2001:db8::1]:51413"},
      .select_only = "0,2,4-6",
      .unknown = {{"x.foo", "a b"}, {"kt", "one+two"}, {"k=&", "~._-"}},
  };
  EXPECT_EQ(format_magnet(m),
            "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
            "&xt=urn:btmh:12208e491bfd991774382d89131d0489143089ce4818eead1fb51cd82db332462175"
            "&dn=%C3%9Cber%20Film%20%282024%29&xl=1234"
            "&tr=udp%3A%2F%2Ftracker.example%3A1337%2Fannounce"
            "&tr=http%3A%2F%2Ft.example%2Fa%3Fb%3Dc%26d"
            "&ws=https%3A%2F%2Fseed.example%2Ff"
            "&x.pe=10.0.0.1:6881&x.pe=[2001:db8::1]:51413&so=0,2,4-6"
            "&x.foo=a%20b&kt=one%2Btwo&k%3D%26=~._-");
  EXPECT_EQ(parse_ok(format_magnet(m)), m);
}

TEST(FormatMagnet, WritesV2OnlyMagnetWithBtmhFirst) {
  EXPECT_EQ(format_magnet(Magnet{.hashes = hashes(std::nullopt, v2(kV2Hex))}), "magnet:?" + kBtmh);
  EXPECT_EQ(format_magnet(Magnet{.hashes = hashes(v1(kHex), std::nullopt), .exact_length = 0}),
            kBase + "&xl=0");
}

// Random valid magnets: arbitrary bytes wherever the format allows them.
class MagnetGenerator {
 public:
  explicit MagnetGenerator(std::uint32_t seed) : rng_(seed) {}

  Magnet next() {
    Magnet m;
    const int kind = below(3);
    if (kind != 1) m.hashes.v1 = InfoHashV1::from_bytes(bytes(20, 20));
    if (kind != 0) m.hashes.v2 = InfoHashV2::from_bytes(bytes(32, 32));
    if (below(4) != 0) m.display_name = bytes(0, 40);
    if (below(2) == 0) {
      m.exact_length = below(4) == 0 ? std::numeric_limits<std::uint64_t>::max()
                                     : std::uniform_int_distribution<std::uint64_t>()(rng_);
    }
    unique(m.trackers, [&] { return bytes(1, 30); });
    unique(m.web_seeds, [&] { return bytes(1, 30); });
    unique(m.peers, [&] { return peer(); });
    if (below(2) == 0) m.select_only = select_only();
    const int unknowns = below(4);
    for (int i = 0; i < unknowns; ++i) {
      if (below(3) == 0) {
        m.unknown.emplace_back("xt." + std::to_string(below(9)), "urn:sha1:" + bytes(0, 10));
      } else {
        m.unknown.emplace_back("x.q" + bytes(0, 8), bytes(0, 20));
      }
    }
    return m;
  }

 private:
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::string bytes(int min, int max) {
    std::string out(static_cast<std::size_t>(std::uniform_int_distribution<int>(min, max)(rng_)),
                    '\0');
    // Mostly characters with a meaning in a magnet, so that escaping is exercised.
    constexpr std::string_view kSpecial = "%&=+.:[]/?# ,-~_";
    for (char& c : out) {
      c = below(2) == 0 ? kSpecial[static_cast<std::size_t>(below(kSpecial.size()))]
                        : static_cast<char>(below(256));
    }
    return out;
  }

  std::string peer() {
    const std::string port = std::to_string(1 + below(65535));
    switch (below(3)) {
      case 0:
        return std::to_string(below(256)) + "." + std::to_string(below(256)) + "." +
               std::to_string(below(256)) + "." + std::to_string(below(256)) + ":" + port;
      case 1: {
        constexpr char kHexDigits[] = "0123456789abcdef";
        std::string addr;
        for (int group = 0; group < 8; ++group) {
          if (group > 0) addr += ':';
          const int digits = 1 + below(4);
          for (int i = 0; i < digits; ++i) addr += kHexDigits[below(16)];
        }
        return "[" + addr + "]:" + port;
      }
      default: {
        std::string host;
        const int labels = 1 + below(3);
        for (int l = 0; l < labels; ++l) {
          if (l > 0) host += '.';
          host += static_cast<char>('a' + below(26));
          for (int i = below(8); i > 0; --i) host += "ab-9Z"[below(5)];
          host += static_cast<char>('0' + below(10));
        }
        return host + ":" + port;
      }
    }
  }

  std::string select_only() {
    std::string out;
    const int elements = 1 + below(4);
    for (int i = 0; i < elements; ++i) {
      if (i > 0) out += ',';
      const int first = below(100);
      out += std::to_string(first);
      if (below(2) == 0) out += "-" + std::to_string(first + below(100));
    }
    return out;
  }

  template <class Make>
  void unique(std::vector<std::string>& list, Make make) {
    const int count = below(5);
    for (int i = 0; i < count; ++i) {
      std::string value = make();
      if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
    }
  }

  std::mt19937 rng_;
};

TEST(FormatMagnet, RoundTripsRandomMagnets) {
  MagnetGenerator generator(20261122);
  for (int i = 0; i < 5000; ++i) {
    const Magnet m = generator.next();
    for (const auto& peer : m.peers) ASSERT_TRUE(is_valid_peer(peer)) << peer;
    const std::string uri = format_magnet(m);
    const auto parsed = parse_magnet(uri);
    ASSERT_TRUE(parsed.ok()) << uri << ": " << parsed.error().message();
    ASSERT_EQ(*parsed, m) << uri;
    ASSERT_EQ(format_magnet(*parsed), uri);
  }
}

// Truncations, byte flips, insertions of meaningful characters and deletions of
// valid magnets: parsing never crashes, errors stay inside the input, and
// whatever parses round-trips.
TEST(ParseMagnet, SurvivesMutatedInputs) {
  std::vector<std::string> seeds = {
      kBase + "&dn=a+b%20c&tr=udp%3A%2F%2Fa%3A1&x.pe=[::1]:2&so=1-3&xl=9&kt=v",
      "magnet:?" + kBtmh + "&" + kBtih + "&ws=http://w&tr.1=t&x.pe.2=h.example:9",
      "magnet:?xt=urn:btih:" + std::string(kBase32) + "&dn=%C3%9C&x.foo=%26",
  };
  MagnetGenerator generator(7);
  for (int i = 0; i < 20; ++i) seeds.push_back(format_magnet(generator.next()));

  std::mt19937 rng(99);
  auto below = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  constexpr std::string_view kAlphabet = "%&=+.:[]-,0123456789abcdefxtAF\x00\xff"sv;
  int parsed_ok = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string uri = seeds[below(seeds.size())];
    const int mutations = 1 + static_cast<int>(below(4));
    for (int k = 0; k < mutations && !uri.empty(); ++k) {
      const std::size_t at = below(uri.size());
      switch (below(4)) {
        case 0:
          uri.resize(at);
          break;
        case 1:
          uri[at] = static_cast<char>(below(256));
          break;
        case 2:
          uri.insert(at, 1, kAlphabet[below(kAlphabet.size())]);
          break;
        default:
          uri.erase(at, 1 + below(8));
          break;
      }
    }
    const auto m = parse_magnet(uri);
    if (m.ok()) {
      ++parsed_ok;
      ASSERT_FALSE(m->hashes.empty()) << uri;
      const auto again = parse_magnet(format_magnet(*m));
      ASSERT_TRUE(again.ok()) << uri;
      ASSERT_EQ(*again, *m) << uri;
    } else {
      ASSERT_EQ(m.error().code.category().name(), std::string("magnet")) << uri;
      if (m.error().has_offset()) {
        ASSERT_LE(m.error().offset, uri.size()) << uri;
      }
    }
  }
  // Both outcomes occur, or the mutations test nothing.
  std::printf("%d of 10000 mutated magnets parsed\n", parsed_ok);
  EXPECT_GT(parsed_ok, 100);
  EXPECT_LT(parsed_ok, 9900);
}

// libtorrent's parser (lt::parse_magnet_uri) agrees on hashes, name, trackers
// and web seeds for magnets both accept.
TEST(ParseMagnet, AgreesWithLibtorrent) {
  const std::vector<std::string> uris = {
      "magnet:?xt=urn:btih:" + std::string(kHex),
      "magnet:?xt=urn:btih:" + upper(kHex) + "&dn=Some+Name%20%C3%9C",
      "magnet:?xt=urn:btih:" + std::string(kBase32) + "&tr=udp%3A%2F%2Fa.example%3A80",
      "magnet:?" + kBtmh + "&dn=v2+only",
      "magnet:?" + kBtih + "&" + kBtmh + "&dn=hybrid&tr=http://a/announce&tr=udp://b:1" +
          "&ws=http%3A%2F%2Fseed%2Ff&ws=http://seed2/",
      "magnet:?dn=first&xt.1=urn:btih:" + std::string(kOtherHex) + "&tr.1=udp://x&tr.2=udp://y" +
          "&kt=ignored&x.pe=1.2.3.4:5",
  };
  for (const auto& uri : uris) {
    SCOPED_TRACE(uri);
    const Magnet ours = parse_ok(uri);
    lt::error_code ec;
    const lt::add_torrent_params theirs = lt::parse_magnet_uri(uri, ec);
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_EQ(theirs.info_hashes.has_v1(), ours.hashes.v1.has_value());
    ASSERT_EQ(theirs.info_hashes.has_v2(), ours.hashes.v2.has_value());
    if (ours.hashes.v1) {
      EXPECT_EQ(theirs.info_hashes.v1.to_string(), ours.hashes.v1->view());
    }
    if (ours.hashes.v2) {
      EXPECT_EQ(theirs.info_hashes.v2.to_string(), ours.hashes.v2->view());
    }
    EXPECT_EQ(theirs.name, ours.display_name);
    EXPECT_EQ(theirs.trackers, ours.trackers);
    EXPECT_EQ(theirs.url_seeds, ours.web_seeds);
  }
}

// What we write, libtorrent reads: including x.pe and so, which it takes
// without percent-decoding.
TEST(FormatMagnet, IsReadByLibtorrent) {
  const Magnet m{
      .hashes = hashes(v1(kHex), v2(kV2Hex)),
      .display_name = "a name/with & odd+chars %",
      .trackers = {"udp://t.example:1337/announce?k=v&x=y"},
      .web_seeds = {"https://seed.example/f i le"},
      .peers = {"10.0.0.1:6881", "[2001:db8::1]:51413"},
      .select_only = "0,2,4-6",
  };
  lt::error_code ec;
  const lt::add_torrent_params p = lt::parse_magnet_uri(format_magnet(m), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(p.info_hashes.v1.to_string(), m.hashes.v1->view());
  EXPECT_EQ(p.info_hashes.v2.to_string(), m.hashes.v2->view());
  EXPECT_EQ(p.name, m.display_name);
  EXPECT_EQ(p.trackers, m.trackers);
  EXPECT_EQ(p.url_seeds, m.web_seeds);
  ASSERT_EQ(p.peers.size(), 2u);
  EXPECT_EQ(p.peers[0].address().to_string(), "10.0.0.1");
  EXPECT_EQ(p.peers[0].port(), 6881);
  EXPECT_EQ(p.peers[1].address().to_string(), "2001:db8::1");
  EXPECT_EQ(p.peers[1].port(), 51413);
  const std::vector<lt::download_priority_t> expected = {
      lt::default_priority, lt::dont_download,    lt::default_priority, lt::dont_download,
      lt::default_priority, lt::default_priority, lt::default_priority};
  EXPECT_EQ(
      std::vector<lt::download_priority_t>(p.file_priorities.begin(), p.file_priorities.end()),
      expected);
}

}  // namespace
}  // namespace magnetar::magnet
