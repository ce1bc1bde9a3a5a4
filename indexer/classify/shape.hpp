// A shape: a small pattern for structured tokens such as S01E02, 1x02, 2023.05.01,
// 1920x1080 or v25.0.1, matched at the start of a run of a lowercased name.
// Cheaper and more predictable than std::regex (no backtracking, bounded by the
// pattern length), and enough for release names.
//
// Pattern syntax (see rules/README.md):
//   <n>      1 to 4 digits, captured        <n2>   exactly 2 digits
//   <n1-3>   1 to 3 digits                  <v>    a version: 1.2.3 (digits and dots)
//   <x8>     exactly 8 hex digits           ' '    one or more of " ._-"
//   '~'      zero or more of " ._-"         other  that character, case-insensitive
// ' ' and '~' never match a spaced dash (" - ", which splits names into parts)
// and stop before a separator the pattern spells next ("<n4> - <n4>").
// A match must end where a run ends (not inside "S01E02x").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace magnetar::indexer::classify {

// Patterns are short; the bound keeps a hostile user file from making matching slow.
inline constexpr std::size_t kMaxShapeElements = 32;
inline constexpr std::size_t kMaxShapeCaptures = 4;

struct Capture {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint64_t number = 0;  // the digits' value (the first number of a version)
};

struct ShapeMatch {
  std::uint32_t end = 0;
  std::uint8_t capture_count = 0;
  Capture captures[kMaxShapeCaptures];
};

class Shape {
 public:
  // nullopt and a reason in *why if the pattern is invalid.
  static std::optional<Shape> compile(std::string_view pattern, std::string* why);

  // Matches at text[begin]; text is lowercased.
  std::optional<ShapeMatch> match(std::string_view text, std::uint32_t begin) const;

  std::size_t capture_count() const { return captures_; }
  // The bytes that can start a match: a literal, or any digit.
  bool starts_with_digit() const;
  char first_literal() const;  // 0 when the shape starts with a capture

 private:
  enum class Kind : std::uint8_t {
    kLiteral,
    kSeparators,
    kOptionalSeparators,
    kDigits,
    kVersion,
    kHex
  };
  struct Element {
    Kind kind;
    char literal = 0;  // kLiteral: the byte; separators: the byte they stop at
    std::uint8_t min = 0;
    std::uint8_t max = 0;
  };
  std::vector<Element> elements_;
  std::size_t captures_ = 0;
};

}  // namespace magnetar::indexer::classify
