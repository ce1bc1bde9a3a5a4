#include "indexer/postgres/postmaster_pid_file.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace magnetar::indexer::postgres {
namespace {

// The file is a few hundred bytes; anything much larger is not ours.
constexpr std::size_t kMaxPidFileSize = 4096;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

template <typename T>
std::optional<T> to_number(std::string_view s) {
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<PostmasterPidFile> parse_postmaster_pid_file(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.push_back(trim(text.substr(0, end)));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  if (lines.empty()) return std::nullopt;
  // A standalone backend writes its pid negated; treat it like a server.
  auto pid = to_number<long>(lines[0]);
  if (!pid || *pid == 0) return std::nullopt;
  PostmasterPidFile file;
  file.pid = static_cast<pid_t>(*pid < 0 ? -*pid : *pid);
  if (lines.size() > 1) file.data_dir = std::string(lines[1]);
  if (lines.size() > 3) file.port = to_number<int>(lines[3]).value_or(0);
  if (lines.size() > 4) file.socket_dir = std::string(lines[4]);
  if (lines.size() > 7) file.status = std::string(lines[7]);
  return file;
}

std::optional<PostmasterPidFile> read_postmaster_pid_file(const std::filesystem::path& pgdata) {
  std::ifstream in(pgdata / "postmaster.pid", std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(kMaxPidFileSize, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse_postmaster_pid_file(text);
}

}  // namespace magnetar::indexer::postgres
