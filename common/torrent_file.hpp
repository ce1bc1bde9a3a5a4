// .torrent files (BEP 3 metainfo files): parse one into its parts, write one
// around an info dict we already hold, and turn one into a magnet link.
//
// The info dict is always carried as its exact bytes, so writing a .torrent
// from a fetched dict and loading it anywhere gives the same infohash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/metainfo.hpp"
#include "common/result.hpp"

namespace magnetar::metainfo {

// A .torrent is the info dict (capped at 10 MiB, BEP 9) plus trackers and, for
// v2, "piece layers": 32 bytes per piece per file. 64 MiB holds a 10 MiB dict
// and the piece layers of a v2 torrent of over a million pieces.
inline constexpr std::size_t kMaxTorrentFileSize = 64u << 20;

struct TorrentFile {
  InfoDict info;  // info.raw holds the "info" value's exact bytes
  // "announce" then every tier of "announce-list" (BEP 12) in order, without
  // duplicates or empty strings.
  std::vector<std::string> trackers;
  // BEP 19 "url-list" (a string or a list of strings), without duplicates.
  std::vector<std::string> web_seeds;
  // BEP 52 "piece layers" dict, exact bytes, when present.
  std::optional<std::string> piece_layers;
  std::optional<std::int64_t> creation_date;  // seconds since the epoch
  std::optional<std::string> comment;
  std::optional<std::string> created_by;
};

// Parses a .torrent. Errors are metainfo::Errc or bencode::Errc with offsets
// into `bytes` (errors inside the info dict are shifted to file offsets).
// Optional fields of the wrong type are ignored, not errors: only the info
// dict decides whether a torrent is usable.
Result<TorrentFile> parse_torrent_file(std::string_view bytes, const InfoDictLimits& limits = {});

// Canonical bencode of a .torrent: "announce" (the first tracker),
// "announce-list" (one tier per tracker, in order), "info" spliced byte for
// byte from info_raw (the caller's verified dict), "piece layers" spliced
// from its raw bytes when given, "url-list" when there are web seeds.
// Empty and repeated trackers or web seeds are dropped.
std::string make_torrent_file(std::string_view info_raw, const std::vector<std::string>& trackers,
                              const std::vector<std::string>& web_seeds,
                              std::optional<std::string_view> piece_layers_raw = std::nullopt);

// magnet:?xt=urn:btih:..&xt=urn:btmh:1220..&dn=..&tr=..&ws=.. (BEP 9, BEP 52),
// written by magnet::format_magnet. dn is "name.utf-8" when present, else "name".
std::string magnet_from_info(const InfoDict& info, const std::vector<std::string>& trackers = {},
                             const std::vector<std::string>& web_seeds = {});
std::string magnet_from_torrent(const TorrentFile& torrent);

}  // namespace magnetar::metainfo
