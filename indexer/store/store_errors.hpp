// Error codes of indexer/store's decoders (the stored file-list encoding).
#pragma once

#include <system_error>

namespace magnetar::indexer::store {

enum class Errc {
  kTruncated = 1,    // the encoding ends inside an entry
  kBadFormat,        // unknown format byte
  kBadVarint,        // a varint longer than 10 bytes or above its bound
  kBadSharedPrefix,  // an entry shares more components than the previous has
  kLimitExceeded,    // more files, components or bytes than the limits allow
  kTrailingData,     // bytes after the last entry
};

std::error_code make_error_code(Errc e);

}  // namespace magnetar::indexer::store

template <>
struct std::is_error_code_enum<magnetar::indexer::store::Errc> : std::true_type {};
