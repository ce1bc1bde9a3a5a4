#include "indexer/store/file_list_codec.hpp"

#include <algorithm>

#include "indexer/store/store_errors.hpp"

namespace magnetar::indexer::store {
namespace {

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  Result<std::uint64_t> varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return Error(Errc::kTruncated, pos_);
      const auto b = static_cast<std::uint8_t>(in_[pos_++]);
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return Error(Errc::kBadVarint, pos_);
  }
  Result<std::string_view> bytes(std::uint64_t n) {
    if (n > in_.size() - pos_) return Error(Errc::kTruncated, pos_);
    auto s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::size_t pos() const { return pos_; }
  bool done() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string encode_file_list(std::span<const TorrentFile> files, std::size_t max_files) {
  const std::size_t n = std::min(files.size(), max_files);
  std::string out;
  out.reserve(8 + n * 40);
  out.push_back(static_cast<char>(kFileListFormat));
  put_varint(out, n);
  const std::vector<std::string>* prev = nullptr;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& path = files[i].path;
    std::size_t shared = 0;
    if (prev) {
      // Keep at least the last component: a file's own name is never shared.
      const std::size_t limit = std::min(prev->size(), path.empty() ? 0 : path.size() - 1);
      while (shared < limit && (*prev)[shared] == path[shared]) ++shared;
    }
    put_varint(out, shared);
    put_varint(out, path.size() - shared);
    for (std::size_t k = shared; k < path.size(); ++k) {
      put_varint(out, path[k].size());
      out.append(path[k]);
    }
    put_varint(out, static_cast<std::uint64_t>(std::max<std::int64_t>(files[i].size, 0)));
    prev = &path;
  }
  return out;
}

Result<std::vector<TorrentFile>> decode_file_list(std::string_view bytes,
                                                  const FileListLimits& limits) {
  if (bytes.empty()) return Error(Errc::kTruncated, 0);
  if (static_cast<std::uint8_t>(bytes[0]) != kFileListFormat) return Error(Errc::kBadFormat, 0);
  Reader r(bytes.substr(1));
  auto count = r.varint();
  if (!count) return count.error();
  if (*count > limits.max_files) return Error(Errc::kLimitExceeded, 1);
  // Each entry takes at least 3 bytes: no allocation beyond the input's size.
  if (*count > bytes.size()) return Error(Errc::kTruncated, 1);
  std::vector<TorrentFile> files;
  files.reserve(*count);
  for (std::uint64_t i = 0; i < *count; ++i) {
    auto shared = r.varint();
    if (!shared) return shared.error();
    auto rest = r.varint();
    if (!rest) return rest.error();
    const std::size_t at = r.pos() + 1;
    if (i == 0 ? *shared != 0 : *shared > files.back().path.size())
      return Error(Errc::kBadSharedPrefix, at);
    if (*rest > limits.max_depth || *shared + *rest > limits.max_depth)
      return Error(Errc::kLimitExceeded, at);
    TorrentFile f;
    f.path.reserve(*shared + *rest);
    if (*shared > 0) {
      const auto& prev = files.back().path;
      f.path.assign(prev.begin(), prev.begin() + static_cast<std::ptrdiff_t>(*shared));
    }
    for (std::uint64_t k = 0; k < *rest; ++k) {
      auto len = r.varint();
      if (!len) return len.error();
      if (*len > limits.max_component) return Error(Errc::kLimitExceeded, r.pos() + 1);
      auto s = r.bytes(*len);
      if (!s) return s.error();
      f.path.emplace_back(*s);
    }
    auto size = r.varint();
    if (!size) return size.error();
    if (*size > static_cast<std::uint64_t>(INT64_MAX)) return Error(Errc::kBadVarint, r.pos());
    f.size = static_cast<std::int64_t>(*size);
    files.push_back(std::move(f));
  }
  if (!r.done()) return Error(Errc::kTrailingData, r.pos() + 1);
  return files;
}

namespace {

// Writes the extension of file_name into out (kMaxExtensionLength bytes) and
// returns its length, 0 when there is none.
std::size_t extension_into(std::string_view file_name, char* out) {
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return 0;
  const auto ext = file_name.substr(dot + 1);
  if (ext.empty() || ext.size() > kMaxExtensionLength) return 0;
  for (std::size_t i = 0; i < ext.size(); ++i) {
    const char c = ext[i];
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out[i] = c;
    } else {
      return 0;
    }
  }
  return ext.size();
}

// Distinct extensions looked at per torrent: a hostile or huge torrent may
// have thousands; the set is kept by a linear search, so bound its size.
constexpr std::size_t kMaxDistinctExtensionsSeen = 256;

}  // namespace

std::string file_extension(std::string_view file_name) {
  char buf[kMaxExtensionLength];
  return std::string(buf, extension_into(file_name, buf));
}

std::vector<std::string> torrent_extensions(const TorrentRecord& record) {
  std::vector<std::string> out;
  auto add = [&](std::string_view file_name) {
    char buf[kMaxExtensionLength];
    const std::string_view ext(buf, extension_into(file_name, buf));
    if (ext.empty() || out.size() >= kMaxDistinctExtensionsSeen) return;
    for (const auto& e : out)
      if (e == ext) return;
    out.emplace_back(ext);
  };
  if (record.files.empty()) {
    add(record.name);
  } else {
    for (const auto& f : record.files)
      if (!f.path.empty()) add(f.path.back());
  }
  if (out.size() > kMaxExtensions) {
    std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    out.resize(kMaxExtensions);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace magnetar::indexer::store
