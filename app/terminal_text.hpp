// Untrusted text (torrent names, file paths: arbitrary bytes from the DHT)
// made safe to print on a terminal, and measured in terminal columns so that
// tables line up.
//
// A name can carry escape sequences (ESC [ ... moves the cursor, OSC 52 writes
// the clipboard, OSC 8 forges links), bidirectional overrides that reorder
// what is shown (the "Trojan Source" trick), or bytes that are not UTF-8 at
// all. None of them reaches the terminal raw: each is written as a visible
// escape instead.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace magnetar::app {

// Valid UTF-8 passes through unchanged except for
//   - C0 controls and DEL: \t \n \r, other bytes as \xNN;
//   - C1 controls (U+0080..U+009F), bidirectional controls (U+061C,
//     U+200E..U+200F, U+202A..U+202E, U+2066..U+2069) and the line and
//     paragraph separators (U+2028, U+2029): \u{XXXX};
//   - bytes that are not part of valid UTF-8 (stray continuation bytes,
//     overlong forms, surrogates, code points above U+10FFFF, truncated
//     sequences): each byte as \xNN.
// A backslash stays as it is: names are shown for people, and Windows-made
// paths hold many.
std::string escape_for_terminal(std::string_view text);

// Columns the text takes on a terminal, for text that went through
// escape_for_terminal (valid UTF-8 without controls): East Asian wide and
// fullwidth characters and emoji take two, combining marks and zero-width
// characters none, everything else one.
std::size_t display_width(std::string_view utf8);

// The longest prefix of utf8 that fits in `width` columns together with a
// final "…" when something had to be cut; the text itself when it fits.
// Never splits a character. A width of 0 gives "".
std::string truncate_to_width(std::string_view utf8, std::size_t width);

// Columns of the terminal standard output goes to; 0 when it is not a
// terminal (output piped or redirected: nothing is cut then).
std::size_t terminal_columns();

}  // namespace magnetar::app
