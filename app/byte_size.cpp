#include "app/byte_size.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

namespace magnetar::app {
namespace {

struct Unit {
  std::string_view name;  // lower case
  long double factor;
};

constexpr long double kKi = 1024.0L;
constexpr long double kK = 1000.0L;

constexpr Unit kUnits[] = {
    {"", 1},
    {"b", 1},
    {"k", kKi},
    {"kib", kKi},
    {"kb", kK},
    {"m", kKi* kKi},
    {"mib", kKi* kKi},
    {"mb", kK* kK},
    {"g", kKi* kKi* kKi},
    {"gib", kKi* kKi* kKi},
    {"gb", kK* kK* kK},
    {"t", kKi* kKi* kKi* kKi},
    {"tib", kKi* kKi* kKi* kKi},
    {"tb", kK* kK* kK* kK},
    {"p", kKi* kKi* kKi* kKi* kKi},
    {"pib", kKi* kKi* kKi* kKi* kKi},
    {"pb", kK* kK* kK* kK* kK},
};

// A number typed by hand has a few digits; this many keeps long double exact
// and refuses nonsense early.
constexpr std::size_t kMaxDigits = 30;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::optional<std::int64_t> parse_byte_size(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);

  long double value = 0;
  std::size_t i = 0;
  std::size_t digits = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
    value = value * 10 + (text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    long double scale = 0.1L;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
      value += scale * (text[i] - '0');
      scale /= 10;
    }
  }
  if (digits == 0 || digits > kMaxDigits) return std::nullopt;
  while (i < text.size() && is_blank(text[i])) ++i;

  std::string unit;
  for (; i < text.size(); ++i) {
    unit.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
  }
  for (const auto& u : kUnits) {
    if (u.name != unit) continue;
    const long double bytes = std::round(value * u.factor);
    // INT64_MAX is exactly representable in long double's 64-bit mantissa.
    if (bytes > static_cast<long double>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(bytes);
  }
  return std::nullopt;
}

std::string format_byte_size(std::int64_t bytes) {
  if (bytes < 0) return "-";
  if (bytes < 1024) return std::to_string(bytes) + " B";
  constexpr std::array<const char*, 6> kNames = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  long double value = static_cast<long double>(bytes) / kKi;
  std::size_t unit = 0;
  // 1023.96 KiB would print as "1024.0 KiB": move up before rounding shows it.
  while (value >= 1023.95L && unit + 1 < kNames.size()) {
    value /= kKi;
    ++unit;
  }
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.1Lf %s", value, kNames[unit]);
  return buf.data();
}

}  // namespace magnetar::app
