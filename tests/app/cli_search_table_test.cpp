// The CLI's human output: names from the DHT escaped for the terminal,
// measured in columns, and tables aligned and cut to the terminal's width.
#include <gtest/gtest.h>

#include "app/table_printer.hpp"
#include "app/terminal_text.hpp"

namespace magnetar::app {
namespace {

using namespace std::string_literals;

TEST(EscapeForTerminal, KeepsPrintableUtf8AsItIs) {
  EXPECT_EQ(escape_for_terminal("The.Matrix.1999 [1080p]"), "The.Matrix.1999 [1080p]");
  EXPECT_EQ(escape_for_terminal("Amélie — 東京 🎬"), "Amélie — 東京 🎬");
  EXPECT_EQ(escape_for_terminal("C:\\Films\\a.mkv"), "C:\\Films\\a.mkv");
  EXPECT_EQ(escape_for_terminal(""), "");
}

TEST(EscapeForTerminal, WritesC0ControlsAndDelAsEscapes) {
  EXPECT_EQ(escape_for_terminal("a\tb\nc\rd"), "a\\tb\\nc\\rd");
  // ESC [ 2 J would clear the screen; BEL rings; NUL ends C strings.
  EXPECT_EQ(escape_for_terminal("\x1b[2Jx\x07"), "\\x1B[2Jx\\x07");
  EXPECT_EQ(escape_for_terminal("a\0b"s), "a\\x00b");
  EXPECT_EQ(escape_for_terminal("\x7f"), "\\x7F");
}

TEST(EscapeForTerminal, WritesC1AndBidiControlsAsCodePoints) {
  // U+009B is a one-character CSI on terminals that honour C1 controls.
  EXPECT_EQ(escape_for_terminal("x\xC2\x9B"
                                "31m"),
            "x\\u{009B}31m");
  // RIGHT-TO-LEFT OVERRIDE makes "exe.mp4" look like "4pm.exe".
  EXPECT_EQ(escape_for_terminal("a\xE2\x80\xAE"
                                "4pm.exe"),
            "a\\u{202E}4pm.exe");
  EXPECT_EQ(escape_for_terminal("\xE2\x81\xA6x\xE2\x81\xA9"), "\\u{2066}x\\u{2069}");
  EXPECT_EQ(escape_for_terminal("\xE2\x80\xA8"), "\\u{2028}");
}

TEST(EscapeForTerminal, WritesEachByteOfInvalidUtf8AsHex) {
  EXPECT_EQ(escape_for_terminal("a\xFF"
                                "b"),
            "a\\xFFb");
  EXPECT_EQ(escape_for_terminal("\x80"), "\\x80");                             // lone continuation
  EXPECT_EQ(escape_for_terminal("\xC3"), "\\xC3");                             // truncated
  EXPECT_EQ(escape_for_terminal("\xC0\xAF"), "\\xC0\\xAF");                    // overlong '/'
  EXPECT_EQ(escape_for_terminal("\xED\xA0\x80"), "\\xED\\xA0\\x80");           // a surrogate
  EXPECT_EQ(escape_for_terminal("\xF4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");  // > U+10FFFF
  // Escaping resynchronises: the valid character after the bad byte stays.
  EXPECT_EQ(escape_for_terminal("\xE6\x9D"
                                "\xE6\x9D\xB1"),
            "\\xE6\\x9D\xE6\x9D\xB1");
}

TEST(EscapeForTerminal, OutputNeverHoldsAControlByte) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  const auto out = escape_for_terminal(all + all);
  for (unsigned char c : out) {
    EXPECT_TRUE(c >= 0x20 && c != 0x7F) << "byte " << int(c) << " in " << out;
  }
}

TEST(DisplayWidth, CountsColumnsNotBytes) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("Amélie"), 6u);
  EXPECT_EQ(display_width("e\xCC\x81"), 1u);  // e + combining acute
  EXPECT_EQ(display_width("東京"), 4u);
  EXPECT_EQ(display_width("ｆｕｌｌ"), 8u);  // fullwidth forms
  EXPECT_EQ(display_width("🎬"), 2u);
  EXPECT_EQ(display_width("a\xE2\x80\x8B"
                          "b"),
            2u);  // zero-width space
  EXPECT_EQ(display_width("…"), 1u);
}

TEST(TruncateToWidth, CutsWithAnEllipsisWithoutSplittingCharacters) {
  EXPECT_EQ(truncate_to_width("abcdef", 6), "abcdef");
  EXPECT_EQ(truncate_to_width("abcdef", 4), "abc…");
  EXPECT_EQ(truncate_to_width("東京東京", 5), "東京…");
  EXPECT_EQ(truncate_to_width("東京東京", 4), "東…");
  EXPECT_EQ(truncate_to_width("abc", 1), "…");
  EXPECT_EQ(truncate_to_width("abc", 0), "");
  EXPECT_EQ(display_width(truncate_to_width("Amélie Poulain", 7)), 7u);
}

TEST(TablePrinter, AlignsColumnsByDisplayWidth) {
  TablePrinter t({{"SIZE", Align::kRight}, {"NAME"}, {"HASH"}});
  t.add_row({"7.5 GiB", "Amélie", "aa"});
  t.add_row({"512 B", "東京", "bb"});
  EXPECT_EQ(t.render(),
            "   SIZE  NAME    HASH\n"
            "7.5 GiB  Amélie  aa\n"
            "  512 B  東京    bb\n");
}

TEST(TablePrinter, EscapesCellsBeforeMeasuringThem) {
  TablePrinter t({{"NAME"}, {"X"}});
  t.add_row({"a\x1b[31mb", "1"});
  t.add_row({"\xFF", "2"});
  EXPECT_EQ(t.render(),
            "NAME        X\n"
            "a\\x1B[31mb  1\n"
            "\\xFF        2\n");
}

TEST(TablePrinter, OmitsTheHeaderLineWhenNoColumnHasOneAndTrailingBlanks) {
  TablePrinter t({{""}, {""}});
  t.add_row({"name", "x"});
  t.add_row({"first seen", ""});
  EXPECT_EQ(t.render(), "name        x\nfirst seen\n");
}

TEST(TablePrinter, MissingCellsAreEmptyAndExtraOnesDropped) {
  TablePrinter t({{"A"}, {"B"}});
  t.add_row({"1"});
  t.add_row({"2", "3", "4"});
  EXPECT_EQ(t.render(), "A  B\n1\n2  3\n");
  EXPECT_EQ(t.rows(), 2u);
}

TEST(TablePrinter, CutsTheShrinkableColumnToFitTheWidth) {
  TablePrinter t({{"SIZE", Align::kRight}, {"NAME", Align::kLeft, true}, {"HASH"}});
  t.add_row({"1 B", "The.Matrix.1999.1080p.BluRay.x264", "0123"});
  // Unlimited: nothing cut. 3 + 2 + 33 + 2 + 4 = 44 columns.
  EXPECT_EQ(t.render(0),
            "SIZE  NAME                               HASH\n"
            " 1 B  The.Matrix.1999.1080p.BluRay.x264  0123\n");
  EXPECT_EQ(t.render(30),
            "SIZE  NAME                HASH\n"
            " 1 B  The.Matrix.1999.1…  0123\n");
  // Never below kMinShrunkWidth: the line is then wider than asked.
  const auto narrow = t.render(10);
  EXPECT_NE(narrow.find("The.Matrix.…  0123"), std::string::npos) << narrow;
}

}  // namespace
}  // namespace magnetar::app
