// The info dictionary of a torrent (BEP 3 v1, BEP 52 v2, or both: hybrid),
// parsed from the exact bytes a peer sent (BEP 9 ut_metadata) or found in a
// .torrent file.
//
// Infohashes are computed from those exact bytes: sha1(raw) when the dict has
// v1 "pieces", sha256(raw) when "meta version" is 2 with a "file tree". Non-
// canonical bencode (unsorted keys, "i03e") is accepted and hashed as is.
//
// Decisions (documented here because peers send anything):
//  - Path traversal is rejected, not marked: a path component (or the name)
//    that is empty, "." or "..", or contains '/', fails the whole dict with its
//    own error code. We never write these files, but the indexer shows the
//    paths and the keeper serves the dict to other clients: a dict that names
//    files outside the torrent directory is broken or hostile either way.
//    Backslashes and NUL bytes are ordinary bytes here; names are escaped for
//    display by whoever shows them.
//  - "name.utf-8" and "path.utf-8" are optional hints: kept when well formed
//    (a string / a list of strings passing the same checks), dropped otherwise.
//    They never decide validity; the raw "name"/"path" do.
//  - Hybrid consistency (as libtorrent checks it): the v1 file list without its
//    pad files must be the v2 file tree in order: same paths (raw bytes), same
//    lengths, and every non-empty file at the same offset (v2 starts each file
//    on a piece boundary; v1 reaches it with pad files); the v1 byte stream
//    ends with the last file's data or at the next piece boundary.
//  - Single file or not: v1 with "length" is single-file (its one file's path
//    is {name}); v2-only is single-file when the tree holds exactly one entry,
//    a file whose key equals "name". Otherwise paths are relative to the
//    directory "name". libtorrent differs on a v2-only directory holding one
//    file ({"name": "dir", "file tree": {"f": file}}, which its own
//    create_torrent writes): it loads that as the single file "f" named "f";
//    we keep the name "dir" with the file dir/f, as the creator meant.
//  - A symlink (BEP 47 attr 'l') has length 0 whatever "length" says, as in
//    libtorrent; a v1 entry whose path has a component starting with
//    "_____padding_file_" (BitComet) is a pad file.
//  - Pad files may omit "path" (libtorrent tolerates it); any other file may not.
//  - Non-canonical bencode is accepted in v2 dicts too (libtorrent refuses
//    it there); `canonical` tells. Where libtorrent accepts a dict we refuse,
//    it is traversal (sanitized there), or a damaged hybrid: "pieces" without a
//    v1 file list or the reverse (libtorrent loads the v2 half), or a v1 file
//    list with a broken entry.
//  - Unknown keys are ignored and not kept; `raw` holds them for whoever serves
//    the dict.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/infohash.hpp"
#include "common/metainfo_errors.hpp"
#include "common/result.hpp"

