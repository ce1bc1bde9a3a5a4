#include "bench/search/corpus_loader.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "bench/corpus/corpus_generator.hpp"
#include "indexer/store/pg_torrent_store.hpp"

namespace magnetar::bench {
namespace {

using indexer::store::TorrentRecord;
using Clock = std::chrono::steady_clock;

// Records per submit() call, as an Ingest stream message carries them.
constexpr std::size_t kChunkRecords = 500;
// Chunks generated ahead of the writer: enough to keep it busy, bounded.
constexpr std::size_t kChunksAhead = 16;
// Seconds between progress lines.
constexpr double kProgressSeconds = 15;

// Generates chunks of records on its own thread, at most kChunksAhead ahead.
class ChunkQueue {
 public:
  ChunkQueue(std::uint64_t seed, std::uint64_t size)
      : thread_([this, seed, size] { produce(seed, size); }) {}
  ~ChunkQueue() {
    {
      std::lock_guard lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  ChunkQueue(const ChunkQueue&) = delete;
  ChunkQueue& operator=(const ChunkQueue&) = delete;

  // The next chunk; empty at the end.
  std::vector<TorrentRecord> next() {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return !chunks_.empty() || done_; });
    if (chunks_.empty()) return {};
    auto c = std::move(chunks_.front());
    chunks_.pop_front();
    cv_.notify_all();
    return c;
  }

 private:
  void produce(std::uint64_t seed, std::uint64_t size) {
    const CorpusGenerator gen(seed);
    for (std::uint64_t i = 0; i < size;) {
      std::vector<TorrentRecord> chunk;
      chunk.reserve(kChunkRecords);
      for (std::size_t k = 0; k < kChunkRecords && i < size; ++k, ++i)
        chunk.push_back(gen.record(i));
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return chunks_.size() < kChunksAhead || stop_; });
      if (stop_) return;
      chunks_.push_back(std::move(chunk));
      cv_.notify_all();
    }
    std::lock_guard lk(mu_);
    done_ = true;
    cv_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<TorrentRecord>> chunks_;
  bool done_ = false;
  bool stop_ = false;
  std::thread thread_;
};

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

CorpusLoad load_corpus(const std::string& dsn, std::uint64_t seed, std::uint64_t size) {
  indexer::store::PgTorrentStoreOptions options;
  options.dsn = dsn;
  indexer::store::PgTorrentStore store(options);
  std::atomic<std::uint64_t> acked{0};
  ChunkQueue source(seed, size);
  const auto start = Clock::now();
  auto last_report = start;
  for (;;) {
    auto chunk = source.next();
    if (chunk.empty()) break;
    const auto n = chunk.size();
    store.submit(std::move(chunk), [&acked, n] { acked += n; });
    if (seconds_since(last_report) > kProgressSeconds) {
      last_report = Clock::now();
      std::fprintf(stderr, "  ... %llu of %llu acked after %.0f s\n",
                   static_cast<unsigned long long>(acked.load()),
                   static_cast<unsigned long long>(size), seconds_since(start));
    }
  }
  store.flush();
  return {seconds_since(start), acked.load()};
}

}  // namespace magnetar::bench
