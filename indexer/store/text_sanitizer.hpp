// The one rule by which torrent names and file paths (arbitrary bytes from the
// network) become text for search and display (see README.md, "Names"):
//
//   1. Bytes are decoded as UTF-8. Each maximal ill-formed subsequence (Unicode
//      3.9, "U+FFFD substitution of maximal subparts": overlongs, surrogates,
//      code points above U+10FFFF, truncated sequences, stray continuation
//      bytes) becomes one U+FFFD.
//   2. HT, LF, VT, FF and CR become a space (they separate words).
//   3. Every other C0 control (NUL included), DEL and every C1 control
//      (U+0080..U+009F) becomes U+FFFD.
//   4. The bidirectional embedding, override and isolate controls (U+202A..U+202E,
//      U+2066..U+2069) become U+FFFD: they make "gpj.exe" display as "exe.jpg".
//   5. The result is cut to its longest prefix of whole characters of at most
//      max_bytes bytes.
//
// Everything else is kept as is (HTML included: it is escaped on display, not
// in storage). The store keeps the original bytes next to the text only where
// they differ (`changed`).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace magnetar::indexer::store {

// Names beyond this are cut in the text column (the original bytes are kept):
// real names are under 300 bytes; 4 KiB bounds the search columns built on it.
inline constexpr std::size_t kMaxTextBytes = 4096;

struct SanitizedText {
  std::string text;      // valid UTF-8, no control characters
  bool changed = false;  // text != the input bytes
};

SanitizedText sanitize_text(std::string_view raw, std::size_t max_bytes = kMaxTextBytes);

}  // namespace magnetar::indexer::store
