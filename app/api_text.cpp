#include "app/api_text.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace magnetar::app {
namespace {

constexpr std::string_view kTypePrefix = "CONTENT_TYPE_";

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

// Calendar years a timestamp of the API may fall in (proto Timestamp's range
// is 0001..9999; torrents are newer than BitTorrent, 2001).
constexpr int kMinYear = 1970;
constexpr int kMaxYear = 9999;

bool to_tm(const google::protobuf::Timestamp& t, std::tm& tm) {
  if (t.seconds() == 0 && t.nanos() == 0) return false;
  const std::time_t seconds = static_cast<std::time_t>(t.seconds());
  return ::gmtime_r(&seconds, &tm) != nullptr;
}

template <class T>
bool parse_number(std::string_view text, T& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string content_type_name(v1::ContentType type) {
  const auto& name = v1::ContentType_Name(type);
  if (name.empty()) return std::to_string(static_cast<int>(type));  // newer server
  return lower(std::string_view(name).substr(kTypePrefix.size()));
}

std::optional<v1::ContentType> content_type_from_name(std::string_view name) {
  std::string upper(kTypePrefix);
  for (char c : name)
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  v1::ContentType type{};
  if (!v1::ContentType_Parse(upper, &type) || type == v1::CONTENT_TYPE_UNSPECIFIED) {
    return std::nullopt;
  }
  return type;
}

std::vector<std::string> content_type_names() {
  std::vector<std::string> out;
  for (int t = v1::ContentType_MIN; t <= v1::ContentType_MAX; ++t) {
    if (t == v1::CONTENT_TYPE_UNSPECIFIED || !v1::ContentType_IsValid(t)) continue;
    out.push_back(content_type_name(static_cast<v1::ContentType>(t)));
  }
  return out;
}

std::string format_count(std::int64_t n) {
  const bool negative = n < 0;
  std::string digits = std::to_string(n);
  if (negative) digits.erase(0, 1);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return negative ? "-" + out : out;
}

std::string format_count(const v1::Count& count) {
  return (count.estimated() ? "~" : "") + format_count(count.value());
}

std::string format_date(const google::protobuf::Timestamp& t) {
  std::tm tm{};
  if (!to_tm(t, tm)) return "-";
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%d", &tm);
  return buf.data();
}

std::string format_time(const google::protobuf::Timestamp& t) {
  std::tm tm{};
  if (!to_tm(t, tm)) return "-";
  std::array<char, 48> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf.data();
}

std::optional<google::protobuf::Timestamp> parse_date(std::string_view text) {
  // YYYY-MM-DD, then optionally THH:MM:SSZ.
  if (text.size() != 10 && text.size() != 20) return std::nullopt;
  if (text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!parse_number(text.substr(0, 4), year) || !parse_number(text.substr(5, 2), month) ||
      !parse_number(text.substr(8, 2), day)) {
    return std::nullopt;
  }
  if (text.size() == 20) {
    if (text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z') {
      return std::nullopt;
    }
    if (!parse_number(text.substr(11, 2), hour) || !parse_number(text.substr(14, 2), minute) ||
        !parse_number(text.substr(17, 2), second)) {
      return std::nullopt;
    }
  }
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t seconds = ::timegm(&tm);
  // timegm normalises 2026-02-31 to March: refuse dates that do not exist.
  if (tm.tm_mday != day || tm.tm_mon != month - 1) return std::nullopt;
  google::protobuf::Timestamp out;
  out.set_seconds(seconds);
  return out;
}

std::optional<int> parse_resolution(std::string_view text) {
  const std::string s = lower(text);
  if (s == "4k" || s == "uhd") return 2160;
  std::string_view digits = s;
  if (!digits.empty() && digits.back() == 'p') digits.remove_suffix(1);
  int value = 0;
  if (!parse_number(digits, value) || value <= 0) return std::nullopt;
  return value;
}

std::string shell_quote(std::string_view word) {
  const auto safe = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == '/' || c == ':' || c == ',' || c == '=' || c == '+' || c == '@' || c == '%';
  };
  bool plain = !word.empty();
  for (char c : word) plain = plain && safe(c);
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

}  // namespace magnetar::app
