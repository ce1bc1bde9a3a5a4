// Error codes of the info dict (BEP 3, BEP 52) and .torrent file parsers.
// Errors of the bencode layer underneath keep their own category
// (magnetar::bencode::Errc); these codes say what is wrong with a
// well-formed bencoded value.
#pragma once

#include <system_error>

namespace magnetar::metainfo {

enum class Errc {
  kTooLarge = 1,            // input larger than the limit (BEP 9 metadata cap)
  kNotADict,                // the info dict (or the .torrent) is not a dict
  kMissingName,             // no "name"
  kInvalidName,             // "name" not a string, empty, ".", "..", contains '/', too long
  kMissingPieceLength,      // no "piece length"
  kInvalidPieceLength,      // <= 0, not an integer; v2: not a power of two >= 16 KiB
  kUnsupportedVersion,      // "meta version" not an integer 1 or 2
  kMissingFileTree,         // "meta version" 2 without a "file tree" dict (BEP 52)
  kFileTreeWithoutVersion,  // "file tree" without "meta version" 2
  kMissingPieces,           // neither v1 "pieces" nor a v2 file tree
  kInvalidPieces,           // "pieces" not a string or not a multiple of 20 bytes
  kPieceCountMismatch,      // v1: pieces/20 != ceil(total size / piece length)
  kConflictingLayout,       // both "length" (single file) and "files" (multi-file)
  kInvalidLength,           // a file length missing, not an integer or negative
  kTotalSizeOverflow,       // the sum of file sizes does not fit in 63 bits
  kInvalidFileEntry,        // an item of "files" is not a dict
  kInvalidPath,             // "path" missing, not a list, empty, or an item not a string
  kEmptyPathComponent,      // "" as a path component
  kDotPathComponent,        // "." or ".." as a path component (path traversal)
  kSlashInPathComponent,    // '/' inside a path component (path traversal)
  kPathComponentTooLong,    // longer than InfoDictLimits::max_path_component
  kPathTooDeep,             // more components than InfoDictLimits::max_path_depth
  kTooManyFiles,            // more files than InfoDictLimits::max_files
  kPathsTooLarge,           // all files' paths together over the InfoDictLimits totals
  kNoFiles,                 // no file at all (pad files do not count)
  kInvalidFileTree,         // BEP 52 "file tree" of the wrong shape
  kInvalidPiecesRoot,       // BEP 52 "pieces root" missing, not 32 bytes, or all zero
  kHybridMismatch,          // v1 file list and v2 file tree describe different files
  // .torrent files
  kMissingInfo,         // no "info" dict in a .torrent
  kInvalidPieceLayers,  // BEP 52 "piece layers" present but not a dict
};

std::error_code make_error_code(Errc e);

}  // namespace magnetar::metainfo

template <>
struct std::is_error_code_enum<magnetar::metainfo::Errc> : std::true_type {};
