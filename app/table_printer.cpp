#include "app/table_printer.hpp"

#include <algorithm>
#include <ostream>

#include "app/terminal_text.hpp"

namespace magnetar::app {

TablePrinter::TablePrinter(std::vector<Column> columns) : columns_(std::move(columns)) {
  for (auto& c : columns_) c.header = escape_for_terminal(c.header);
}

void TablePrinter::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (auto& cell : cells) cell = escape_for_terminal(cell);
  rows_.push_back(std::move(cells));
}

std::string TablePrinter::render(std::size_t max_width) const {
  const bool has_header = std::any_of(columns_.begin(), columns_.end(),
                                      [](const Column& c) { return !c.header.empty(); });
  std::vector<std::size_t> widths(columns_.size(), 0);
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (has_header) widths[i] = display_width(columns_[i].header);
    for (const auto& row : rows_) widths[i] = std::max(widths[i], display_width(row[i]));
  }

  if (max_width > 0 && !columns_.empty()) {
    std::size_t total = kGap * (columns_.size() - 1);
    for (auto w : widths) total += w;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (!columns_[i].shrinkable || total <= max_width) continue;
      const std::size_t floor = std::min(widths[i], kMinShrunkWidth);
      const std::size_t cut = std::min(total - max_width, widths[i] - floor);
      widths[i] -= cut;
      total -= cut;
    }
  }

  // The last column, when left-aligned, is not padded: no trailing blanks.
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const bool last = i + 1 == columns_.size();
      const std::string text = truncate_to_width(cells[i], widths[i]);
      const std::string pad(widths[i] - display_width(text), ' ');
      if (columns_[i].align == Align::kRight) {
        out += pad + text;
      } else {
        out += text;
        if (!last) out += pad;
      }
      if (!last) out += std::string(kGap, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };

  std::string out;
  if (has_header) {
    std::vector<std::string> headers;
    for (const auto& c : columns_) headers.push_back(c.header);
    out += line(headers);
  }
  for (const auto& row : rows_) out += line(row);
  return out;
}

void TablePrinter::print(std::ostream& out, std::size_t max_width) const {
  out << render(max_width);
}

}  // namespace magnetar::app
