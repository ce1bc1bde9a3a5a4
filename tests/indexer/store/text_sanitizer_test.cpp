#include "indexer/store/text_sanitizer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace magnetar::indexer::store {
namespace {

using namespace std::string_literals;

const std::string kFffd = "\xEF\xBF\xBD";

struct Case {
  const char* label;
  std::string in;
  std::string out;
};

class SanitizeTextTable : public ::testing::TestWithParam<Case> {};

TEST_P(SanitizeTextTable, AppliesTheDocumentedRule) {
  const auto& c = GetParam();
  const auto r = sanitize_text(c.in);
  EXPECT_EQ(r.text, c.out) << c.label;
  EXPECT_EQ(r.changed, c.in != c.out) << c.label;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SanitizeTextTable,
    ::testing::Values(Case{"ascii", "The.Matrix.1999.1080p", "The.Matrix.1999.1080p"},
                      Case{"empty", "", ""},
                      Case{"valid multibyte", "Amélie 東京 😀", "Amélie 東京 😀"},
                      Case{"html kept", "<script>alert(1)</script>&amp;",
                           "<script>alert(1)</script>&amp;"},
                      Case{"nul", "a\0b"s, "a" + kFffd + "b"}, Case{"only nul", "\0"s, kFffd},
                      Case{"tab newline cr become spaces", "a\tb\nc\rd", "a b c d"},
                      Case{"other c0 and del",
                           "a\x01\x1b\x7f"
                           "b",
                           "a" + kFffd + kFffd + kFffd + "b"},
                      Case{"c1 control",
                           "a\xC2\x85"
                           "b",
                           "a" + kFffd + "b"},
                      Case{"rtl override",
                           "gpj\xE2\x80\xAE"
                           "exe",
                           "gpj" + kFffd + "exe"},
                      Case{"rtl isolate", "\xE2\x81\xA6x\xE2\x81\xA9", kFffd + "x" + kFffd},
                      Case{"latin1 byte", "caf\xE9", "caf" + kFffd},
                      Case{"stray continuation", "\x80\x80", kFffd + kFffd},
                      Case{"truncated 3-byte is one replacement",
                           "a\xE6\x9D"
                           "b",
                           "a" + kFffd + "b"},
                      Case{"truncated at end", "a\xF0\x9F\x98", "a" + kFffd},
                      Case{"overlong slash", "\xC0\xAF", kFffd + kFffd},
                      Case{"overlong 3-byte", "\xE0\x80\xAF", kFffd + kFffd + kFffd},
                      Case{"surrogate", "\xED\xA0\x80", kFffd + kFffd + kFffd},
                      Case{"above 10FFFF", "\xF4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd},
                      Case{"invalid lead bytes", "\xF5\xFF", kFffd + kFffd}),
    [](const auto& info) {
      std::string name = info.param.label;
      for (auto& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return name;
    });

TEST(SanitizeText, CutsLongNamesAtACharacterBoundary) {
  std::string name;
  for (int i = 0; i < 5000; ++i) name += "é";  // 10,000 bytes
  const auto r = sanitize_text(name);
  EXPECT_TRUE(r.changed);
  EXPECT_EQ(r.text.size(), kMaxTextBytes);
  EXPECT_EQ(r.text, name.substr(0, kMaxTextBytes));
}

TEST(SanitizeText, KeepsANameOfExactlyTheLimit) {
  const std::string name(kMaxTextBytes, 'x');
  const auto r = sanitize_text(name);
  EXPECT_FALSE(r.changed);
  EXPECT_EQ(r.text, name);
}

TEST(SanitizeText, OutputIsAlwaysValidForEveryByte) {
  // Each single byte and each byte pair maps to text without NUL or C0 bytes.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; b += 5) {
      const std::string in{static_cast<char>(a), static_cast<char>(b)};
      const auto r = sanitize_text(in);
      for (unsigned char ch : r.text) ASSERT_GE(ch, 0x20) << a << "," << b;
      // Idempotent: sanitized text is a fixed point.
      ASSERT_EQ(sanitize_text(r.text).text, r.text);
      ASSERT_FALSE(sanitize_text(r.text).changed);
    }
  }
}

}  // namespace
}  // namespace magnetar::indexer::store
