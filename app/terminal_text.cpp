#include "app/terminal_text.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <utility>

namespace magnetar::app {
namespace {

// A code point and the bytes it took, or nothing when the bytes at the start
// of `text` are not valid UTF-8 (RFC 3629: shortest form only, no surrogates,
// nothing above U+10FFFF).
struct Decoded {
  char32_t code_point;
  std::size_t length;
};

std::optional<Decoded> decode_one(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return Decoded{lead, 1};
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;  // the smallest code point this length may encode
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return std::nullopt;  // a continuation byte or 0xF8..0xFF
  }
  if (text.size() < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return Decoded{cp, length};
}

// Code points that change how the terminal shows the text around them
// (Unicode bidi controls, UAX #9) or break lines.
bool is_invisible_control(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
         cp == 0x2029;
}

void append_byte_escape(std::string& out, unsigned char b) {
  std::array<char, 8> buf{};
  std::snprintf(buf.data(), buf.size(), "\\x%02X", b);
  out += buf.data();
}

using Range = std::pair<char32_t, char32_t>;

// Zero-width: combining marks of the common scripts, zero-width spaces and
// joiners, variation selectors (a subset of wcwidth's table that covers what
// torrent names use).
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},   {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0670, 0x0670}, {0x06D6, 0x06DC}, {0x0900, 0x0903},   {0x093A, 0x094F}, {0x0E31, 0x0E31},
    {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF},   {0x1DC0, 0x1DFF}, {0x200B, 0x200D},
    {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x302A, 0x302F},   {0x3099, 0x309A}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

// Two columns: East Asian Wide and Fullwidth (UAX #11) and emoji.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x2600, 0x27BF},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

bool in(const Range* begin, const Range* end, char32_t cp) {
  for (auto* r = begin; r != end; ++r) {
    if (cp >= r->first && cp <= r->second) return true;
  }
  return false;
}

std::size_t width_of(char32_t cp) {
  if (in(std::begin(kZeroWidth), std::end(kZeroWidth), cp)) return 0;
  // Only parts of 0x2600..0x27BF are wide in UAX #11; the symbols there that
  // names use (★, ♫, ✓) are drawn one column wide by most terminals.
  if (cp >= 0x2600 && cp <= 0x27BF) return 1;
  if (in(std::begin(kWide), std::end(kWide), cp)) return 2;
  return 1;
}

// "…": what a cut name ends with.
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";

}  // namespace

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const auto d = decode_one(text);
    if (!d) {
      append_byte_escape(out, static_cast<unsigned char>(text.front()));
      text.remove_prefix(1);
      continue;
    }
    const char32_t cp = d->code_point;
    if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x20 || cp == 0x7F) {
      append_byte_escape(out, static_cast<unsigned char>(cp));
    } else if (is_invisible_control(cp)) {
      std::array<char, 16> buf{};
      std::snprintf(buf.data(), buf.size(), "\\u{%04X}", static_cast<unsigned>(cp));
      out += buf.data();
    } else {
      out.append(text.substr(0, d->length));
    }
    text.remove_prefix(d->length);
  }
  return out;
}

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  while (!utf8.empty()) {
    const auto d = decode_one(utf8);
    if (!d) {
      // Not expected after escaping; count the byte as one column.
      ++width;
      utf8.remove_prefix(1);
      continue;
    }
    width += width_of(d->code_point);
    utf8.remove_prefix(d->length);
  }
  return width;
}

std::string truncate_to_width(std::string_view utf8, std::size_t width) {
  if (display_width(utf8) <= width) return std::string(utf8);
  if (width == 0) return {};
  const std::size_t room = width - 1;  // one column for the ellipsis
  std::size_t used = 0;
  std::size_t end = 0;
  while (end < utf8.size()) {
    const auto d = decode_one(utf8.substr(end));
    const std::size_t length = d ? d->length : 1;
    const std::size_t w = d ? width_of(d->code_point) : 1;
    if (used + w > room) break;
    used += w;
    end += length;
  }
  return std::string(utf8.substr(0, end)) + std::string(kEllipsis);
}

std::size_t terminal_columns() {
  if (::isatty(STDOUT_FILENO) == 0) return 0;
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return 0;
  return size.ws_col;
}

}  // namespace magnetar::app
