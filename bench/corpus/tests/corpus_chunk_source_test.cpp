#include "bench/corpus/corpus_chunk_source.hpp"

#include <gtest/gtest.h>

#include "bench/corpus/corpus_generator.hpp"

namespace magnetar::bench {
namespace {

constexpr std::uint64_t kSeed = 7;

TEST(CorpusChunkSource, DeliversTheRangeInOrderInFullChunksThenTheRest) {
  const std::uint64_t first = 1'000, count = 2 * kCorpusChunkRecords + 3;
  CorpusChunkSource source(kSeed, first, count);
  const CorpusGenerator gen(kSeed);
  std::vector<std::size_t> sizes;
  std::uint64_t index = first;
  for (auto chunk = source.next(); !chunk.empty(); chunk = source.next()) {
    sizes.push_back(chunk.size());
    for (const auto& r : chunk) {
      const auto expected = gen.record(index++);
      ASSERT_EQ(r.hashes, expected.hashes) << "record " << index - 1;
      ASSERT_EQ(r.name, expected.name);
      ASSERT_EQ(r.file_count, expected.file_count);
    }
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{kCorpusChunkRecords, kCorpusChunkRecords, 3}));
  EXPECT_EQ(index, first + count);
  EXPECT_TRUE(source.next().empty()) << "the end stays the end";
}

TEST(CorpusChunkSource, ReportsTheGeneratorCpuTimeOnlyOnceItIsDone) {
  CorpusChunkSource source(kSeed, 0, kCorpusChunkRecords);
  EXPECT_FALSE(source.next().empty());
  EXPECT_TRUE(source.next().empty());
  EXPECT_GT(source.cpu_seconds(), 0.0);
}

TEST(CorpusChunkSource, AnEmptyRangeEndsAtOnce) {
  CorpusChunkSource source(kSeed, 5, 0);
  EXPECT_TRUE(source.next().empty());
}

TEST(CorpusChunkSource, StopsAGeneratorThatIsAheadWhenDestroyedEarly) {
  // Far more chunks than kCorpusChunksAhead: the generator blocks on the
  // bound, and the destructor must wake and join it (a hang fails by timeout).
  CorpusChunkSource source(kSeed, 0, 1'000 * kCorpusChunkRecords);
  EXPECT_EQ(source.next().size(), kCorpusChunkRecords);
}

}  // namespace
}  // namespace magnetar::bench
