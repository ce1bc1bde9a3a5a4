#include "crawler/wire/rc4.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/codec.hpp"

namespace magnetar::crawler::wire {
namespace {

struct Sample {
  std::size_t offset;
  const char* hex;  // 16 keystream bytes
};

std::vector<std::uint8_t> bytes_of(std::string_view hex) {
  const auto raw = from_hex(hex);
  EXPECT_TRUE(raw.has_value());
  return {raw->begin(), raw->end()};
}

// Keystream bytes: RC4 applied to zeros.
std::vector<std::uint8_t> keystream(const std::vector<std::uint8_t>& key, std::size_t size) {
  std::vector<std::uint8_t> out(size, 0);
  Rc4 rc4(key);
  rc4.apply(out);
  return out;
}

void expect_samples(const std::vector<std::uint8_t>& key, const std::vector<Sample>& samples) {
  const std::vector<std::uint8_t> stream = keystream(key, 4096 + 16);
  for (const Sample& s : samples) {
    const std::string got(stream.begin() + s.offset, stream.begin() + s.offset + 16);
    EXPECT_EQ(to_hex(got), s.hex) << "offset " << s.offset;
  }
}

// RFC 6229 section 2, key length 40 bits.
TEST(Rc4, MatchesRfc6229For40BitKey) {
  expect_samples(bytes_of("0102030405"), {
                                             {0, "b2396305f03dc027ccc3524a0a1118a8"},
                                             {16, "6982944f18fc82d589c403a47a0d0919"},
                                             {240, "28cb1132c96ce286421dcaadb8b69eae"},
                                             {256, "1cfcf62b03eddb641d77dfcf7f8d8c93"},
                                             {496, "42b7d0cdd918a8a33dd51781c81f4041"},
                                             {512, "6459844432a7da923cfb3eb4980661f6"},
                                             {752, "ec10327bde2beefd18f9277680457e22"},
                                             {768, "eb62638d4f0ba1fe9fca20e05bf8ff2b"},
                                             {1008, "45129048e6a0ed0b56b490338f078da5"},
                                             {1024, "30abbcc7c20b01609f23ee2d5f6bb7df"},
                                             {1520, "3294f744d8f9790507e70f62e5bbceea"},
                                             {1536, "d8729db41882259bee4f825325f5a130"},
                                             {2032, "1eb14a0c13b3bf47fa2a0ba93ad45b8b"},
                                             {2048, "cc582f8ba9f265e2b1be9112e975d2d7"},
                                             {3056, "f2e30f9bd102ecbf75aaade9bc35c43c"},
                                             {3072, "ec0e11c479dc329dc8da7968fe965681"},
                                             {4080, "068326a2118416d21f9d04b2cd1ca050"},
                                             {4096, "ff25b58995996707e51fbdf08b34d875"},
                                         });
}

// RFC 6229 section 2, key length 128 bits.
TEST(Rc4, MatchesRfc6229For128BitKey) {
  expect_samples(bytes_of("0102030405060708090a0b0c0d0e0f10"),
                 {
                     {0, "9ac7cc9a609d1ef7b2932899cde41b97"},
                     {16, "5248c4959014126a6e8a84f11d1a9e1c"},
                     {240, "065902e4b620f6cc36c8589f66432f2b"},
                     {256, "d39d566bc6bce3010768151549f3873f"},
                     {496, "b6d1e6c4a5e4771cad79538df295fb11"},
                     {512, "c68c1d5c559a974123df1dbc52a43b89"},
                     {752, "c5ecf88de897fd57fed301701b82a259"},
                     {768, "eccbe13de1fcc91c11a0b26c0bc8fa4d"},
                     {1008, "e7a72574f8782ae26aabcf9ebcd66065"},
                     {1024, "bdf0324e6083dcc6d3cedd3ca8c53c16"},
                     {1520, "b40110c4190b5622a96116b0017ed297"},
                     {1536, "ffa0b514647ec04f6306b892ae661181"},
                     {2032, "d03d1bc03cd33d70dff9fa5d71963ebd"},
                     {2048, "8a44126411eaa78bd51e8d87a8879bf5"},
                     {3056, "fabeb76028ade2d0e48722e46c4615a3"},
                     {3072, "c05d88abd50357f935a63c59ee537623"},
                     {4080, "ff38265c1642c1abe8d3c2fe5e572bf8"},
                     {4096, "a36a4c301ae8ac13610ccbc12256cacc"},
                 });
}

TEST(Rc4, DiscardSkipsExactlyThatMuchKeystream) {
  const std::vector<std::uint8_t> key = bytes_of("0102030405");
  Rc4 rc4(key);
  rc4.discard(1024);
  std::vector<std::uint8_t> block(16, 0);
  rc4.apply(block);
  // RFC 6229, offset 1024: where MSE's streams start.
  EXPECT_EQ(to_hex(std::string(block.begin(), block.end())), "30abbcc7c20b01609f23ee2d5f6bb7df");
}

TEST(Rc4, ApplyingTheSameKeystreamTwiceRestoresThePlaintext) {
  const std::vector<std::uint8_t> key = bytes_of("00112233445566778899aabbccddeeff00112233");
  std::string text = "the quick brown fox jumps over the lazy dog";
  const std::string original = text;
  Rc4 encrypt(key);
  encrypt.apply(std::span<char>(text));
  EXPECT_NE(text, original);
  Rc4 decrypt(key);
  decrypt.apply(std::span<char>(text));
  EXPECT_EQ(text, original);
}

TEST(Rc4, ChunkedApplicationEqualsOneShot) {
  const std::vector<std::uint8_t> key = bytes_of("0102030405");
  const std::vector<std::uint8_t> whole = keystream(key, 1000);
  Rc4 rc4(key);
  std::vector<std::uint8_t> chunked(1000, 0);
  std::size_t at = 0;
  for (std::size_t size = 1; at < chunked.size(); ++size) {
    const std::size_t n = std::min(size, chunked.size() - at);
    rc4.apply(std::span<std::uint8_t>(chunked).subspan(at, n));
    at += n;
  }
  EXPECT_EQ(chunked, whole);
}

TEST(Rc4, AcceptsTheLongestKey) {
  std::vector<std::uint8_t> key(Rc4::kMaxKeySize);
  for (std::size_t n = 0; n < key.size(); ++n) key[n] = static_cast<std::uint8_t>(n);
  const std::vector<std::uint8_t> a = keystream(key, 4096);
  key.back() ^= 1;
  EXPECT_NE(keystream(key, 4096), a);  // the last key byte takes part
}

}  // namespace
}  // namespace magnetar::crawler::wire
