// Progress of long work (reclassify, imports) for a person watching: a bar
// redrawn in place on a terminal, or a plain line every few seconds when the
// output is a file or a pipe (logs stay readable).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace magnetar {

class Progress {
 public:
  // `total` 0 means unknown (no percentage or ETA).
  Progress(std::string what, std::uint64_t total, std::FILE* out = stderr);

  // Sets the count done so far; redraws at most a few times a second.
  void update(std::uint64_t done);
  // Draws the final state and ends the line.
  void finish();

  // The text of one report, e.g. "reclassify  45% 450,000/1,000,000 12,345/s ETA 0:45".
  // Public for tests.
  static std::string render(const std::string& what, std::uint64_t done, std::uint64_t total,
                            double per_second, bool bar);

 private:
  void draw(bool final);

  std::string what_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  std::FILE* out_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace magnetar
