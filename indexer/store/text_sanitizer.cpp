#include "indexer/store/text_sanitizer.hpp"

#include <cstdint>

namespace magnetar::indexer::store {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_continuation(std::uint8_t b) { return (b & 0xC0) == 0x80; }

// Decodes one UTF-8 sequence at s[i]. Returns the number of bytes consumed
// and sets cp, or sets cp to -1 when s[i..i+n) is a maximal ill-formed
// subsequence (Unicode 3.9 table 3-7 defines the well-formed byte ranges).
std::size_t decode_one(std::string_view s, std::size_t i, std::int32_t& cp) {
  const auto b0 = static_cast<std::uint8_t>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t need;
  std::uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  std::int32_t value;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    value = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    value = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    value = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    cp = -1;  // 0x80..0xC1, 0xF5..0xFF never start a sequence
    return 1;
  }
  std::size_t n = 1;
  for (std::size_t k = 0; k < need; ++k, ++n) {
    if (i + n >= s.size()) {
      cp = -1;
      return n;
    }
    const auto b = static_cast<std::uint8_t>(s[i + n]);
    const bool ok = k == 0 ? (b >= lo && b <= hi) : is_continuation(b);
    if (!ok) {
      cp = -1;
      return n;
    }
    value = (value << 6) | (b & 0x3F);
  }
  cp = value;
  return n;
}

bool is_bidi_control(std::int32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

SanitizedText sanitize_text(std::string_view raw, std::size_t max_bytes) {
  SanitizedText out;
  out.text.reserve(raw.size() < max_bytes ? raw.size() : max_bytes);
  std::size_t i = 0;
  while (i < raw.size()) {
    std::int32_t cp;
    const std::size_t n = decode_one(raw, i, cp);
    std::string_view piece;
    if (cp < 0) {
      piece = kReplacement;
    } else if (cp == '\t' || cp == '\n' || cp == '\v' || cp == '\f' || cp == '\r') {
      piece = " ";
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || is_bidi_control(cp)) {
      piece = kReplacement;
    } else {
      piece = raw.substr(i, n);
    }
    if (out.text.size() + piece.size() > max_bytes) {
      out.changed = true;
      return out;
    }
    out.text.append(piece);
    i += n;
  }
  out.changed = out.text.size() != raw.size() || out.text != raw;
  return out;
}

}  // namespace magnetar::indexer::store
