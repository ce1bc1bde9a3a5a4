#include "indexer/classify/text_clean.hpp"

#include <algorithm>
#include <vector>

namespace magnetar::indexer::classify {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// Length of the valid UTF-8 sequence at s[i], or 0 if invalid (RFC 3629:
// no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b1 < lo || b1 > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < 0x80 || b > 0xBF) return 0;
  }
  return len;
}

bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// raw[i] is a letter standing alone between dots (or the ends): the "W" of "S.W.A.T".
bool single_letter_at(std::string_view raw, std::size_t i) {
  if (i >= raw.size() || !letter(raw[i])) return false;
  const bool left = i == 0 || raw[i - 1] == '.';
  const bool right = i + 1 == raw.size() || raw[i + 1] == '.';
  return left && right;
}

}  // namespace

std::string sanitize_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t len = utf8_length(bytes, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (len == 1 && (c < 0x20 || c == 0x7F)) {
      out += ' ';
    } else {
      out.append(bytes.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string clean_title(std::string_view raw) {
  std::string spaced;
  spaced.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '.' && i > 0 && i + 1 < raw.size() && digit(raw[i - 1]) && digit(raw[i + 1])) {
      spaced += c;  // "2.5", "9.1"
    } else if (c == '.' && single_letter_at(raw, i - 1) && single_letter_at(raw, i + 1)) {
      spaced += c;  // acronyms: "S.W.A.T", "S.H.I.E.L.D"
    } else if (c == '.' || c == '_' || c == '\t') {
      spaced += ' ';
    } else {
      spaced += c;
    }
  }
  std::string text = sanitize_utf8(spaced);
  // Empty brackets left behind by removed tags: "Title ()" -> "Title ".
  for (std::string_view empty : {"()", "[]", "{}"}) {
    for (auto at = text.find(empty); at != std::string::npos; at = text.find(empty))
      text.erase(at, 2);
  }
  // Collapse runs of spaces.
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  // A bracket the title cut open: "Papercuts (Singles Collection" -> "Papercuts".
  std::vector<std::size_t> open_at;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    if (c == '(' || c == '[' || c == '{') {
      open_at.push_back(i);
    } else if ((c == ')' || c == ']' || c == '}') && !open_at.empty()) {
      open_at.pop_back();
    }
  }
  if (!open_at.empty() && open_at.front() > 0) out.resize(open_at.front());
  // Trim separators and unbalanced brackets at both ends.
  auto unbalanced_close = [&](char close) {
    const char open = close == ')' ? '(' : close == ']' ? '[' : '{';
    return std::count(out.begin(), out.end(), open) < std::count(out.begin(), out.end(), close);
  };
  auto unbalanced_open = [&](char open) {
    const char close = open == '(' ? ')' : open == '[' ? ']' : '}';
    return std::count(out.begin(), out.end(), open) > std::count(out.begin(), out.end(), close);
  };
  for (bool changed = true; changed && !out.empty();) {
    changed = false;
    const char b = out.back();
    if (b == ' ' || b == '-' || b == ',' || b == ':' || b == ';' || b == '+' || b == '&' ||
        b == '~' || b == '|' || ((b == '(' || b == '[' || b == '{')) ||
        ((b == ')' || b == ']' || b == '}') && unbalanced_close(b))) {
      out.pop_back();
      changed = true;
      continue;
    }
    const char f = out.front();
    if (f == ' ' || f == '-' || f == ',' || f == ':' || f == ';' || f == '+' || f == '~' ||
        f == '|' || ((f == '(' || f == '[' || f == '{') && unbalanced_open(f)) || f == ')' ||
        f == ']' || f == '}') {
      out.erase(out.begin());
      changed = true;
    }
  }
  // A title wrapped whole in brackets: "[Mahou Shoujo ni Akogarete]".
  while (out.size() >= 2 && (out.front() == '(' || out.front() == '[')) {
    const char close = out.front() == '(' ? ')' : ']';
    int depth = 0;
    std::size_t match = std::string::npos;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i] == out.front()) ++depth;
      if (out[i] == close && --depth == 0) {
        match = i;
        break;
      }
    }
    if (match != out.size() - 1) break;
    out = out.substr(1, out.size() - 2);
    while (!out.empty() && out.front() == ' ') out.erase(out.begin());
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

}  // namespace magnetar::indexer::classify
