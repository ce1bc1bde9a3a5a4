#include "indexer/classify/tokenizer.hpp"

#include <gtest/gtest.h>

namespace magnetar::indexer::classify {
namespace {

std::vector<std::string> texts(std::string_view s) {
  std::vector<Token> tokens;
  tokenize(s, tokens);
  std::vector<std::string> out;
  for (const Token& t : tokens) out.emplace_back(s.substr(t.begin, t.end - t.begin));
  return out;
}

TEST(Tokenizer, SplitsOnSeparatorsAndDigitBoundaries) {
  EXPECT_EQ(texts("The.Matrix.1999.1080p"),
            (std::vector<std::string>{"The", "Matrix", "1999", "1080", "p"}));
  EXPECT_EQ(texts("DDP5.1 x264-GRP"),
            (std::vector<std::string>{"DDP", "5", "1", "x", "264", "GRP"}));
  EXPECT_EQ(texts("[Group] Ocean's (2001)"),
            (std::vector<std::string>{"Group", "Ocean's", "2001"}));
  EXPECT_TRUE(texts("").empty());
  EXPECT_TRUE(texts(" .-_[]() ").empty());
}

TEST(Tokenizer, PlusEndsAWordButDoesNotJoinTwo) {
  EXPECT_EQ(texts("DD+5.1 HDR10+"), (std::vector<std::string>{"DD+", "5", "1", "HDR", "10", "+"}));
  EXPECT_EQ(texts("Hindi+English"), (std::vector<std::string>{"Hindi", "English"}));
  EXPECT_EQ(texts("+ DLC C++"), (std::vector<std::string>{"DLC", "C++"}));
}

TEST(Tokenizer, MarksRunStartsAndEnds) {
  std::vector<Token> tokens;
  tokenize("ab12 x", tokens);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_TRUE(tokens[0].run_start);
  EXPECT_FALSE(tokens[0].run_end);
  EXPECT_FALSE(tokens[1].run_start);
  EXPECT_TRUE(tokens[1].run_end);
  EXPECT_TRUE(tokens[2].run_start && tokens[2].run_end);
}

TEST(Tokenizer, NonAsciiBytesAreWordBytes) {
  EXPECT_EQ(texts("Am\xc3\xa9lie \xff\xfe"),
            (std::vector<std::string>{"Am\xc3\xa9lie", "\xff\xfe"}));
}

TEST(Tokenizer, StopsAtTheTokenBound) {
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "a ";
  std::vector<Token> tokens;
  tokenize(many, tokens);
  EXPECT_EQ(tokens.size(), kMaxTokens);
  tokens.clear();
  tokenize(many, tokens, many.size());
  EXPECT_EQ(tokens.size(), 1000u);
}

TEST(Tokenizer, PhrasesNormalizeToOneSpelling) {
  EXPECT_EQ(normalize_phrase("DTS-HD MA"), "dts hd ma");
  EXPECT_EQ(normalize_phrase("H.264"), normalize_phrase("h264"));
  EXPECT_EQ(normalize_phrase("WEB-DL"), normalize_phrase("web.dl"));
  EXPECT_EQ(normalize_phrase("DD+5.1"), "dd+ 5 1");
  EXPECT_EQ(normalize_phrase("..."), "");
}

}  // namespace
}  // namespace magnetar::indexer::classify
