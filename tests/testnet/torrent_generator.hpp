// Generates torrents for the testnet: realistic names and file trees
// (content_layout.hpp), realistic piece counts, v1, v2 (BEP 52) or hybrid,
// with info dicts of a chosen average size. No content exists anywhere: the
// piece hashes are pseudo-random digests (the hashes of content nobody
// stores), and seeders run with a disk-less storage that never checks them.
// Everything is a function of the seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/infohash.hpp"

namespace magnetar::testnet {

enum class TorrentVersion { kV1, kV2, kHybrid };
std::string_view to_string(TorrentVersion version);

// Relative weights of the versions. Torrents take versions in a fixed
// rotation (not at random), so even a handful of torrents has every version
// with a nonzero weight.
struct VersionMix {
  unsigned v1 = 1;
  unsigned v2 = 1;
  unsigned hybrid = 1;

  // The version of torrent number `index`.
  TorrentVersion at(std::size_t index) const;
};

// BEP 9 transfers metadata in 16 KiB pieces.
inline constexpr std::size_t kMetadataPieceSize = 16 * 1024;

struct GeneratorOptions {
  std::uint64_t seed = 1;
  std::size_t count = 20;
  VersionMix versions;
  // Average size of the bencoded info dicts. 18 KB is what the metadata
  // benchmark asks for (issue 4): most torrents need 1 or 2 ut_metadata pieces.
  std::size_t average_info_size = 18'000;
  // No info dict is larger: 4 metadata pieces by default.
  std::size_t max_info_size = 4 * kMetadataPieceSize;
  // No info dict aims lower (a single small file is smaller still, so this
  // is a target, not a guarantee).
  std::size_t min_info_size = 1'000;
};

struct GeneratedTorrent {
  std::string name;
  TorrentVersion version = TorrentVersion::kV1;
  // The bencoded info dict exactly as peers send it (BEP 9): its SHA-1 is
  // the v1 infohash, its SHA-256 the v2 infohash.
  std::string info_dict;
  // The whole .torrent file (info dict, and for v2 and hybrid the "piece
  // layers" a seeder needs), as libtorrent loads it.
  std::string torrent_file;
  InfoHashes info_hashes;
  std::size_t file_count = 0;   // files of the content, pad files not counted
  std::int64_t total_size = 0;  // bytes of content, pad files not counted
  int piece_length = 0;
  int piece_count = 0;

  // magnet:?xt=urn:btih:<v1 hex>&xt=urn:btmh:1220<v2 hex>&dn=<name> (BEP 9, BEP 52).
  std::string magnet() const;
  // How many BEP 9 metadata pieces the info dict spans.
  std::size_t metadata_pieces() const {
    return (info_dict.size() + kMetadataPieceSize - 1) / kMetadataPieceSize;
  }
};

// One torrent whose info dict is close to `target_info_size` bytes (within
// a few percent unless the layout cannot get there) and never above
// `max_info_size`.
GeneratedTorrent generate_torrent(std::uint64_t seed, TorrentVersion version,
                                  std::size_t target_info_size, std::size_t max_info_size);

// `options.count` torrents. Torrent i depends only on the seed and i, so a
// longer list starts with the shorter one.
std::vector<GeneratedTorrent> generate_torrents(const GeneratorOptions& options);

}  // namespace magnetar::testnet
