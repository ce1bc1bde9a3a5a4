// A fresh directory under $TMPDIR (never a fixed path), removed with its
// contents when the object goes away.
#pragma once

#include <filesystem>
#include <string_view>

namespace magnetar::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "magnetar-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes a file below the directory and returns its path.
  std::filesystem::path write(std::string_view relative, std::string_view contents) const;

 private:
  std::filesystem::path path_;
};

}  // namespace magnetar::testing
