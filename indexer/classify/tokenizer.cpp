#include "indexer/classify/tokenizer.hpp"

namespace magnetar::indexer::classify {

namespace {

bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// '+' belongs to a word only at its end ("DD+", "HDR10+", "DD+5.1", "C++"), not
// between words ("Hindi+English").
bool word_at(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c != '+') return is_word_byte(c);
  return i > 0 && is_word_byte(static_cast<unsigned char>(text[i - 1])) &&
         !(i + 1 < text.size() && ascii_letter(text[i + 1]));
}

}  // namespace

void tokenize(std::string_view text, std::vector<Token>& out, std::size_t max_tokens) {
  const auto n = static_cast<std::uint32_t>(text.size());
  std::uint32_t i = 0;
  while (i < n && out.size() < max_tokens) {
    while (i < n && !word_at(text, i)) ++i;
    if (i >= n) break;
    bool first = true;
    while (i < n && word_at(text, i) && out.size() < max_tokens) {
      const bool digits = is_digit(static_cast<unsigned char>(text[i]));
      Token token;
      token.begin = i;
      while (i < n && word_at(text, i) && is_digit(static_cast<unsigned char>(text[i])) == digits) {
        ++i;
      }
      token.end = i;
      token.run_start = first;
      token.run_end = i >= n || !word_at(text, i);
      first = false;
      out.push_back(token);
    }
    // A run cut by kMaxTokens: skip its rest so the next run starts cleanly.
    while (i < n && word_at(text, i)) ++i;
  }
  if (!out.empty()) out.back().run_end = true;
}

void lower_ascii(std::string_view text, std::string& out) {
  out.resize(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) out[i] = to_lower_ascii(text[i]);
}

std::string normalize_phrase(std::string_view phrase) {
  std::string lowered;
  lower_ascii(phrase, lowered);
  std::vector<Token> tokens;
  tokenize(lowered, tokens);
  std::string key;
  for (const Token& t : tokens) {
    if (!key.empty()) key += ' ';
    key.append(lowered, t.begin, t.end - t.begin);
  }
  return key;
}

}  // namespace magnetar::indexer::classify
