#include "common/metainfo.hpp"

#include <limits>
#include <utility>

#include "common/bencode_decoder.hpp"
#include "common/sha.hpp"

namespace magnetar::metainfo {
namespace {

using bencode::Node;

constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();
// BEP 52: a v2 piece hash / pieces root is a SHA-256.
constexpr std::size_t kPiecesRootSize = 32;
// BEP 3: "pieces" is a concatenation of 20-byte SHA-1 hashes.
constexpr std::size_t kV1HashSize = 20;
// BitComet marks pad files by name instead of BEP 47 attr 'p'.
constexpr std::string_view kBitCometPadPrefix = "_____padding_file_";

class InfoParser {
 public:
  InfoParser(std::string_view raw, const InfoDictLimits& limits) : raw_(raw), limits_(limits) {}

  Result<InfoDict> run();

 private:
  std::uint64_t offset_of(std::string_view inside) const {
    return static_cast<std::uint64_t>(inside.data() - raw_.data());
  }
  std::optional<Error> check_component(std::string_view c, std::uint64_t at) const;
  std::optional<Error> parse_path(Node list, std::vector<std::string>& out) const;
  std::optional<std::vector<std::string>> parse_path_utf8(std::optional<Node> list) const;
  std::optional<Error> parse_v1_file(Node entry, FileEntry& out) const;
  std::optional<Error> parse_v1_files(Node files_list);
  std::optional<Error> parse_v1_single(Node info);
  std::optional<Error> walk_tree(Node dir, std::vector<std::string>& prefix);
  std::optional<Error> parse_v2_leaf(Node leaf, std::uint64_t at, FileEntry& out) const;
  std::optional<Error> add_file(std::vector<FileEntry>& list, FileEntry file, std::uint64_t at);
  std::optional<Error> charge_path(std::size_t components, std::size_t bytes, std::uint64_t at);
  std::optional<Error> check_hybrid(std::uint64_t at);

