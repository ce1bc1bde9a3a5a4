// Between the public API's messages (magnetar.proto) and the search engine's
// plain types: requests checked and mapped, results filled in.
#pragma once

#include <string>

#include "common/result.hpp"
#include "indexer/search/search_spec.hpp"
#include "indexer/search/torrent_reader.hpp"
#include "magnetar/v1/magnetar.pb.h"
#include "rpc/hub/pg_pin_store.hpp"

namespace magnetar::rpc {

// The request as a SearchSpec, or a message saying what is wrong with it
// (the query's errors name the byte offset).
Result<search::SearchSpec, std::string> to_search_spec(const v1::SearchRequest& request);

// "first_seen desc" and the like (AIP-132); an empty string gives the default.
Result<std::pair<search::SortKey, bool>, std::string> parse_order_by(std::string_view text,
                                                                     bool has_query);

v1::ContentType to_proto_type(int content_type);
// Nothing for CONTENT_TYPE_UNSPECIFIED and unknown numbers.
std::optional<int> from_proto_type(v1::ContentType type);

void fill_summary(const search::Hit& hit, v1::TorrentSummary& out);
void fill_page(const search::SearchPage& page, v1::SearchResponse& out);
void fill_torrent(const search::TorrentDetails& details, v1::Torrent& out);
void fill_stats(const search::IndexStats& stats, const pin_store::PinTotals& pins,
                v1::StatsResponse& out);

// The magnet link of a hit: xt (btih and/or btmh), dn, and tr / ws when known.
std::string magnet_of(const search::Hit& hit, const std::vector<std::string>& trackers = {},
                      const std::vector<std::string>& web_seeds = {});

}  // namespace magnetar::rpc
