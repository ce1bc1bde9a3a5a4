#include "common/bencode_decoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace magnetar::bencode {
namespace {

using namespace std::string_view_literals;

TEST(BencodeDecoder, DecodesTheExamplesOfBep3) {
  // The examples of BEP 3, "bencoding".
  auto spam = decode("4:spam");
  ASSERT_TRUE(spam.ok());
  EXPECT_EQ(spam->root().string(), "spam");

  auto three = decode("i3e");
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(three->root().integer(), 3);

  auto minus_three = decode("i-3e");
  ASSERT_TRUE(minus_three.ok());
  EXPECT_EQ(minus_three->root().integer(), -3);

  auto zero = decode("i0e");
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->root().integer(), 0);

  auto list = decode("l4:spam4:eggse");
  ASSERT_TRUE(list.ok());
  std::vector<std::string_view> items;
  for (auto item : list->root().items()) items.push_back(item.string());
  EXPECT_EQ(items, (std::vector<std::string_view>{"spam", "eggs"}));

  auto dict = decode("d3:cow3:moo4:spam4:eggse");
  ASSERT_TRUE(dict.ok());
  EXPECT_EQ(dict->root().find_string("cow"), "moo");
  EXPECT_EQ(dict->root().find_string("spam"), "eggs");

  auto dict_list = decode("d4:spaml1:a1:bee");
  ASSERT_TRUE(dict_list.ok());
  auto inner = dict_list->root().find_list("spam");
  ASSERT_TRUE(inner.has_value());
  EXPECT_EQ(inner->size(), 2u);
}

TEST(BencodeDecoder, KeepsTheRawBytesOfEveryValue) {
  const std::string input = "d4:infod4:name3:abc6:lengthi5ee3:numi-12ee";
  auto doc = decode(input);
  ASSERT_TRUE(doc.ok());
  auto info = doc->root().find("info");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->raw(), "d4:name3:abc6:lengthi5ee");
  EXPECT_EQ(info->offset(), 7u);
  EXPECT_EQ(doc->root().find("num")->raw(), "i-12e");
  EXPECT_EQ(doc->root().raw(), input);
  // Zero-copy: the view points into the input.
  EXPECT_EQ(info->raw().data(), input.data() + 7);
}

TEST(BencodeDecoder, IteratesDictEntriesInReceivedOrder) {
  auto doc = decode("d1:bi2e1:ai1e1:cle1:dde0:0:e");
  ASSERT_TRUE(doc.ok());
  std::vector<std::string_view> keys;
  for (auto [k, v] : doc->root().entries()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string_view>{"b", "a", "c", "d", ""}));
  EXPECT_EQ(doc->root().size(), 5u);
}

TEST(BencodeDecoder, SkipsNestedSubtreesWhenIterating) {
  auto doc = decode("lld1:ali1ei2eeee3:endi7ee");
  ASSERT_TRUE(doc.ok());
  std::vector<Type> types;
  for (auto item : doc->root().items()) types.push_back(item.type());
  EXPECT_EQ(types, (std::vector<Type>{Type::kList, Type::kString, Type::kInteger}));
}

TEST(BencodeDecoder, HandlesIntegerLimits) {
  auto max = decode("i9223372036854775807e");
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->root().integer(), INT64_MAX);
  auto min = decode("i-9223372036854775808e");
  ASSERT_TRUE(min.ok());
  EXPECT_EQ(min->root().integer(), INT64_MIN);
  EXPECT_EQ(decode("i9223372036854775808e").error(), Error(Errc::kIntegerOverflow, 1));
  EXPECT_EQ(decode("i-9223372036854775809e").error(), Error(Errc::kIntegerOverflow, 2));
}

struct BadInput {
  std::string_view input;
  Errc code;
  std::uint64_t offset;
};

class BencodeRejects : public ::testing::TestWithParam<BadInput> {};

TEST_P(BencodeRejects, WithThePreciseErrorAndOffset) {
  const auto& c = GetParam();
  auto r = decode(c.input);
  ASSERT_FALSE(r.ok()) << c.input;
  EXPECT_EQ(r.error(), Error(c.code, c.offset)) << c.input << ": " << r.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, BencodeRejects,
    ::testing::Values(
        BadInput{""sv, Errc::kUnexpectedEnd, 0}, BadInput{"i12"sv, Errc::kUnexpectedEnd, 3},
        BadInput{"ie"sv, Errc::kInvalidInteger, 1}, BadInput{"i-e"sv, Errc::kInvalidInteger, 2},
        BadInput{"i1x2e"sv, Errc::kInvalidInteger, 2}, BadInput{"i+1e"sv, Errc::kInvalidInteger, 1},
        BadInput{"5:abc"sv, Errc::kUnexpectedEnd, 5},
        BadInput{"3abc"sv, Errc::kInvalidStringLength, 1},
        BadInput{"-1:a"sv, Errc::kExpectedValue, 0}, BadInput{"x"sv, Errc::kExpectedValue, 0},
        BadInput{"l"sv, Errc::kUnexpectedEnd, 1}, BadInput{"l1:a"sv, Errc::kUnexpectedEnd, 4},
        BadInput{"d1:ae"sv, Errc::kExpectedValue, 4},
        BadInput{"di1ei2ee"sv, Errc::kExpectedStringKey, 1},
        BadInput{"dlee"sv, Errc::kExpectedStringKey, 1}, BadInput{"e"sv, Errc::kExpectedValue, 0},
        BadInput{"i1ei2e"sv, Errc::kTrailingData, 3}, BadInput{"le1"sv, Errc::kTrailingData, 2},
        BadInput{"99999999999999999999:a"sv, Errc::kInvalidStringLength, 0}));

