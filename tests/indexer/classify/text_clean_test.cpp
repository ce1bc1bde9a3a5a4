#include "indexer/classify/text_clean.hpp"

#include <gtest/gtest.h>

namespace magnetar::indexer::classify {
namespace {

TEST(TextClean, SanitizeReplacesInvalidSequencesAndControls) {
  EXPECT_EQ(sanitize_utf8("abc"), "abc");
  EXPECT_EQ(sanitize_utf8("Am\xc3\xa9lie"), "Am\xc3\xa9lie");
  EXPECT_EQ(sanitize_utf8("a\xff"
                          "b"),
            "a\xef\xbf\xbd"
            "b");
  EXPECT_EQ(sanitize_utf8("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");                  // overlong '/'
  EXPECT_EQ(sanitize_utf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
  EXPECT_EQ(sanitize_utf8("\xe2\x82"), "\xef\xbf\xbd\xef\xbf\xbd");                  // truncated
  EXPECT_EQ(sanitize_utf8(std::string("a\0b\x1f", 4)), "a b ");
  EXPECT_EQ(sanitize_utf8("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
}

TEST(TextClean, TitleSeparatorsBecomeSpaces) {
  EXPECT_EQ(clean_title("The.Matrix."), "The Matrix");
  EXPECT_EQ(clean_title("Some_Movie ("), "Some Movie");
  EXPECT_EQ(clean_title("Spider-Man.No.Way.Home."), "Spider-Man No Way Home");
  EXPECT_EQ(clean_title("Vol.2.5.Title"), "Vol 2.5 Title");
  EXPECT_EQ(clean_title("  Title  -  "), "Title");
  EXPECT_EQ(clean_title("S.W.A.T."), "S.W.A.T");
  EXPECT_EQ(clean_title("Marvels.Agents.of.S.H.I.E.L.D."), "Marvels Agents of S.H.I.E.L.D");
  EXPECT_EQ(clean_title("A.Quiet.Place."), "A Quiet Place");
}

TEST(TextClean, TitleBracketsAreBalanced) {
  EXPECT_EQ(clean_title("Frieren (Sousou no Frieren) "), "Frieren (Sousou no Frieren)");
  EXPECT_EQ(clean_title("Papercuts (Singles Collection "), "Papercuts");
  EXPECT_EQ(clean_title("Title () [] "), "Title");
  EXPECT_EQ(clean_title("(Title"), "Title");
  EXPECT_EQ(clean_title("Title)"), "Title");
  EXPECT_EQ(clean_title(""), "");
  EXPECT_EQ(clean_title("(((("), "");
  EXPECT_EQ(clean_title("[Title Here]"), "Title Here");
  EXPECT_EQ(clean_title("(500) Days of Summer"), "(500) Days of Summer");
  EXPECT_EQ(clean_title("(a) b (c)"), "(a) b (c)");
}

}  // namespace
}  // namespace magnetar::indexer::classify