  std::string_view raw_;
  const InfoDictLimits& limits_;
  InfoDict out_;
  std::vector<FileEntry> v1_files_;
  std::vector<FileEntry> v2_files_;
  std::int64_t v1_size_ = 0;         // v1 byte stream, pad files included
  std::int64_t v2_size_ = 0;         // v2 byte stream, every file padded to a piece
  std::size_t file_total_ = 0;       // files seen in either list, against max_files
  std::size_t path_components_ = 0;  // path components of all files, against the limits
  std::size_t path_bytes_ = 0;
  std::size_t prefix_bytes_ = 0;  // bytes of the file tree directory being walked
};

std::uint8_t parse_attr(Node dict) {
  std::uint8_t attr = kAttrNone;
  const auto s = dict.find_string("attr");
  if (!s) return attr;
  for (char c : *s) {
    switch (c) {
      case 'p':
        attr |= kAttrPad;
        break;
      case 'x':
        attr |= kAttrExecutable;
        break;
      case 'h':
        attr |= kAttrHidden;
        break;
      case 'l':
        attr |= kAttrSymlink;
        break;
      default:
        break;  // BEP 47: unknown attributes are ignored
    }
  }
  return attr;
}

// ceil(a / b) for a >= 0, b > 0, without overflow.
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return a / b + (a % b != 0 ? 1 : 0); }

bool add_overflows(std::int64_t a, std::int64_t b) { return a > kMaxInt64 - b; }

std::optional<Error> InfoParser::check_component(std::string_view c, std::uint64_t at) const {
  if (c.empty()) return Error(Errc::kEmptyPathComponent, at);
  if (c == "." || c == "..") return Error(Errc::kDotPathComponent, at);
  if (c.find('/') != std::string_view::npos) return Error(Errc::kSlashInPathComponent, at);
  if (c.size() > limits_.max_path_component) return Error(Errc::kPathComponentTooLong, at);
  return std::nullopt;
}

std::optional<Error> InfoParser::parse_path(Node list, std::vector<std::string>& out) const {
  if (!list.is_list() || list.size() == 0) return Error(Errc::kInvalidPath, list.offset());
  if (list.size() > limits_.max_path_depth) return Error(Errc::kPathTooDeep, list.offset());
  out.reserve(list.size());
  for (Node item : list.items()) {
    if (!item.is_string()) return Error(Errc::kInvalidPath, item.offset());
    if (auto e = check_component(item.string(), item.offset())) return e;
    out.emplace_back(item.string());
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> InfoParser::parse_path_utf8(
    std::optional<Node> list) const {
  if (!list) return std::nullopt;
  std::vector<std::string> path;
  if (parse_path(*list, path)) return std::nullopt;
  return path;
}

std::optional<Error> InfoParser::charge_path(std::size_t components, std::size_t bytes,
                                             std::uint64_t at) {
  path_components_ += components;
  path_bytes_ += bytes;
  if (path_components_ > limits_.max_total_path_components ||
      path_bytes_ > limits_.max_total_path_bytes) {
    return Error(Errc::kPathsTooLarge, at);
  }
  return std::nullopt;
}

std::optional<Error> InfoParser::add_file(std::vector<FileEntry>& list, FileEntry file,
                                          std::uint64_t at) {
  if (++file_total_ > limits_.max_files) return Error(Errc::kTooManyFiles, at);
  list.push_back(std::move(file));
  return std::nullopt;
}

// Length of a v1 file entry or a v2 leaf; symlinks have none (BEP 47).
std::optional<Error> parse_length(Node dict, FileEntry& out) {
  if (out.symlink()) {
    out.length = 0;
    return std::nullopt;
  }
  const auto node = dict.find("length");
  if (!node) return Error(Errc::kInvalidLength, dict.offset());
  if (!node->is_int() || node->integer() < 0) return Error(Errc::kInvalidLength, node->offset());
  out.length = node->integer();
  return std::nullopt;
}

void parse_symlink_path(Node dict, FileEntry& out) {
  if (!out.symlink()) return;
  const auto list = dict.find_list("symlink path");
  if (!list) {
    // Invalid per BEP 47; libtorrent treats the entry as a plain file.
    out.attr &= static_cast<std::uint8_t>(~kAttrSymlink);
    return;
  }
  for (Node item : list->items()) {
    if (item.is_string()) out.symlink_path.emplace_back(item.string());
  }
}

std::optional<Error> InfoParser::parse_v1_file(Node entry, FileEntry& out) const {
  if (!entry.is_dict()) return Error(Errc::kInvalidFileEntry, entry.offset());
  out.attr = parse_attr(entry);
  parse_symlink_path(entry, out);
  if (auto e = parse_length(entry, out)) return e;
  const auto path = entry.find("path");
  if (!path && out.pad()) return std::nullopt;  // libtorrent files these under .pad/
  if (!path) return Error(Errc::kInvalidPath, entry.offset());
  if (auto e = parse_path(*path, out.path)) return e;
  for (const auto& c : out.path) {
    if (c.starts_with(kBitCometPadPrefix)) out.attr |= kAttrPad;
  }
  out.path_utf8 = parse_path_utf8(entry.find("path.utf-8"));
  return std::nullopt;
}

std::optional<Error> InfoParser::parse_v1_files(Node files_list) {
  if (!files_list.is_list()) return Error(Errc::kInvalidFileEntry, files_list.offset());
  // No reserve(): a few bytes of hostile input ("dedede...") would otherwise
  // allocate a FileEntry per item before the first one fails.
  for (Node entry : files_list.items()) {
    FileEntry file;
    if (auto e = parse_v1_file(entry, file)) return e;
    std::size_t bytes = 0;
    for (const auto& c : file.path) bytes += c.size();
    if (auto e = charge_path(file.path.size(), bytes, entry.offset())) return e;
    if (auto e = add_file(v1_files_, std::move(file), entry.offset())) return e;
  }
  return std::nullopt;
}

std::optional<Error> InfoParser::parse_v1_single(Node info) {
  FileEntry file;
  file.attr = parse_attr(info);
  parse_symlink_path(info, file);
  if (auto e = parse_length(info, file)) return e;
  file.path.push_back(out_.name);
  if (out_.name_utf8) file.path_utf8 = std::vector<std::string>{*out_.name_utf8};
  return add_file(v1_files_, std::move(file), info.offset());
}

std::optional<Error> InfoParser::parse_v2_leaf(Node leaf, std::uint64_t at, FileEntry& out) const {
  if (!leaf.is_dict()) return Error(Errc::kInvalidFileTree, at);
  out.attr = parse_attr(leaf);
  // BEP 52 has no pad files: files are piece-aligned by construction.
  if (out.pad()) return Error(Errc::kInvalidFileTree, leaf.offset());
  parse_symlink_path(leaf, out);
  if (auto e = parse_length(leaf, out)) return e;
  const auto root = leaf.find("pieces root");
  if (out.length == 0) {
    // BEP 52: empty files have no pieces root; tolerate a well-formed one.
    if (root && root->is_string()) out.pieces_root = InfoHashV2::from_bytes(root->string());
    return std::nullopt;
  }
  if (!root) return Error(Errc::kInvalidPiecesRoot, leaf.offset());
  if (!root->is_string() || root->string().size() != kPiecesRootSize) {
    return Error(Errc::kInvalidPiecesRoot, root->offset());
  }
  auto digest = InfoHashV2::from_bytes(root->string());
  if (!digest || *digest == InfoHashV2()) return Error(Errc::kInvalidPiecesRoot, root->offset());
  out.pieces_root = digest;
  return std::nullopt;
}

// BEP 52: directories are dicts keyed by component; a file is a dict whose only
// key is "" mapping to {length, pieces root}. Recursion depth is bounded by
// the bencode decoder's depth limit.
std::optional<Error> InfoParser::walk_tree(Node dir, std::vector<std::string>& prefix) {
  for (auto [key, value] : dir.entries()) {
    const std::uint64_t key_at = offset_of(key);
    if (!value.is_dict() || key.empty()) return Error(Errc::kInvalidFileTree, key_at);
    if (auto e = check_component(key, key_at)) return e;
    if (prefix.size() + 1 > limits_.max_path_depth) return Error(Errc::kPathTooDeep, key_at);
    prefix.emplace_back(key);
    prefix_bytes_ += key.size();
    if (const auto leaf = value.find("")) {
      // A file node holds nothing but "": anything else makes it both a file
      // and a directory.
      if (value.size() != 1) return Error(Errc::kInvalidFileTree, value.offset());
      // Charged before the copy: this is where a deep tree expands.
      if (auto e = charge_path(prefix.size(), prefix_bytes_, key_at)) return e;
      FileEntry file;
      file.path = prefix;
      if (auto e = parse_v2_leaf(*leaf, leaf->offset(), file)) return e;
      if (auto e = add_file(v2_files_, std::move(file), key_at)) return e;
    } else if (auto e = walk_tree(value, prefix)) {
      return e;  // an empty directory adds nothing, as in libtorrent
    }
    prefix_bytes_ -= key.size();
    prefix.pop_back();
  }
  return std::nullopt;
}

std::optional<Error> InfoParser::check_hybrid(std::uint64_t at) {
  std::size_t j = 0;
  for (auto& f : v1_files_) {
    if (f.pad()) continue;
    if (j >= v2_files_.size()) return Error(Errc::kHybridMismatch, at);
    const FileEntry& g = v2_files_[j++];
    if (f.path != g.path || f.length != g.length) return Error(Errc::kHybridMismatch, at);
    if (f.length > 0 && f.offset != g.offset) return Error(Errc::kHybridMismatch, at);
    f.pieces_root = g.pieces_root;
  }
  if (j != v2_files_.size()) return Error(Errc::kHybridMismatch, at);
  // The v1 stream ends where the last file's data ends, or padded to a piece
  // boundary ("tail padding", which older libtorrent versions left out).
  std::int64_t data_end = 0;
  for (const auto& g : v2_files_) {
    if (g.length > 0) data_end = g.offset + g.length;
  }
  if (v1_size_ != data_end && v1_size_ != v2_size_) return Error(Errc::kHybridMismatch, at);
  return std::nullopt;
}

Result<InfoDict> InfoParser::run() {
  if (raw_.size() > limits_.max_size) return Error(Errc::kTooLarge, limits_.max_size);
  bencode::DecodeLimits decode_limits;
  decode_limits.max_size = limits_.max_size;
  auto doc = bencode::decode(raw_, bencode::Mode::kLenient, decode_limits);
  if (!doc) return doc.error();
  const Node info = doc->root();
  if (!info.is_dict()) return Error(Errc::kNotADict, 0);
  out_.canonical = doc->canonical();

  // BEP 52 "meta version": absent means v1.
  std::int64_t meta_version = 1;
  if (const auto mv = info.find("meta version")) {
    if (!mv->is_int() || mv->integer() < 1 || mv->integer() > 2) {
      return Error(Errc::kUnsupportedVersion, mv->offset());
    }
    meta_version = mv->integer();
  }
  const auto file_tree = info.find("file tree");
  if (meta_version == 2 && (!file_tree || !file_tree->is_dict())) {
    return Error(Errc::kMissingFileTree, file_tree ? file_tree->offset() : info.offset());
  }
  if (meta_version != 2 && file_tree) {
    return Error(Errc::kFileTreeWithoutVersion, file_tree->offset());
  }
  const bool has_v2 = meta_version == 2;
  const auto pieces = info.find("pieces");
  const bool has_v1 = pieces.has_value();
  if (!has_v1 && !has_v2) return Error(Errc::kMissingPieces, info.offset());

  const auto piece_length = info.find("piece length");
  if (!piece_length) return Error(Errc::kMissingPieceLength, info.offset());
  if (!piece_length->is_int() || piece_length->integer() <= 0) {
    return Error(Errc::kInvalidPieceLength, piece_length->offset());
  }
  out_.piece_length = piece_length->integer();
  if (has_v2 && (out_.piece_length < kMinV2PieceLength ||
                 (out_.piece_length & (out_.piece_length - 1)) != 0)) {
    return Error(Errc::kInvalidPieceLength, piece_length->offset());
  }

  const auto name = info.find("name");
  if (!name) return Error(Errc::kMissingName, info.offset());
  if (!name->is_string() || check_component(name->string(), name->offset())) {
    return Error(Errc::kInvalidName, name->offset());
  }
  out_.name = name->string();
  if (const auto utf8 = info.find_string("name.utf-8")) {
    if (!check_component(*utf8, 0)) out_.name_utf8 = std::string(*utf8);
  }
  if (const auto priv = info.find_int("private")) out_.is_private = *priv != 0;

  const auto files = info.find("files");
  const auto length = info.find("length");
  if (files && length) return Error(Errc::kConflictingLayout, length->offset());
  if (has_v1) {
    if (!pieces->is_string() || pieces->string().size() % kV1HashSize != 0) {
      return Error(Errc::kInvalidPieces, pieces->offset());
    }
    if (files) {
      if (auto e = parse_v1_files(*files)) return *e;
    } else if (length) {
      if (auto e = parse_v1_single(info)) return *e;
    } else {
      return Error(Errc::kNoFiles, info.offset());
    }
    std::int64_t offset = 0;
    for (auto& f : v1_files_) {
      f.offset = offset;
      if (add_overflows(offset, f.length))
        return Error(Errc::kTotalSizeOverflow, files ? files->offset() : info.offset());
      offset += f.length;
    }
    v1_size_ = offset;
    const std::int64_t expected = ceil_div(offset, out_.piece_length);
    const auto count = static_cast<std::int64_t>(pieces->string().size() / kV1HashSize);
    if (count != expected) return Error(Errc::kPieceCountMismatch, pieces->offset());
    out_.piece_count = count;
    out_.pieces_offset_ = offset_of(pieces->string());
    out_.pieces_size_ = pieces->string().size();
  } else if (files || length) {
    // v1 layout without v1 hashes: half a hybrid.
    return Error(Errc::kMissingPieces, info.offset());
  }

  if (has_v2) {
    std::vector<std::string> prefix;
    if (auto e = walk_tree(*file_tree, prefix)) return *e;
    std::int64_t offset = 0;
    std::int64_t pieces_v2 = 0;
    for (auto& f : v2_files_) {
      f.offset = offset;
      const std::int64_t n = ceil_div(f.length, out_.piece_length);
      // n * piece_length <= length + piece_length - 1; check before multiplying.
      if (n > (kMaxInt64 - offset) / out_.piece_length) {
        return Error(Errc::kTotalSizeOverflow, file_tree->offset());
      }
      offset += n * out_.piece_length;
      pieces_v2 += n;
    }
    v2_size_ = offset;
    if (!has_v1) out_.piece_count = pieces_v2;
  }

  if (has_v1 && has_v2) {
    if (auto e = check_hybrid(file_tree->offset())) return *e;
    out_.version = Version::kHybrid;
    out_.multi_file = files.has_value();
    out_.files = std::move(v1_files_);
  } else if (has_v1) {
    out_.version = Version::kV1;
    out_.multi_file = files.has_value();
    out_.files = std::move(v1_files_);
  } else {
    out_.version = Version::kV2;
    // One file at the top of the tree named like the torrent: a single-file
    // torrent. Otherwise the tree is the content of the directory `name`.
    const bool single = v2_files_.size() == 1 && file_tree->size() == 1 &&
                        v2_files_.front().path.size() == 1 &&
                        v2_files_.front().path.front() == out_.name;
    out_.multi_file = !single;
    out_.files = std::move(v2_files_);
  }

  for (const auto& f : out_.files) {
    if (f.pad()) continue;
    ++out_.file_count;
    // Cannot overflow: the v1 or v2 offsets above already summed these.
    out_.total_size += f.length;
  }
  if (out_.file_count == 0) {
    return Error(Errc::kNoFiles, has_v2 ? file_tree->offset() : info.offset());
  }

  out_.raw = std::string(raw_);
  if (has_v1) out_.hashes.v1 = InfoHashV1(sha1(raw_));
  if (has_v2) out_.hashes.v2 = InfoHashV2(sha256(raw_));
  return std::move(out_);
}

}  // namespace

Result<InfoDict> parse_info_dict(std::string_view raw, const InfoDictLimits& limits) {
  return InfoParser(raw, limits).run();
}

}  // namespace magnetar::metainfo