TEST(BencodeDecoder, EnforcesTheDepthLimit) {
  DecodeLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(decode("llleee", Mode::kLenient, limits).ok());
  EXPECT_EQ(decode("lllleeee", Mode::kLenient, limits).error(), Error(Errc::kDepthLimit, 3));
  // The default limit stops a deep nest long before the stack could.
  std::string deep(100000, 'l');
  deep += std::string(100000, 'e');
  EXPECT_EQ(decode(deep).error(), Error(Errc::kDepthLimit, 100));
}

TEST(BencodeDecoder, EnforcesTheTokenLimit) {
  DecodeLimits limits;
  limits.max_tokens = 3;
  EXPECT_TRUE(decode("li1ei2ee", Mode::kLenient, limits).ok());
  EXPECT_EQ(decode("li1ei2ei3ee", Mode::kLenient, limits).error(), Error(Errc::kTokenLimit, 7));
}

TEST(BencodeDecoder, EnforcesTheSizeLimit) {
  DecodeLimits limits;
  limits.max_size = 8;
  EXPECT_TRUE(decode("5:abcde", Mode::kLenient, limits).ok());
  EXPECT_EQ(decode("9:abcdefghi", Mode::kLenient, limits).error(), Error(Errc::kSizeLimit, 8));
}

TEST(BencodeDecoder, DecodesAPrefixAndLeavesTheRest) {
  // A BEP 9 ut_metadata data message: a dict followed by the piece bytes.
  const std::string msg = "d8:msg_typei1e5:piecei0e10:total_sizei3eexyz";
  auto doc = decode_prefix(msg);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->input().size(), msg.size() - 3);
  EXPECT_EQ(doc->root().find_int("total_size"), 3);
  EXPECT_EQ(decode_prefix("d8:msg_type").error().code, make_error_code(Errc::kUnexpectedEnd));
}

struct Irregular {
  std::string_view input;
  Errc code;
  std::uint64_t offset;
  std::uint32_t bit;
};

class BencodeNonCanonical : public ::testing::TestWithParam<Irregular> {};

TEST_P(BencodeNonCanonical, IsReportedWhenLenientAndRejectedWhenStrict) {
  const auto& c = GetParam();
  auto lenient = decode(c.input, Mode::kLenient);
  ASSERT_TRUE(lenient.ok()) << c.input;
  EXPECT_FALSE(lenient->canonical());
  EXPECT_EQ(lenient->irregularities(), c.bit);
  EXPECT_EQ(lenient->first_irregularity(), Error(c.code, c.offset));
  auto strict = decode(c.input, Mode::kStrict);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error(), Error(c.code, c.offset));
}

INSTANTIATE_TEST_SUITE_P(
    Forms, BencodeNonCanonical,
    ::testing::Values(Irregular{"d1:bi1e1:ai2ee"sv, Errc::kUnsortedKeys, 7, kUnsortedKeys},
                      Irregular{"d1:ai1e1:ai2ee"sv, Errc::kDuplicateKey, 7, kDuplicateKeys},
                      Irregular{"i03e"sv, Errc::kLeadingZero, 1, kLeadingZeros},
                      Irregular{"i-0e"sv, Errc::kNegativeZero, 0, kNegativeZeros},
                      Irregular{"03:abc"sv, Errc::kLeadingZero, 0, kLeadingZeros},
                      Irregular{"d1:b0:2:aa0:e"sv, Errc::kUnsortedKeys, 6, kUnsortedKeys}));

TEST(BencodeDecoder, FindsTheFirstOfDuplicateKeys) {
  auto doc = decode("d1:ai1e1:ai2ee");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->root().find_int("a"), 1);
}

TEST(BencodeDecoder, CanonicalInputHasNoIrregularities) {
  auto doc = decode("d1:ai0e1:bli-1e0:ee", Mode::kStrict);
  ASSERT_TRUE(doc.ok());
  EXPECT_TRUE(doc->canonical());
  EXPECT_FALSE(doc->first_irregularity().has_value());
}

TEST(BencodeDecoder, TypedLookupsReturnNothingForTheWrongType) {
  auto doc = decode("d1:i3:abc1:si5ee");
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(doc->root().find_int("i").has_value());
  EXPECT_FALSE(doc->root().find_string("s").has_value());
  EXPECT_FALSE(doc->root().find_list("s").has_value());
  EXPECT_FALSE(doc->root().find_dict("missing").has_value());
}

TEST(BencodeDecoder, ErrorMessagesNameTheCategoryAndOffset) {
  EXPECT_EQ(decode("l").error().message(), "bencode: unexpected end of input at byte 1");
}

}  // namespace
}  // namespace magnetar::bencode
