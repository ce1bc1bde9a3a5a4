#include "indexer/search/query_parser.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace magnetar {

void PrintTo(const Error& error, std::ostream* os) { *os << error.message(); }

}  // namespace magnetar

namespace magnetar::search {

// Failures print the AST with kinds and offsets, not bytes.
void PrintTo(const Query& query, std::ostream* os) {
  static constexpr const char* kKinds[] = {"word", "phrase", "prefix"};
  *os << "{";
  for (const Clause& clause : query.all) {
    *os << " (";
    for (const Literal& literal : clause.any) {
      *os << " " << (literal.excluded ? "-" : "") << kKinds[static_cast<int>(literal.term.kind)]
          << "[" << literal.term.text << "]@" << literal.term.offset;
    }
    *os << " )";
  }
  *os << " }";
}

namespace {

using namespace std::string_literals;

Literal word(std::string text, std::size_t offset) {
  return {Term{TermKind::kWord, std::move(text), offset}};
}
Literal phrase(std::string text, std::size_t offset) {
  return {Term{TermKind::kPhrase, std::move(text), offset}};
}
Literal prefix(std::string text, std::size_t offset) {
  return {Term{TermKind::kPrefix, std::move(text), offset}};
}
Literal excluded(Literal literal) {
  literal.excluded = true;
  return literal;
}
Clause any(std::vector<Literal> literals) { return Clause{std::move(literals)}; }
// A query of one-literal clauses: a b c.
Query all_of(std::vector<Literal> literals) {
  Query query;
  for (auto& literal : literals) query.all.push_back(Clause{{std::move(literal)}});
  return query;
}

Query without_offsets(Query query) {
  for (Clause& clause : query.all) {
    for (Literal& literal : clause.any) literal.term.offset = 0;
  }
  return query;
}

// `count` words "t0 t1 ...", each followed by one space but the last.
std::string numbered_words(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ' ';
    out += 't' + std::to_string(i);
  }
  return out;
}

struct Valid {
  const char* label;
  std::string input;
  Query expected;
};

class ParseQueryAccepts : public ::testing::TestWithParam<Valid> {};

TEST_P(ParseQueryAccepts, WithTheExactTree) {
  const auto& c = GetParam();
  const auto parsed = parse_query(c.input);
  ASSERT_TRUE(parsed.ok()) << c.label << ": " << parsed.error().message();
  EXPECT_EQ(*parsed, c.expected) << c.label;
}

TEST_P(ParseQueryAccepts, AndItsCanonicalTextParsesToTheSameTree) {
  const auto& c = GetParam();
  const std::string canonical = to_string(c.expected);
  EXPECT_LE(canonical.size(), c.input.size()) << c.label;
  const auto again = parse_query(canonical);
  ASSERT_TRUE(again.ok()) << c.label << ": " << canonical << ": " << again.error().message();
  EXPECT_EQ(without_offsets(*again), without_offsets(c.expected)) << c.label << ": " << canonical;
  EXPECT_EQ(to_string(*again), canonical) << c.label;
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, ParseQueryAccepts,
    ::testing::Values(
        Valid{"empty", "", Query{}}, Valid{"only whitespace", " \t\r\n\v\f ", Query{}},
        Valid{"one word", "matrix", all_of({word("matrix", 0)})},
        Valid{"surrounding whitespace", "  matrix \n", all_of({word("matrix", 2)})},
        Valid{"words are and-ed", "the matrix 1999",
              all_of({word("the", 0), word("matrix", 4), word("1999", 11)})},
        Valid{
            "brief example", "matrix \"blu ray\" 1080p OR 720p -cam",
            Query{{any({word("matrix", 0)}), any({phrase("blu ray", 7)}),
                   any({word("1080p", 17), word("720p", 26)}), any({excluded(word("cam", 32))})}}},
        Valid{"or binds tighter than and", "a b OR c d",
              Query{{any({word("a", 0)}), any({word("b", 2), word("c", 7)}), any({word("d", 9)})}}},
        Valid{"or chains", "a OR b OR c",
              Query{{any({word("a", 0), word("b", 5), word("c", 10)})}}},
        Valid{"or between all kinds", "\"a b\" OR -c OR de*",
              Query{{any({phrase("a b", 0), excluded(word("c", 10)), prefix("de", 15)})}}},
        Valid{"lower-case or is a word", "a or b",
              all_of({word("a", 0), word("or", 2), word("b", 5)})},
        Valid{"mixed-case Or is a word", "Or", all_of({word("Or", 0)})},
        Valid{"OR inside a longer word", "ORx xOR OR.",
              all_of({word("ORx", 0), word("xOR", 4), word("OR.", 8)})},
        Valid{"excluded OR is a word", "a -OR", all_of({word("a", 0), excluded(word("OR", 3))})},
        Valid{"quoted OR is a phrase", "\"OR\"", all_of({phrase("OR", 0)})},
        Valid{"inner hyphen is part of the word", "spider-man", all_of({word("spider-man", 0)})},
        Valid{"excluded hyphenated word", "-spider-man", all_of({excluded(word("spider-man", 1))})},
        Valid{"trailing hyphen", "a- b-", all_of({word("a-", 0), word("b-", 3)})},
        Valid{"punctuation around letters", "(1080p) x_y C++ 5.1",
              all_of({word("(1080p)", 0), word("x_y", 8), word("C++", 12), word("5.1", 16)})},
        Valid{"phrase", "\"the matrix\"", all_of({phrase("the matrix", 0)})},
        Valid{"phrase whitespace kept as typed", "\" the \t matrix\n\"",
              all_of({phrase(" the \t matrix\n", 0)})},
        Valid{"phrase keeps star, minus and OR", "\"mat* -x OR y\"",
              all_of({phrase("mat* -x OR y", 0)})},
        Valid{"phrase with one word", "\"a\"", all_of({phrase("a", 0)})},
        Valid{"excluded phrase", "-\"foo bar\"", all_of({excluded(phrase("foo bar", 1))})},
        Valid{"adjacent phrases", "\"a\" \"b\"", all_of({phrase("a", 0), phrase("b", 4)})},
        Valid{"phrase followed by a tab", "\"a\"\tb", all_of({phrase("a", 0), word("b", 4)})},
        Valid{"prefix", "mat*", all_of({prefix("mat", 0)})},
        Valid{"shortest prefix", "ab*", all_of({prefix("ab", 0)})},
        Valid{"digit prefix", "10*", all_of({prefix("10", 0)})},
        Valid{"excluded prefix", "-mat*", all_of({excluded(prefix("mat", 1))})},
        Valid{"tabs and newlines separate", "a\tb\nc\r\nd\v\fe",
              all_of({word("a", 0), word("b", 2), word("c", 4), word("d", 7), word("e", 10)})},
        Valid{"tabs around OR", "a\tOR\nb", Query{{any({word("a", 0), word("b", 5)})}}},
        Valid{"unicode word", "Amélie", all_of({word("Amélie", 0)})},
        Valid{"unicode words and phrase", "東京 \"ночной дозор\"",
              all_of({word("東京", 0), phrase("ночной дозор", 7)})},
        Valid{"two code point prefix in six bytes", "東京*", all_of({prefix("東京", 0)})},
        Valid{"emoji is a word character", "😀", all_of({word("😀", 0)})},
        Valid{"non-ascii space is a word character", "a\u00a0b", all_of({word("a\u00a0b", 0)})},
        Valid{"utf-8 boundaries", "\u0080 \u07ff \u0800 \ud7ff \ue000 \uffff \U00010000 \U0010ffff",
              all_of({word("\u0080", 0), word("\u07ff", 3), word("\u0800", 6), word("\ud7ff", 10),
                      word("\ue000", 14), word("\uffff", 18), word("\U00010000", 22),
                      word("\U0010ffff", 27)})},
        Valid{"max length", std::string(kMaxQueryBytes, 'a'),
              all_of({word(std::string(kMaxQueryBytes, 'a'), 0)})},
        Valid{"max length of whitespace", std::string(kMaxQueryBytes, ' '), Query{}},
        Valid{"max terms", numbered_words(kMaxTerms),
              all_of({word("t0", 0), word("t1", 3), word("t2", 6), word("t3", 9), word("t4", 12),
                      word("t5", 15), word("t6", 18), word("t7", 21), word("t8", 24),
                      word("t9", 27), word("t10", 30), word("t11", 34), word("t12", 38),
                      word("t13", 42), word("t14", 46), word("t15", 50)})}),
    [](const auto& info) {
      std::string name = info.param.label;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(ParseQuery, CountsAPhraseAsOneTermAndOrAsNone) {
  std::string phrases;
  for (std::size_t i = 0; i < kMaxTerms; ++i) phrases += "\"a b c\" ";
  const auto parsed = parse_query(phrases);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(parsed->all.size(), kMaxTerms);

  std::string ored = "t0";
  for (std::size_t i = 1; i < kMaxTerms; ++i) ored += " OR t" + std::to_string(i);
  const auto one_clause = parse_query(ored);
  ASSERT_TRUE(one_clause.ok()) << one_clause.error().message();
  ASSERT_EQ(one_clause->all.size(), 1u);
  EXPECT_EQ(one_clause->all[0].any.size(), kMaxTerms);
}

TEST(ParseQuery, RejectsOneTermPastTheLimitAtThatTerm) {
  // numbered_words(16) is 53 bytes: the 17th term starts after one more space.
  const std::string seventeen = numbered_words(kMaxTerms + 1);
  EXPECT_EQ(parse_query(seventeen).error(), Error(QueryErrc::kTooManyTerms, 54));
  // An excluded 17th term: the offset is the term's, after its '-'.
  EXPECT_EQ(parse_query(numbered_words(kMaxTerms) + " -x").error(),
            Error(QueryErrc::kTooManyTerms, 55));
  EXPECT_EQ(parse_query(numbered_words(kMaxTerms) + " OR \"x y\"").error(),
            Error(QueryErrc::kTooManyTerms, 57));
}

TEST(ParseQuery, RejectsOneBytePastTheLengthLimit) {
  EXPECT_EQ(parse_query(std::string(kMaxQueryBytes + 1, 'a')).error(),
            Error(QueryErrc::kTooLong, kMaxQueryBytes));
  // The length is checked before anything else, whitespace included.
  EXPECT_EQ(parse_query(std::string(kMaxQueryBytes + 1, ' ')).error(),
            Error(QueryErrc::kTooLong, kMaxQueryBytes));
  EXPECT_EQ(parse_query("\x80" + std::string(kMaxQueryBytes, 'a')).error(),
            Error(QueryErrc::kTooLong, kMaxQueryBytes));
}

struct Invalid {
  const char* label;
  std::string input;
  QueryErrc code;
  std::uint64_t offset;
};

class ParseQueryRejects : public ::testing::TestWithParam<Invalid> {};

TEST_P(ParseQueryRejects, WithThePreciseErrorAndOffset) {
  const auto& c = GetParam();
  const auto parsed = parse_query(c.input);
  ASSERT_FALSE(parsed.ok()) << c.label << ": parsed as " << to_string(*parsed);
  EXPECT_EQ(parsed.error(), Error(c.code, c.offset)) << c.label << ": " << parsed.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ParseQueryRejects,
    ::testing::Values(
        // Encoding: the first ill-formed sequence, at its first byte.
        Invalid{"stray continuation", "ab \x80", QueryErrc::kInvalidUtf8, 3},
        Invalid{"latin-1 byte", "caf\xe9", QueryErrc::kInvalidUtf8, 3},
        Invalid{"truncated at end", "ab\xc3", QueryErrc::kInvalidUtf8, 2},
        Invalid{"truncated before ascii", "\xc3(", QueryErrc::kInvalidUtf8, 0},
        Invalid{"truncated three-byte", "a \xe2\x82", QueryErrc::kInvalidUtf8, 2},
        Invalid{"bad third byte",
                "\xe2\x82"
                "A",
                QueryErrc::kInvalidUtf8, 0},
        Invalid{"bad fourth byte", "\xf0\x9f\x98 ", QueryErrc::kInvalidUtf8, 0},
        Invalid{"overlong two-byte c0", "\xc0\xaf", QueryErrc::kInvalidUtf8, 0},
        Invalid{"overlong two-byte c1", "\xc1\xbf", QueryErrc::kInvalidUtf8, 0},
        Invalid{"overlong three-byte", "\xe0\x80\xaf", QueryErrc::kInvalidUtf8, 0},
        Invalid{"overlong four-byte", "\xf0\x80\x80\xaf", QueryErrc::kInvalidUtf8, 0},
        Invalid{"high surrogate", "\xed\xa0\x80", QueryErrc::kInvalidUtf8, 0},
        Invalid{"low surrogate", "x\xed\xbf\xbf", QueryErrc::kInvalidUtf8, 1},
        Invalid{"past U+10FFFF", "\xf4\x90\x80\x80", QueryErrc::kInvalidUtf8, 0},
        Invalid{"f5 lead byte", "\xf5\x80\x80\x80", QueryErrc::kInvalidUtf8, 0},
        Invalid{"ff byte", "\xff", QueryErrc::kInvalidUtf8, 0},
        Invalid{"encoding before syntax", "\" \x80", QueryErrc::kInvalidUtf8, 2},
        Invalid{"nul", "a\0b"s, QueryErrc::kControlCharacter, 1},
        Invalid{"escape", "\x1b[31m", QueryErrc::kControlCharacter, 0},
        Invalid{"del", "ab \x7f", QueryErrc::kControlCharacter, 3},
        Invalid{"control inside a phrase", "\"a\x01 b\"", QueryErrc::kControlCharacter, 2},
        Invalid{"control before bad utf-8", "\x02\xff", QueryErrc::kControlCharacter, 0},
        // Phrases.
        Invalid{"lone quote", "\"", QueryErrc::kUnterminatedPhrase, 0},
        Invalid{"unterminated", "a \"b c", QueryErrc::kUnterminatedPhrase, 2},
        Invalid{"unterminated excluded", "-\"x", QueryErrc::kUnterminatedPhrase, 1},
        Invalid{"empty phrase", "\"\"", QueryErrc::kEmptyPhrase, 0},
        Invalid{"blank phrase", "a \" \t\n\" b", QueryErrc::kEmptyPhrase, 2},
        Invalid{"empty excluded phrase", "-\"\"", QueryErrc::kEmptyPhrase, 1},
        Invalid{"empty phrase before text", "\"\"x", QueryErrc::kEmptyPhrase, 0},
        Invalid{"quote inside a word", "ab\"c", QueryErrc::kStrayQuote, 2},
        Invalid{"quote ending a word", "ab\"", QueryErrc::kStrayQuote, 2},
        Invalid{"quote after a closing quote", "\"ab\"\"", QueryErrc::kStrayQuote, 4},
        Invalid{"quote after a hyphen inside a word", "a-\"b\"", QueryErrc::kStrayQuote, 2},
        Invalid{"text after phrase", "\"the matrix\"1999", QueryErrc::kTextAfterPhrase, 12},
        Invalid{"phrase then word then quote", "\"a\"b\"", QueryErrc::kTextAfterPhrase, 3},
        Invalid{"phrase then minus", "\"a\"-b", QueryErrc::kTextAfterPhrase, 3},
        // OR.
        Invalid{"only OR", "OR", QueryErrc::kDanglingOr, 0},
        Invalid{"OR first", "OR a", QueryErrc::kDanglingOr, 0},
        Invalid{"OR last", "a OR", QueryErrc::kDanglingOr, 2},
        Invalid{"OR last then spaces", "a OR \t", QueryErrc::kDanglingOr, 2},
        Invalid{"OR OR", "a OR OR b", QueryErrc::kDanglingOr, 5},
        Invalid{"OR first after spaces", "  OR a", QueryErrc::kDanglingOr, 2},
        // Exclusion.
        Invalid{"lone minus", "-", QueryErrc::kDanglingExclusion, 0},
        Invalid{"minus then space", "- x", QueryErrc::kDanglingExclusion, 0},
        Invalid{"minus at end", "a -", QueryErrc::kDanglingExclusion, 2},
        Invalid{"minus then tab", "a -\tb", QueryErrc::kDanglingExclusion, 2},
        Invalid{"double minus", "--x", QueryErrc::kDanglingExclusion, 1},
        Invalid{"double minus alone", "a --", QueryErrc::kDanglingExclusion, 3},
        Invalid{"minus before OR", "a - OR b", QueryErrc::kDanglingExclusion, 2},
        // Prefixes.
        Invalid{"one letter prefix", "a*", QueryErrc::kPrefixTooShort, 1},
        Invalid{"lone star", "*", QueryErrc::kPrefixTooShort, 0},
        Invalid{"excluded lone star", "-*", QueryErrc::kPrefixTooShort, 1},
        Invalid{"one code point in two bytes", "é*", QueryErrc::kPrefixTooShort, 2},
        Invalid{"short prefix after OR", "a OR b*", QueryErrc::kPrefixTooShort, 6},
        Invalid{"punctuation in prefix", "a.b*", QueryErrc::kPrefixNotAWord, 1},
        Invalid{"hyphen in prefix", "spider-man*", QueryErrc::kPrefixNotAWord, 6},
        Invalid{"punctuation only prefix", "-.*", QueryErrc::kPrefixNotAWord, 1},
        Invalid{"star inside a word", "a*b", QueryErrc::kPrefixNotAWord, 1},
        Invalid{"star first", "*ab", QueryErrc::kPrefixNotAWord, 0},
        Invalid{"double star", "ab**", QueryErrc::kPrefixNotAWord, 2},
        Invalid{"phrase prefix", "\"ab\"*", QueryErrc::kPrefixNotAWord, 4},
        Invalid{"star before quote", "ab*\"", QueryErrc::kPrefixNotAWord, 2},
        // Nothing to search for.
        Invalid{"dots", "...", QueryErrc::kNothingSearchable, 0},
        Invalid{"excluded underscore", "-_-", QueryErrc::kNothingSearchable, 1},
        Invalid{"punctuation phrase", "a \". -\"", QueryErrc::kNothingSearchable, 2},
        Invalid{"excluded punctuation phrase", "-\"!\"", QueryErrc::kNothingSearchable, 1},
        Invalid{"brackets", "a ()", QueryErrc::kNothingSearchable, 2},
        Invalid{"apostrophe", "'", QueryErrc::kNothingSearchable, 0},
        // The first problem from the left wins.
        Invalid{"error in the first of two terms", "a. *b ...", QueryErrc::kPrefixNotAWord, 3},
        Invalid{"quote before star", "ab\"c*d", QueryErrc::kStrayQuote, 2}),
    [](const auto& info) {
      std::string name = info.param.label;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(QueryToString, PrintsTheCanonicalForm) {
  const Query q{{any({word("matrix", 0)}), any({phrase("blu ray", 7)}),
                 any({word("1080p", 17), word("720p", 26)}), any({excluded(word("cam", 32))})}};
  EXPECT_EQ(to_string(q), "matrix \"blu ray\" 1080p OR 720p -cam");
  EXPECT_EQ(to_string(Query{}), "");
  EXPECT_EQ(to_string(all_of({excluded(prefix("mat", 1)), excluded(phrase(" a\tb ", 7))})),
            "-mat* -\" a\tb \"");
}

TEST(QueryToString, CollapsesWhitespaceBetweenTerms) {
  const auto parsed = parse_query("  a \t b\n\nOR\r\ncd*   -\"d  e\" ");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(to_string(*parsed), "a b OR cd* -\"d  e\"");
}

TEST(QueryErrors, EveryCodeHasItsOwnMessageInTheQueryCategory) {
  std::vector<std::string> seen;
  for (int code = static_cast<int>(QueryErrc::kTooLong);
       code <= static_cast<int>(QueryErrc::kNothingSearchable); ++code) {
    const std::error_code ec = make_error_code(static_cast<QueryErrc>(code));
    EXPECT_STREQ(ec.category().name(), "search query");
    EXPECT_NE(ec.message(), "unknown search query error") << code;
    for (const auto& other : seen) EXPECT_NE(ec.message(), other) << code;
    seen.push_back(ec.message());
  }
  EXPECT_EQ(Error(QueryErrc::kTooLong, 512).message(),
            "search query: query longer than 512 bytes at byte 512");
}

}  // namespace
}  // namespace magnetar::search
