#include "indexer/classify/shape.hpp"

#include "indexer/classify/tokenizer.hpp"

namespace magnetar::indexer::classify {
namespace {

bool is_separator(char c) { return c == ' ' || c == '.' || c == '_' || c == '-'; }
bool is_hex(char c) { return is_digit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'); }

// Parses "", "2" or "1-3" after the letter of a capture element.
bool parse_count(std::string_view spec, std::uint8_t& min, std::uint8_t& max) {
  auto digit = [](char c) { return c >= '1' && c <= '9'; };
  if (spec.size() == 1 && digit(spec[0])) {
    min = max = static_cast<std::uint8_t>(spec[0] - '0');
    return true;
  }
  if (spec.size() == 3 && digit(spec[0]) && spec[1] == '-' && digit(spec[2]) &&
      spec[0] <= spec[2]) {
    min = static_cast<std::uint8_t>(spec[0] - '0');
    max = static_cast<std::uint8_t>(spec[2] - '0');
    return true;
  }
  return false;
}

}  // namespace

std::optional<Shape> Shape::compile(std::string_view pattern, std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<Shape> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  Shape shape;
  for (std::size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    Element e{Kind::kLiteral};
    if (c == '<') {
      const auto close = pattern.find('>', i);
      if (close == std::string_view::npos) return fail("'<' without '>'");
      const std::string_view body = pattern.substr(i + 1, close - i - 1);
      if (body.empty()) return fail("empty capture '<>'");
      const std::string_view spec = body.substr(1);
      if (body[0] == 'n') {
        e.kind = Kind::kDigits;
        e.min = 1;
        e.max = 4;
        if (!spec.empty() && !parse_count(spec, e.min, e.max)) {
          return fail("bad digit count in '<" + std::string(body) + ">' (use <n>, <n2> or <n1-3>)");
        }
      } else if (body[0] == 'x') {
        e.kind = Kind::kHex;
        if (!parse_count(spec, e.min, e.max) || e.min != e.max) {
          return fail("bad hex count in '<" + std::string(body) + ">' (use <x8>)");
        }
      } else if (body == "v") {
        e.kind = Kind::kVersion;
      } else {
        return fail("unknown capture '<" + std::string(body) + ">'");
      }
      ++shape.captures_;
      i = close + 1;
    } else if (c == ' ') {
      e.kind = Kind::kSeparators;
      ++i;
    } else if (c == '~') {
      e.kind = Kind::kOptionalSeparators;
      ++i;
    } else if (c == '>') {
      return fail("'>' without '<'");
    } else {
      e.literal = to_lower_ascii(c);
      ++i;
    }
    shape.elements_.push_back(e);
    if (shape.elements_.size() > kMaxShapeElements) return fail("pattern too long");
  }
  if (shape.elements_.empty()) return fail("empty pattern");
  // A separator run stops before a separator character the pattern spells next.
  for (std::size_t k = 0; k + 1 < shape.elements_.size(); ++k) {
    Element& e = shape.elements_[k];
    const Element& next = shape.elements_[k + 1];
    if ((e.kind == Kind::kSeparators || e.kind == Kind::kOptionalSeparators) &&
        next.kind == Kind::kLiteral && is_separator(next.literal)) {
      e.literal = next.literal;
    }
  }
  if (shape.captures_ > kMaxShapeCaptures) return fail("more than 4 captures");
  const auto edge = [](const Element& e) {
    return e.kind == Kind::kSeparators || e.kind == Kind::kOptionalSeparators ||
           (e.kind == Kind::kLiteral && !is_word_byte(static_cast<unsigned char>(e.literal)));
  };
  if (edge(shape.elements_.front()))
    return fail("a pattern must start with a letter, digit or capture");
  if (shape.elements_.back().kind == Kind::kSeparators ||
      shape.elements_.back().kind == Kind::kOptionalSeparators) {
    return fail("a pattern must not end with a separator");
  }
  return shape;
}

bool Shape::starts_with_digit() const {
  const Element& e = elements_.front();
  return e.kind == Kind::kDigits || e.kind == Kind::kVersion || e.kind == Kind::kHex;
}

char Shape::first_literal() const {
  const Element& e = elements_.front();
  return e.kind == Kind::kLiteral ? e.literal : '\0';
}

std::optional<ShapeMatch> Shape::match(std::string_view text, std::uint32_t begin) const {
  const auto n = static_cast<std::uint32_t>(text.size());
  std::uint32_t i = begin;
  ShapeMatch m;
  for (const Element& e : elements_) {
    switch (e.kind) {
      case Kind::kLiteral:
        if (i >= n || text[i] != e.literal) return std::nullopt;
        ++i;
        break;
      case Kind::kSeparators:
      case Kind::kOptionalSeparators: {
        // Stops before a separator the pattern spells next ("<n4> - <n4>"), and
        // refuses a spaced dash: " - " splits a name into parts ("Season - 23"
        // is a title and an episode, not season 23).
        const std::uint32_t from = i;
        bool space = false, dash = false;
        while (i < n && is_separator(text[i]) && text[i] != e.literal) {
          (text[i] == '-' ? dash : space) = true;
          ++i;
        }
        if (space && dash) return std::nullopt;
        if (e.kind == Kind::kSeparators && i == from) return std::nullopt;
        break;
      }
      case Kind::kDigits: {
        Capture& c = m.captures[m.capture_count++];
        c.begin = i;
        while (i < n && i - c.begin < e.max && is_digit(static_cast<unsigned char>(text[i]))) {
          c.number = c.number * 10 + static_cast<std::uint64_t>(text[i] - '0');
          ++i;
        }
        if (i - c.begin < e.min) return std::nullopt;
        c.end = i;
        break;
      }
      case Kind::kVersion: {
        // digits ('.' digits)*, bounded to keep hostile input cheap.
        constexpr std::uint32_t kMaxVersionBytes = 24;
        Capture& c = m.captures[m.capture_count++];
        c.begin = i;
        bool first = true;
        while (i < n && i - c.begin < kMaxVersionBytes) {
          if (!is_digit(static_cast<unsigned char>(text[i]))) break;
          while (i < n && is_digit(static_cast<unsigned char>(text[i]))) {
            if (first && c.number < 1000000) c.number = c.number * 10 + (text[i] - '0');
            ++i;
          }
          first = false;
          if (i + 1 < n && text[i] == '.' && is_digit(static_cast<unsigned char>(text[i + 1]))) {
            ++i;
          } else {
            break;
          }
        }
        if (i == c.begin) return std::nullopt;
        c.end = i;
        break;
      }
      case Kind::kHex: {
        Capture& c = m.captures[m.capture_count++];
        c.begin = i;
        while (i < n && i - c.begin < e.max && is_hex(text[i])) ++i;
        if (i - c.begin != e.max) return std::nullopt;
        c.end = i;
        break;
      }
    }
  }
  if (i < n && is_word_byte(static_cast<unsigned char>(text[i]))) return std::nullopt;
  m.end = i;
  return m;
}

}  // namespace magnetar::indexer::classify
