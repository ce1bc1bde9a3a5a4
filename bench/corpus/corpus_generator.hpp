// A deterministic synthetic torrent corpus for the ingest and search
// benchmarks (issue 5, item 7). Record i of seed s is always the same (on any
// platform: own PRNG and distributions, no std:: distributions), so two
// benchmarks, or two runs, see the same torrents; records can be generated
// in any order or in parallel.
//
// The fixed distribution, modelled on a public DHT index:
//   content types  ~40% video (22% movies, 18% episodes), 20% audio (17%
//                  music, 3% audiobooks), 10% software/games (6% + 4%), the
//                  other 30% spread (xxx 8, ebook 6, archive 5, image 4,
//                  unknown 5, comic 2);
//   files          heavy-tailed: log-normal with median 3 and sigma 2.2,
//                  clamped to [1, 10,000] (mean ~30, p99 ~500);
//   names          20-120 characters, mean ~55, in scene
//                  ("The.Matrix.1999.1080p.BluRay.x264-GRP"), p2p
//                  ("The Matrix (1999) [1080p] [YTS]") and plain styles;
//   paths          1-4 levels deep, components of mean ~25 characters.
#pragma once

#include <cstdint>

#include "indexer/store/torrent_record.hpp"

namespace magnetar::bench {

// indexer/classify ContentType values (the store keeps them as small ints).
enum class CorpusType : std::int16_t {
  kUnknown = 0,
  kMovie = 1,
  kEpisode = 2,
  kMusic = 3,
  kAudiobook = 4,
  kEbook = 5,
  kComic = 6,
  kSoftware = 7,
  kGame = 8,
  kImage = 9,
  kArchive = 10,
  kXxx = 11,
};

inline constexpr std::int64_t kCorpusMaxFiles = 10'000;
inline constexpr std::size_t kCorpusMinNameLength = 20;
inline constexpr std::size_t kCorpusMaxNameLength = 120;

class CorpusGenerator {
 public:
  explicit CorpusGenerator(std::uint64_t seed) : seed_(seed) {}

  // Record `index` of this corpus: every file listed (the store cuts long
  // lists), classification filled in, no raw info dict.
  indexer::store::TorrentRecord record(std::uint64_t index) const;

  // record(0), record(1), ...
  indexer::store::TorrentRecord next() { return record(next_++); }

 private:
  std::uint64_t seed_;
  std::uint64_t next_ = 0;
};

}  // namespace magnetar::bench
