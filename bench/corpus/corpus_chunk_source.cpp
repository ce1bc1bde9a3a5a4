#include "bench/corpus/corpus_chunk_source.hpp"

#include <time.h>

#include "bench/corpus/corpus_generator.hpp"

namespace magnetar::bench {

using indexer::store::TorrentRecord;

CorpusChunkSource::CorpusChunkSource(std::uint64_t seed, std::uint64_t first, std::uint64_t count)
    : thread_([this, seed, first, count] { produce(seed, first, count); }) {}

CorpusChunkSource::~CorpusChunkSource() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::vector<TorrentRecord> CorpusChunkSource::next() {
  std::unique_lock lk(mu_);
  cv_.wait(lk, [&] { return !chunks_.empty() || done_; });
  if (chunks_.empty()) return {};
  auto c = std::move(chunks_.front());
  chunks_.pop_front();
  cv_.notify_all();
  return c;
}

double CorpusChunkSource::cpu_seconds() {
  std::lock_guard lk(mu_);
  return cpu_seconds_;
}

void CorpusChunkSource::produce(std::uint64_t seed, std::uint64_t first, std::uint64_t count) {
  const CorpusGenerator gen(seed);
  for (std::uint64_t i = first; i < first + count;) {
    std::vector<TorrentRecord> chunk;
    chunk.reserve(kCorpusChunkRecords);
    for (std::size_t k = 0; k < kCorpusChunkRecords && i < first + count; ++k, ++i)
      chunk.push_back(gen.record(i));
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return chunks_.size() < kCorpusChunksAhead || stop_; });
    if (stop_) return;
    chunks_.push_back(std::move(chunk));
    cv_.notify_all();
  }
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  std::lock_guard lk(mu_);
  cpu_seconds_ = static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
  done_ = true;
  cv_.notify_all();
}

}  // namespace magnetar::bench
