// The torrent classifier: a pure function of (name, file list) under a set of
// Rules, compiled once into hash tables and shape buckets. classify() is const
// and keeps no state between calls, so one Classifier serves any number of
// threads. Names are arbitrary bytes: nothing here throws on them or reads past
// the bounds below.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/classify/classification.hpp"
#include "indexer/classify/rules.hpp"
#include "indexer/classify/string_map.hpp"

namespace magnetar::indexer::classify {

// One file of the torrent: its path ("dir/sub/file.mkv", BEP 3 components joined
// by '/') and length.
struct FileEntry {
  std::string_view path;
  std::uint64_t size = 0;
};

struct TorrentInput {
  std::string_view name;
  std::span<const FileEntry> files;  // empty: a single-file torrent named `name`
};

// Release names are under 300 bytes; the rest of a longer one is ignored.
inline constexpr std::size_t kMaxNameBytes = 512;
// Extension shares are computed over at most this many files (the first ones):
// about 1% of torrents have more (the corpus: p99 of 500 files), and
// such torrents are dominated by one kind of file anyway.
inline constexpr std::size_t kMaxFilesScanned = 1024;
// The largest files whose names are parsed too (episode markers, resolution).
inline constexpr std::size_t kMaxFilesParsed = 8;

class Classifier {
 public:
  explicit Classifier(const Rules& rules);

  Classification classify(std::string_view name, std::span<const FileEntry> files = {}) const;
  // Classifies inputs[i] into out[i]; out must be as long as inputs.
  void classify_batch(std::span<const TorrentInput> inputs, std::span<Classification> out) const;
  std::vector<Classification> classify_batch(std::span<const TorrentInput> inputs) const;

 private:
  struct CompiledTerm {
    Field field = Field::kNone;
    std::string value;
    TypeWeights weights;
    Boundary boundary = Boundary::kNone;
    float title_weight = 1.0f;
    std::uint8_t tokens = 1;
  };
  struct Hit;   // a term or shape match in a name
  struct Scan;  // the tokens and matches of one name

  void scan(std::string_view lowered, std::uint32_t start, std::uint32_t end, bool leading_group,
            Scan& out) const;
  bool valid_capture(const ShapeRule& rule, const ShapeMatch& m) const;
  Boundary boundary_of(const Hit& h) const;
  bool is_year_hit(const Hit& h) const;
  Classification file_evidence(std::span<const FileEntry> files, int name_group,
                               TypeWeights& scores) const;
  void apply_hits(const Scan& scan, std::size_t stop, std::string_view name,
                  Classification& result) const;
  std::string trailing_group(std::string_view name, std::string_view lowered, std::uint32_t end,
                             const Scan& scan) const;
  int extension_group(std::string_view path) const;

  Settings settings_;
  std::array<bool, kFieldCount> from_title_{};
  std::vector<CompiledTerm> terms_;
  StringMap<std::uint32_t> term_index_;         // normalized phrase -> terms_ index
  StringMap<std::uint8_t> first_token_tokens_;  // first token -> longest phrase starting with it
  std::vector<ShapeRule> shapes_;
  std::array<std::vector<std::uint16_t>, 256> shapes_by_byte_;
  StringMap<std::uint16_t> extension_index_;  // extension -> group
  std::vector<TypeWeights> group_weights_;
  std::vector<bool> group_is_video_;
  std::vector<ContentType> priority_;
};

}  // namespace magnetar::indexer::classify
