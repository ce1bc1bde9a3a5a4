#include "common/metainfo_errors.hpp"

#include "common/error_category.hpp"

namespace magnetar::metainfo {
namespace {

constexpr char kName[] = "metainfo";

std::string describe(int ev) {
  switch (static_cast<Errc>(ev)) {
    case Errc::kTooLarge:
      return "input too large";
    case Errc::kNotADict:
      return "not a dictionary";
    case Errc::kMissingName:
      return "missing name";
    case Errc::kInvalidName:
      return "invalid name";
    case Errc::kMissingPieceLength:
      return "missing piece length";
    case Errc::kInvalidPieceLength:
      return "invalid piece length";
    case Errc::kUnsupportedVersion:
      return "unsupported meta version";
    case Errc::kMissingFileTree:
      return "meta version 2 without a file tree";
    case Errc::kFileTreeWithoutVersion:
      return "file tree without meta version 2";
    case Errc::kMissingPieces:
      return "missing pieces";
    case Errc::kInvalidPieces:
      return "invalid pieces";
    case Errc::kPieceCountMismatch:
      return "piece count does not match the total size";
    case Errc::kConflictingLayout:
      return "both length and files present";
    case Errc::kInvalidLength:
      return "invalid file length";
    case Errc::kTotalSizeOverflow:
      return "total size overflows";
    case Errc::kInvalidFileEntry:
      return "file entry is not a dictionary";
    case Errc::kInvalidPath:
      return "invalid file path";
    case Errc::kEmptyPathComponent:
      return "empty path component";
    case Errc::kDotPathComponent:
      return "'.' or '..' path component";
    case Errc::kSlashInPathComponent:
      return "'/' in a path component";
    case Errc::kPathComponentTooLong:
      return "path component too long";
    case Errc::kPathTooDeep:
      return "path too deep";
    case Errc::kTooManyFiles:
      return "too many files";
    case Errc::kPathsTooLarge:
      return "file paths too large in total";
    case Errc::kNoFiles:
      return "no files";
    case Errc::kInvalidFileTree:
      return "invalid file tree";
    case Errc::kInvalidPiecesRoot:
      return "invalid pieces root";
    case Errc::kHybridMismatch:
      return "v1 files and v2 file tree differ";
    case Errc::kMissingInfo:
      return "missing info dictionary";
    case Errc::kInvalidPieceLayers:
      return "invalid piece layers";
  }
  return "unknown metainfo error";
}

}  // namespace

std::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::metainfo
