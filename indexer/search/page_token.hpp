// Page tokens (AIP-158) of the Search RPC: opaque to clients, a keyset
// position to the engine. A token names the last row a page ended on (its
// sort key and id) and carries a fingerprint of the request, so a token
// replayed with another query, filters or order is refused instead of
// silently paging through something else.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/infohash.hpp"
#include "common/result.hpp"
#include "indexer/search/search_spec.hpp"

namespace magnetar::search {

struct PagePosition {
  // The sort key of the last row: microseconds since the epoch (first_seen),
  // bytes (size), or the bits of the float score (relevance).
  std::int64_t key = 0;
  InfoHashV1 id;
  friend bool operator==(const PagePosition&, const PagePosition&) = default;
};

// FNV-1a over every field of spec that selects or orders rows (not page_size,
// not page_token): equal for the pages of one search.
std::uint64_t request_fingerprint(const SearchSpec& spec);

std::string encode_page_token(std::uint64_t fingerprint, const PagePosition& position);
// kBadPageToken for anything encode_page_token did not make, kPageTokenMismatch
// for a token of another request.
Result<PagePosition> decode_page_token(std::string_view token, std::uint64_t fingerprint);

}  // namespace magnetar::search
