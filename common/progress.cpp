#include "common/progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace magnetar {
namespace {

// Redraw interval on a terminal, and line interval otherwise.
constexpr auto kTtyRedraw = std::chrono::milliseconds(200);
constexpr auto kLineInterval = std::chrono::seconds(5);
constexpr int kBarWidth = 30;

std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string clock_time(std::uint64_t seconds) {
  char buf[32];
  if (seconds >= 3600) {
    std::snprintf(buf, sizeof buf, "%llu:%02llu:%02llu",
                  static_cast<unsigned long long>(seconds / 3600),
                  static_cast<unsigned long long>(seconds / 60 % 60),
                  static_cast<unsigned long long>(seconds % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%llu:%02llu", static_cast<unsigned long long>(seconds / 60),
                  static_cast<unsigned long long>(seconds % 60));
  }
  return buf;
}

}  // namespace

Progress::Progress(std::string what, std::uint64_t total, std::FILE* out)
    : what_(std::move(what)),
      total_(total),
      out_(out),
      tty_(::isatty(::fileno(out)) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

std::string Progress::render(const std::string& what, std::uint64_t done, std::uint64_t total,
                             double per_second, bool bar) {
  std::string line = what;
  if (total > 0) {
    const double share = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    if (bar) {
      const int filled = static_cast<int>(share * kBarWidth);
      line += " [" + std::string(filled, '=') + std::string(kBarWidth - filled, ' ') + "]";
    }
    char pct[8];
    std::snprintf(pct, sizeof pct, " %3d%%", static_cast<int>(share * 100));
    line += pct;
    line += " " + with_commas(done) + "/" + with_commas(total);
  } else {
    line += " " + with_commas(done);
  }
  line += " " + with_commas(static_cast<std::uint64_t>(per_second)) + "/s";
  if (total > done && per_second > 0) {
    line += " ETA " + clock_time(static_cast<std::uint64_t>((total - done) / per_second));
  }
  return line;
}

void Progress::update(std::uint64_t done) {
  done_ = done;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ >=
      (tty_ ? std::chrono::duration_cast<std::chrono::milliseconds>(kTtyRedraw)
            : std::chrono::duration_cast<std::chrono::milliseconds>(kLineInterval))) {
    last_draw_ = now;
    draw(false);
  }
}

void Progress::finish() { draw(true); }

void Progress::draw(bool final) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
  const auto text = render(what_, done_, total_, rate, tty_);
  if (tty_) {
    std::fprintf(out_, "\r%s\033[K%s", text.c_str(), final ? "\n" : "");
  } else {
    std::fprintf(out_, "%s\n", text.c_str());
  }
  std::fflush(out_);
}

}  // namespace magnetar
