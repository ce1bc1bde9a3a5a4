#include "indexer/store/line_list.hpp"

#include <pqxx/pqxx>

namespace magnetar::indexer::store {

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out.push_back('\n');
    out.append(s);
  }
  return out;
}

std::vector<std::string> split_lines(const pqxx::field& f) {
  std::vector<std::string> out;
  if (f.is_null()) return out;
  const auto text = f.as<std::string>();
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const auto end = text.find('\n', start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace magnetar::indexer::store
