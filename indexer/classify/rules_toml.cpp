#include "indexer/classify/rules_toml.hpp"

#include <fstream>
#include <sstream>

namespace magnetar::indexer::classify {

LoadResult<toml::table> parse_rules_toml(std::string_view text, std::string_view source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return LoadError{make_error_code(Errc::kSyntax), std::string(source), e.source().begin.line,
                     e.source().begin.column, std::string(e.description())};
  } catch (const std::exception& e) {
    return LoadError{make_error_code(Errc::kSyntax), std::string(source), 0, 0, e.what()};
  }
}

LoadResult<std::string> read_rules_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec)
    return LoadError{make_error_code(Errc::kIo), path.string(), 0, 0,
                     "cannot read: " + ec.message()};
  if (size > kMaxRulesFileBytes)
    return LoadError{make_error_code(Errc::kIo), path.string(), 0, 0, "file larger than 16 MiB"};
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in)
    return LoadError{make_error_code(Errc::kIo), path.string(), 0, 0, "cannot read the file"};
  return std::move(buffer).str();
}

}  // namespace magnetar::indexer::classify