namespace magnetar::metainfo {

// BEP 9 gives no cap; the peer wire refuses metadata above 10 MiB (the largest
// real info dicts are a few MiB), so a bigger dict cannot come from a peer.
inline constexpr std::size_t kMaxInfoDictSize = 10u << 20;
// Bounds allocations per dict; a 10 MiB dict cannot hold many more anyway.
inline constexpr std::size_t kMaxFiles = 1'000'000;
// Deeper than any real layout. It binds before the bencode depth limit (100,
// about 97 directory levels in a BEP 52 tree) and caps v1 path lists alike.
inline constexpr std::size_t kMaxPathDepth = 64;
// NAME_MAX is 255 bytes on Linux, but real torrents carry longer names (they
// get truncated on disk by clients); 1 KiB keeps those and stops abuse.
inline constexpr std::size_t kMaxPathComponent = 1024;
// A BEP 52 file tree names each directory once, but every file below it gets
// the full path: a hostile tree (a long chain of 1000-byte directory names
// with thousands of files at the bottom) would expand a few hundred KiB into
// gigabytes. These cap the expanded paths of all files together. Real dicts
// stay far below: 10 MiB of real paths is a few hundred thousand files, and
// a v2 tree expands its paths a few times over at most.
inline constexpr std::size_t kMaxTotalPathComponents = 2'000'000;
inline constexpr std::size_t kMaxTotalPathBytes = 32u << 20;
// BEP 52: "piece length ... must be a power of two and at least 16KiB".
inline constexpr std::int64_t kMinV2PieceLength = 16 * 1024;

struct InfoDictLimits {
  std::size_t max_size = kMaxInfoDictSize;
  std::size_t max_files = kMaxFiles;
  std::size_t max_path_depth = kMaxPathDepth;
  std::size_t max_path_component = kMaxPathComponent;
  std::size_t max_total_path_components = kMaxTotalPathComponents;
  std::size_t max_total_path_bytes = kMaxTotalPathBytes;
};

enum class Version : std::uint8_t { kV1 = 1, kV2 = 2, kHybrid = 3 };

// BEP 47 file attributes, a bit set.
enum FileAttr : std::uint8_t {
  kAttrNone = 0,
  kAttrPad = 1u << 0,         // 'p': padding, not content
  kAttrExecutable = 1u << 1,  // 'x'
  kAttrHidden = 1u << 2,      // 'h'
  kAttrSymlink = 1u << 3,     // 'l'
};

struct FileEntry {
  // Path components as raw bytes (relative to the directory `name` for a
  // multi-file torrent, {name} for a single file). Pad files may have none.
  std::vector<std::string> path;
  // "path.utf-8" when present and well formed.
  std::optional<std::vector<std::string>> path_utf8;
  std::int64_t length = 0;
  // Where the file starts in the torrent's byte stream: v1 offset (pad files
  // included) for v1 and hybrid, piece-aligned v2 offset for v2-only.
  std::int64_t offset = 0;
  std::uint8_t attr = kAttrNone;
  // BEP 52 root of the file's merkle tree; absent for empty files and v1.
  std::optional<InfoHashV2> pieces_root;
  // BEP 47 "symlink path" of a symlink, raw components.
  std::vector<std::string> symlink_path;

  bool pad() const { return (attr & kAttrPad) != 0; }
  bool symlink() const { return (attr & kAttrSymlink) != 0; }
  friend bool operator==(const FileEntry&, const FileEntry&) = default;
};

struct InfoDict {
  std::string raw;    // the dict's exact bytes: serve and store these
  InfoHashes hashes;  // v1 = sha1(raw), v2 = sha256(raw)
  Version version = Version::kV1;
  bool canonical = true;  // raw is canonical bencode (sorted keys, no leading zeros)
  std::string name;       // raw bytes
  std::optional<std::string> name_utf8;
  std::int64_t piece_length = 0;
  // v1 and hybrid: the number of SHA-1 hashes in "pieces"; v2-only: the sum
  // over files of ceil(length / piece length).
  std::int64_t piece_count = 0;
  bool is_private = false;  // BEP 27
  bool multi_file = false;
  // v1 list order with pad files for v1 and hybrid; file tree order for v2-only.
  std::vector<FileEntry> files;
  std::int64_t total_size = 0;  // content bytes, pad files excluded
  std::size_t file_count = 0;   // files excluding pad files

  // The concatenated v1 SHA-1 piece hashes (empty for v2-only).
  std::string_view v1_piece_hashes() const {
    return std::string_view(raw).substr(pieces_offset_, pieces_size_);
  }

  // Where "pieces" lies in raw (set by the parser; offsets, so a copied or
  // moved InfoDict stays valid).
  std::size_t pieces_offset_ = 0;
  std::size_t pieces_size_ = 0;
};

// Parses and validates an info dict. Errors are metainfo::Errc, or
// bencode::Errc when the bytes are not bencode; offsets are into `raw`: the
// first byte of the bad value, of the dict missing a key, or, for a bad BEP 52
// file tree key, of the key's bytes (after its "12:" length prefix).
Result<InfoDict> parse_info_dict(std::string_view raw, const InfoDictLimits& limits = {});

}  // namespace magnetar::metainfo
