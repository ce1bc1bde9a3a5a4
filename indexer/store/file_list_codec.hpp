// The compact per-torrent encoding of a file list (torrent_files.files), one
// bytea per torrent instead of one row per file: a row costs ~30 bytes of
// header and index before any data, and files in one folder share their
// leading components, which this encoding writes once.
//
//   file_list := format(u8 = 1) varint(count) entry{count}
//   entry     := varint(shared) varint(rest) component{rest} varint(size)
//   component := varint(length) byte{length}
//
// `shared` leading components are those of the previous entry's path; `rest`
// more follow. Components are the raw bytes of the info dict: the display text
// is derived on read with sanitize_text (one rule for names and paths), so the
// original bytes are always kept and never duplicated. Varints are LEB128
// (7 bits per byte, least significant group first).
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "indexer/store/torrent_record.hpp"

namespace magnetar::indexer::store {

inline constexpr std::uint8_t kFileListFormat = 1;

// Bounds of the decoder (stored data is trusted more than the network, but a
// corrupt or hand-edited row must not allocate without limit): the limits of
// common/metainfo.hpp for files and depth.
struct FileListLimits {
  std::size_t max_files = 1'000'000;
  std::size_t max_depth = 256;
  std::size_t max_component = 1024 * 1024;
};

// Encodes the first max_files files (the caller keeps the true count).
std::string encode_file_list(std::span<const TorrentFile> files, std::size_t max_files);

Result<std::vector<TorrentFile>> decode_file_list(std::string_view bytes,
                                                  const FileListLimits& limits = {});

// An extension longer than this is not one ("file.backup-2019-final"): common
// ones are 2-4 characters, "torrent" and "epub3" fit.
inline constexpr std::size_t kMaxExtensionLength = 10;
// A torrent's extension set is kept small: a software bundle of 10,000 files
// may have hundreds of distinct suffixes, and the filter only needs the common.
inline constexpr std::size_t kMaxExtensions = 32;

// The lower-case ASCII extension of a file name ("Movie.MKV" -> "mkv"), or
// empty: the part after the last '.', 1..kMaxExtensionLength letters or
// digits, the dot not being the first byte.
std::string file_extension(std::string_view file_name);

// The sorted distinct extensions of a torrent's files (or of its name for a
// single-file torrent), at most kMaxExtensions: the shortest (then smallest)
// of the first 256 distinct ones met.
std::vector<std::string> torrent_extensions(const TorrentRecord& record);

}  // namespace magnetar::indexer::store
