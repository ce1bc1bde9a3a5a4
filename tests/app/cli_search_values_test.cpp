// The CLI's values: sizes typed and shown, content type names, counts,
// dates, resolutions and shell quoting of the next-page hint.
#include <gtest/gtest.h>

#include <limits>

#include "app/api_text.hpp"
#include "app/byte_size.hpp"

namespace magnetar::app {
namespace {

TEST(ParseByteSize, ReadsBinaryAndDecimalUnitsCaseInsensitively) {
  EXPECT_EQ(parse_byte_size("700"), 700);
  EXPECT_EQ(parse_byte_size("700B"), 700);
  EXPECT_EQ(parse_byte_size("1k"), 1024);
  EXPECT_EQ(parse_byte_size("1K"), 1024);
  EXPECT_EQ(parse_byte_size("1KiB"), 1024);
  EXPECT_EQ(parse_byte_size("1KB"), 1000);
  EXPECT_EQ(parse_byte_size("700M"), 700LL << 20);
  EXPECT_EQ(parse_byte_size("1G"), 1LL << 30);
  EXPECT_EQ(parse_byte_size("1gb"), 1'000'000'000);
  EXPECT_EQ(parse_byte_size("2T"), 2LL << 40);
  EXPECT_EQ(parse_byte_size("2TB"), 2'000'000'000'000);
  EXPECT_EQ(parse_byte_size("1P"), 1LL << 50);
  EXPECT_EQ(parse_byte_size("1.5G"), 3LL << 29);
  EXPECT_EQ(parse_byte_size(" 1.5 GiB "), 3LL << 29);
  EXPECT_EQ(parse_byte_size(".5K"), 512);
  EXPECT_EQ(parse_byte_size("1.1K"), 1126);  // 1126.4 rounded
  EXPECT_EQ(parse_byte_size("0"), 0);
}

TEST(ParseByteSize, RefusesMalformedNegativeAndOverflowingSizes) {
  for (const char* bad :
       {"", " ", "G", "1X", "1GG", "-1", "1..5G", "1,5G", "1 G B", "0x10", "1e9", "1.5.G"}) {
    EXPECT_EQ(parse_byte_size(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(parse_byte_size("8191P"), 8191LL << 50);
  EXPECT_EQ(parse_byte_size("8192P"), std::nullopt);  // 2^63 bytes
  EXPECT_EQ(parse_byte_size("9223372036854775807"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(parse_byte_size("9223372036854775808"), std::nullopt);
  EXPECT_EQ(parse_byte_size(std::string(40, '9')), std::nullopt);
}

TEST(FormatByteSize, UsesBinaryUnitsWithOneDecimal) {
  EXPECT_EQ(format_byte_size(0), "0 B");
  EXPECT_EQ(format_byte_size(1023), "1023 B");
  EXPECT_EQ(format_byte_size(1024), "1.0 KiB");
  EXPECT_EQ(format_byte_size(1536), "1.5 KiB");
  EXPECT_EQ(format_byte_size(700LL << 20), "700.0 MiB");
  EXPECT_EQ(format_byte_size(8'000'000'000), "7.5 GiB");
  EXPECT_EQ(format_byte_size((1LL << 20) - 1), "1.0 MiB");  // not "1024.0 KiB"
  EXPECT_EQ(format_byte_size(std::numeric_limits<std::int64_t>::max()), "8.0 EiB");
  EXPECT_EQ(format_byte_size(-1), "-");
}

TEST(ContentTypeNames, RoundTripEveryTypeButUnspecified) {
  EXPECT_EQ(content_type_name(v1::CONTENT_TYPE_MOVIE), "movie");
  EXPECT_EQ(content_type_name(v1::CONTENT_TYPE_XXX), "xxx");
  EXPECT_EQ(content_type_from_name("Episode"), v1::CONTENT_TYPE_EPISODE);
  EXPECT_EQ(content_type_from_name("unspecified"), std::nullopt);
  EXPECT_EQ(content_type_from_name("films"), std::nullopt);
  EXPECT_EQ(content_type_from_name(""), std::nullopt);
  const auto names = content_type_names();
  ASSERT_EQ(names.size(), 12u);
  EXPECT_EQ(names.front(), "movie");
  EXPECT_EQ(names.back(), "unknown");
  for (const auto& n : names) EXPECT_EQ(content_type_name(*content_type_from_name(n)), n);
  // A type a newer server added is shown by number rather than as "".
  EXPECT_EQ(content_type_name(static_cast<v1::ContentType>(99)), "99");
}

TEST(FormatCount, GroupsThousandsAndMarksEstimates) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1000), "1,000");
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(format_count(-1234), "-1,234");
  v1::Count c;
  c.set_value(12000);
  EXPECT_EQ(format_count(c), "12,000");
  c.set_estimated(true);
  EXPECT_EQ(format_count(c), "~12,000");
}

TEST(Dates, ParseAndFormatInUtc) {
  const auto d = parse_date("2023-11-14");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->seconds(), 1'699'920'000);
  EXPECT_EQ(format_date(*d), "2023-11-14");
  const auto t = parse_date("2023-11-14T22:13:20Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->seconds(), 1'700'000'000);
  EXPECT_EQ(format_time(*t), "2023-11-14 22:13:20 UTC");
  EXPECT_EQ(format_date(google::protobuf::Timestamp{}), "-");
  EXPECT_EQ(format_time(google::protobuf::Timestamp{}), "-");
  for (const char* bad : {"", "2023-11", "2023/11/14", "2023-13-01", "2023-02-30", "23-11-14",
                          "2023-11-14T25:00:00Z", "2023-11-14 22:13:20", "abcd-ef-gh"}) {
    EXPECT_EQ(parse_date(bad), std::nullopt) << bad;
  }
}

TEST(ParseResolution, TakesLinesWithOrWithoutPAnd4k) {
  EXPECT_EQ(parse_resolution("1080"), 1080);
  EXPECT_EQ(parse_resolution("1080p"), 1080);
  EXPECT_EQ(parse_resolution("720P"), 720);
  EXPECT_EQ(parse_resolution("4K"), 2160);
  EXPECT_EQ(parse_resolution("p"), std::nullopt);
  EXPECT_EQ(parse_resolution("0"), std::nullopt);
  EXPECT_EQ(parse_resolution("hd"), std::nullopt);
}

TEST(ShellQuote, LeavesSafeWordsAndSingleQuotesTheRest) {
  EXPECT_EQ(shell_quote("matrix"), "matrix");
  EXPECT_EQ(shell_quote("a1B2_-.:/,=+@%"), "a1B2_-.:/,=+@%");
  EXPECT_EQ(shell_quote("the matrix"), "'the matrix'");
  EXPECT_EQ(shell_quote("\"blu ray\" -cam"), "'\"blu ray\" -cam'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("$HOME`x`*"), "'$HOME`x`*'");
  EXPECT_EQ(shell_quote(""), "''");
}

}  // namespace
}  // namespace magnetar::app
