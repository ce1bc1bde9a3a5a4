// Aligned text tables for the CLI's human output (`magnetar search`, `show`,
// `stats`). Every cell is escaped for the terminal (terminal_text.hpp) before
// it is measured, so names from the DHT can neither break the alignment nor
// send control sequences.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace magnetar::app {

enum class Align { kLeft, kRight };

struct Column {
  std::string header;  // empty headers everywhere: no header line
  Align align = Align::kLeft;
  // The one column cut (with "…") when the table is wider than allowed; the
  // name column of a search result.
  bool shrinkable = false;
};

class TablePrinter {
 public:
  // Two spaces between columns; a shrinkable column is never cut below this.
  static constexpr std::size_t kGap = 2;
  static constexpr std::size_t kMinShrunkWidth = 12;

  explicit TablePrinter(std::vector<Column> columns);

  // A row with one cell per column (missing cells are empty, extra ones are
  // dropped). Cells are untrusted text: they are escaped here.
  void add_row(std::vector<std::string> cells);
  std::size_t rows() const { return rows_.size(); }

  // The table, one line per row after the header line, each ending in '\n',
  // without trailing blanks. max_width > 0: the shrinkable column is cut so
  // that lines fit in that many columns where it can be (down to
  // kMinShrunkWidth); 0: nothing is cut.
  std::string render(std::size_t max_width = 0) const;
  void print(std::ostream& out, std::size_t max_width = 0) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;  // escaped
};

}  // namespace magnetar::app
