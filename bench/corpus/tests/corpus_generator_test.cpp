#include "bench/corpus/corpus_generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "indexer/store/text_sanitizer.hpp"

namespace magnetar::bench {
namespace {

constexpr std::uint64_t kSeed = 42;
// Large enough for stable tails (p99 rests on ~400 records).
constexpr std::size_t kSample = 40'000;

struct Stats {
  std::vector<std::int64_t> files;
  std::vector<std::size_t> name_lengths;
  std::map<std::int16_t, std::size_t> types;
  std::size_t components = 0, component_bytes = 0;
  std::size_t min_depth = 100, max_depth = 0;
  bool names_valid = true;
};

const Stats& sample() {
  static const Stats stats = [] {
    Stats s;
    CorpusGenerator gen(kSeed);
    for (std::size_t i = 0; i < kSample; ++i) {
      const auto r = gen.next();
      s.files.push_back(r.file_count);
      s.name_lengths.push_back(r.name.size());
      ++s.types[r.content_type];
      if (indexer::store::sanitize_text(r.name).changed) s.names_valid = false;
      for (const auto& f : r.files) {
        s.min_depth = std::min(s.min_depth, f.path.size());
        s.max_depth = std::max(s.max_depth, f.path.size());
        for (const auto& c : f.path) {
          ++s.components;
          s.component_bytes += c.size();
        }
      }
    }
    std::sort(s.files.begin(), s.files.end());
    return s;
  }();
  return stats;
}

double share(std::initializer_list<CorpusType> types) {
  std::size_t n = 0;
  for (auto t : types) {
    auto it = sample().types.find(static_cast<std::int16_t>(t));
    if (it != sample().types.end()) n += it->second;
  }
  return static_cast<double>(n) / kSample;
}

TEST(CorpusGenerator, IsDeterministicPerSeedAndIndex) {
  CorpusGenerator a(7), b(7), c(8);
  for (int i = 0; i < 100; ++i) {
    const auto ra = a.next();
    const auto rb = b.next();
    EXPECT_EQ(ra.hashes, rb.hashes);
    EXPECT_EQ(ra.name, rb.name);
    EXPECT_EQ(ra.files, rb.files);
    EXPECT_NE(ra.hashes, c.next().hashes);
  }
  EXPECT_EQ(CorpusGenerator(7).record(55).name, CorpusGenerator(7).record(55).name);
}

TEST(CorpusGenerator, FilesPerTorrentAreHeavyTailed) {
  const auto& f = sample().files;
  const double mean = std::accumulate(f.begin(), f.end(), 0.0) / f.size();
  const auto median = f[f.size() / 2];
  const auto p99 = f[f.size() * 99 / 100];
  RecordProperty("mean", std::to_string(mean));
  std::printf("files: median %lld mean %.1f p99 %lld max %lld\n", static_cast<long long>(median),
              mean, static_cast<long long>(p99), static_cast<long long>(f.back()));
  EXPECT_GE(median, 2);
  EXPECT_LE(median, 4);
  EXPECT_GE(mean, 22.0);
  EXPECT_LE(mean, 40.0);
  EXPECT_GE(p99, 350);
  EXPECT_LE(p99, 700);
  EXPECT_GE(f.front(), 1);
  EXPECT_LE(f.back(), kCorpusMaxFiles);
}

TEST(CorpusGenerator, NamesAre20To120CharactersWithMeanAround55) {
  const auto& n = sample().name_lengths;
  const double mean = std::accumulate(n.begin(), n.end(), 0.0) / n.size();
  std::printf("names: mean %.1f\n", mean);
  EXPECT_GE(*std::min_element(n.begin(), n.end()), kCorpusMinNameLength);
  EXPECT_LE(*std::max_element(n.begin(), n.end()), kCorpusMaxNameLength);
  EXPECT_GE(mean, 50.0);
  EXPECT_LE(mean, 60.0);
  EXPECT_TRUE(sample().names_valid);
}

TEST(CorpusGenerator, ContentTypeMixIsThatOfAPublicIndex) {
  std::printf("video %.3f audio %.3f software+games %.3f\n",
              share({CorpusType::kMovie, CorpusType::kEpisode}),
              share({CorpusType::kMusic, CorpusType::kAudiobook}),
              share({CorpusType::kSoftware, CorpusType::kGame}));
  EXPECT_NEAR(share({CorpusType::kMovie, CorpusType::kEpisode}), 0.40, 0.02);
  EXPECT_NEAR(share({CorpusType::kMusic, CorpusType::kAudiobook}), 0.20, 0.02);
  EXPECT_NEAR(share({CorpusType::kSoftware, CorpusType::kGame}), 0.10, 0.015);
  // The rest is spread: no other type above 10%.
  for (auto t : {CorpusType::kEbook, CorpusType::kComic, CorpusType::kImage, CorpusType::kArchive,
                 CorpusType::kXxx, CorpusType::kUnknown}) {
    EXPECT_GT(share({t}), 0.01);
    EXPECT_LT(share({t}), 0.10);
  }
}

TEST(CorpusGenerator, PathsAreOneToFourLevelsWithComponentsOfAbout25Characters) {
  const auto& s = sample();
  const double mean = static_cast<double>(s.component_bytes) / s.components;
  std::printf("paths: depth %zu..%zu, component mean %.1f\n", s.min_depth, s.max_depth, mean);
  EXPECT_EQ(s.min_depth, 1u);
  EXPECT_EQ(s.max_depth, 4u);
  EXPECT_GE(mean, 21.0);
  EXPECT_LE(mean, 29.0);
}

}  // namespace
}  // namespace magnetar::bench
