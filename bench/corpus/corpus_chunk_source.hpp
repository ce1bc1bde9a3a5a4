// Chunks of corpus records generated on a thread of their own, a bounded
// number of chunks ahead of the consumer, so that the thread feeding a writer
// (bench/ingest, bench/search) only encodes and queues: generating a record
// costs about as much as writing it, and would otherwise be timed as writing.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "indexer/store/torrent_record.hpp"

namespace magnetar::bench {

// Records per chunk: an Ingest stream message carries a few hundred, and
// PgTorrentStore::submit() takes one message's worth at a time.
inline constexpr std::size_t kCorpusChunkRecords = 500;
// Chunks generated ahead of the consumer: enough to keep a writer busy while
// bounding memory (16 x 500 records of ~30 files each).
inline constexpr std::size_t kCorpusChunksAhead = 16;

class CorpusChunkSource {
 public:
  // Records [first, first + count) of the corpus of `seed`, in order, in
  // chunks of kCorpusChunkRecords (the last one shorter).
  CorpusChunkSource(std::uint64_t seed, std::uint64_t first, std::uint64_t count);
  // Stops the generator where it is and joins it.
  ~CorpusChunkSource();
  CorpusChunkSource(const CorpusChunkSource&) = delete;
  CorpusChunkSource& operator=(const CorpusChunkSource&) = delete;

  // The next chunk, waiting for it; empty at the end.
  std::vector<indexer::store::TorrentRecord> next();

  // CPU time of the generator thread, once next() returned empty (0 before).
  double cpu_seconds();

 private:
  void produce(std::uint64_t seed, std::uint64_t first, std::uint64_t count);

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<indexer::store::TorrentRecord>> chunks_;
  bool done_ = false;
  bool stop_ = false;
  double cpu_seconds_ = 0;
  // Last: started once every other member is constructed.
  std::thread thread_;
};

}  // namespace magnetar::bench
