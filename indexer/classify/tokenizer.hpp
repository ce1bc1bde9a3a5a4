// Splits a torrent name (any bytes) into tokens for the rules engine.
//
// A run is a maximal sequence of word bytes (ASCII letters and digits, the bytes
// of non-ASCII characters, '\'', and '+' at the end of a word: "DD+", "HDR10+",
// but "Hindi+English" is two runs); everything else separates runs. A run is
// further split where digits meet non-digits, so "DDP5.1", "DDP.5.1" and
// "ddp 5 1" all become the tokens "ddp" "5" "1": rules written in one spelling
// match the others. Rule phrases go through the same function, so a phrase and a
// name agree on what a token is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace magnetar::indexer::classify {

struct Token {
  std::uint32_t begin = 0;  // byte offsets into the text given to tokenize()
  std::uint32_t end = 0;
  bool run_start = false;  // first token of its run (a separator or the start before it)
  bool run_end = false;    // last token of its run
};

// Bounds the work on hostile names: a real release name has a few dozen tokens.
inline constexpr std::size_t kMaxTokens = 256;
// The longest rule phrase, in tokens ("Original Motion Picture Soundtrack" is 4):
// bounds the phrase lookups tried at each token.
inline constexpr std::size_t kMaxPhraseTokens = 8;

inline bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 ||
         c == '\'' || c == '+';
}
inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
inline char to_lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Appends the tokens of `text` (at most max_tokens in total) to `out`.
void tokenize(std::string_view text, std::vector<Token>& out, std::size_t max_tokens = kMaxTokens);

// ASCII-lowercases `text` into `out` (replacing its contents).
void lower_ascii(std::string_view text, std::string& out);

// The lookup key of a rule phrase: its lowercased tokens joined by one space.
// "DTS-HD MA" -> "dts hd ma", "H.264" -> "h 264". Empty if it has no token.
std::string normalize_phrase(std::string_view phrase);

}  // namespace magnetar::indexer::classify
