#include "indexer/search/query_parser.hpp"

#include <algorithm>
#include <cstdint>

namespace magnetar::search {
namespace {

constexpr char kQuote = '"';
constexpr char kStar = '*';
constexpr char kMinus = '-';
constexpr std::string_view kOr = "OR";

constexpr bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// ASCII letters and digits, and every byte of a non-ASCII code point (the
// text is valid UTF-8 by then): see "letter or digit" in query_parser.hpp.
constexpr bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

constexpr bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

bool has_word_byte(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return is_word_byte(static_cast<unsigned char>(c)); });
}

bool all_space(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return is_space(static_cast<unsigned char>(c)); });
}

// Code points of valid UTF-8: every byte but the continuation bytes.
std::size_t count_code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return !is_continuation(static_cast<unsigned char>(c));
  }));
}

// UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing past
// U+10FFFF), and no control characters. An ill-formed sequence is reported at
// its first byte: the lead byte of a truncated or overlong sequence, or the
// stray continuation byte.
Status check_encoding(std::string_view text) {
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && !is_space(c)) || c == 0x7f) return Error(QueryErrc::kControlCharacter, i);
      ++i;
      continue;
    }
    // Length of the sequence, and the range of its second byte (RFC 3629, 4).
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c == 0xE0) {
      length = 3;
      low = 0xA0;  // below: overlong
    } else if (c == 0xED) {
      length = 3;
      high = 0x9F;  // above: UTF-16 surrogates
    } else if (c >= 0xE1 && c <= 0xEF) {
      length = 3;
    } else if (c == 0xF0) {
      length = 4;
      low = 0x90;  // below: overlong
    } else if (c >= 0xF1 && c <= 0xF3) {
      length = 4;
    } else if (c == 0xF4) {
      length = 4;
      high = 0x8F;  // above: past U+10FFFF
    } else {
      return Error(QueryErrc::kInvalidUtf8, i);  // continuation, C0/C1 overlong, F5..FF
    }
    if (n - i < length) return Error(QueryErrc::kInvalidUtf8, i);
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if (second < low || second > high) return Error(QueryErrc::kInvalidUtf8, i);
    for (std::size_t k = 2; k < length; ++k) {
      if (!is_continuation(static_cast<unsigned char>(text[i + k]))) {
        return Error(QueryErrc::kInvalidUtf8, i);
      }
    }
    i += length;
  }
  return Ok{};
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<Query> run() {
    Query query;
    bool after_or = false;  // the last thing read was an OR: the next literal joins its clause
    std::size_t or_offset = 0;
    std::size_t i = skip_space(0);
    while (i < text_.size()) {
      if (is_or_at(i)) {
        if (query.all.empty() || after_or) return Error(QueryErrc::kDanglingOr, i);
        after_or = true;
        or_offset = i;
        i = skip_space(i + kOr.size());
        continue;
      }
      Literal literal;
      auto end = read_literal(i, literal);
      if (!end.ok()) return end.error();
      if (after_or) {
        query.all.back().any.push_back(std::move(literal));
      } else {
        query.all.push_back(Clause{{std::move(literal)}});
      }
      after_or = false;
      i = skip_space(*end);
    }
    if (after_or) return Error(QueryErrc::kDanglingOr, or_offset);
    return query;
  }

 private:
  bool at_separator(std::size_t i) const {
    return i >= text_.size() || is_space(static_cast<unsigned char>(text_[i]));
  }

  std::size_t skip_space(std::size_t i) const {
    while (i < text_.size() && is_space(static_cast<unsigned char>(text_[i]))) ++i;
    return i;
  }

  bool is_or_at(std::size_t i) const {
    return text_.substr(i, kOr.size()) == kOr && at_separator(i + kOr.size());
  }

  // Reads the literal starting at `start` (not a separator); returns where it ends.
  Result<std::size_t> read_literal(std::size_t start, Literal& literal) {
    std::size_t i = start;
    if (text_[i] == kMinus) {
      if (at_separator(i + 1)) return Error(QueryErrc::kDanglingExclusion, i);
      if (text_[i + 1] == kMinus) return Error(QueryErrc::kDanglingExclusion, i + 1);
      literal.excluded = true;
      ++i;
    }
    if (terms_ == kMaxTerms) return Error(QueryErrc::kTooManyTerms, i);
    ++terms_;
    literal.term.offset = i;
    return text_[i] == kQuote ? read_phrase(i, literal.term) : read_word(i, literal.term);
  }

  Result<std::size_t> read_phrase(std::size_t open, Term& term) const {
    const std::size_t close = text_.find(kQuote, open + 1);
    if (close == std::string_view::npos) return Error(QueryErrc::kUnterminatedPhrase, open);
    const std::string_view inside = text_.substr(open + 1, close - open - 1);
    if (all_space(inside)) return Error(QueryErrc::kEmptyPhrase, open);
    if (!has_word_byte(inside)) return Error(QueryErrc::kNothingSearchable, open);
    const std::size_t after = close + 1;
    if (!at_separator(after)) {
      switch (text_[after]) {
        case kQuote:
          return Error(QueryErrc::kStrayQuote, after);
        case kStar:  // `"ab"*`: only words have prefixes
          return Error(QueryErrc::kPrefixNotAWord, after);
        default:
          return Error(QueryErrc::kTextAfterPhrase, after);
      }
    }
    term.kind = TermKind::kPhrase;
    term.text = inside;
    return after;
  }

  Result<std::size_t> read_word(std::size_t start, Term& term) const {
    std::size_t end = start;
    while (!at_separator(end)) ++end;
    const std::string_view word = text_.substr(start, end - start);
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (word[k] == kQuote) return Error(QueryErrc::kStrayQuote, start + k);
      if (word[k] == kStar && k + 1 != word.size()) {
        return Error(QueryErrc::kPrefixNotAWord, start + k);
      }
    }
    if (word.back() == kStar) {
      const std::string_view prefix = word.substr(0, word.size() - 1);
      for (std::size_t k = 0; k < prefix.size(); ++k) {
        if (!is_word_byte(static_cast<unsigned char>(prefix[k]))) {
          return Error(QueryErrc::kPrefixNotAWord, start + k);
        }
      }
      if (count_code_points(prefix) < kMinPrefixChars) {
        return Error(QueryErrc::kPrefixTooShort, end - 1);
      }
      term.kind = TermKind::kPrefix;
      term.text = prefix;
      return end;
    }
    if (!has_word_byte(word)) return Error(QueryErrc::kNothingSearchable, start);
    term.kind = TermKind::kWord;
    term.text = word;
    return end;
  }

  std::string_view text_;
  std::size_t terms_ = 0;
};

}  // namespace

Result<Query> parse_query(std::string_view text) {
  if (text.size() > kMaxQueryBytes) return Error(QueryErrc::kTooLong, kMaxQueryBytes);
  if (auto encoding = check_encoding(text); !encoding.ok()) return encoding.error();
  return Parser(text).run();
}

std::string to_string(const Query& query) {
  std::string out;
  for (const Clause& clause : query.all) {
    if (!out.empty()) out += ' ';
    for (std::size_t j = 0; j < clause.any.size(); ++j) {
      const Literal& literal = clause.any[j];
      if (j > 0) out += " OR ";
      if (literal.excluded) out += kMinus;
      switch (literal.term.kind) {
        case TermKind::kWord:
          out += literal.term.text;
          break;
        case TermKind::kPhrase:
          out += kQuote;
          out += literal.term.text;
          out += kQuote;
          break;
        case TermKind::kPrefix:
          out += literal.term.text;
          out += kStar;
          break;
      }
    }
  }
  return out;
}

}  // namespace magnetar::search
