// One thread for the crawl node's blocking work (RocksDB, gRPC), so that it
// never runs on the network thread (STYLE.md). Jobs run in order. Two kinds:
// must-run jobs (a fetched info dict to commit, an outcome to record), which
// the caller bounds itself and which stop() still runs; and droppable jobs
// (a batch of candidates to triage), admitted only while the queued weight
// stays under a bound, and dropped by stop().
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace magnetar::crawler::pipeline {

class BlockingWorker {
 public:
  using Job = std::function<void()>;

  // max_droppable_weight: the bound on the weight of queued droppable jobs.
  explicit BlockingWorker(std::size_t max_droppable_weight);
  ~BlockingWorker();  // stop()
  BlockingWorker(const BlockingWorker&) = delete;
  BlockingWorker& operator=(const BlockingWorker&) = delete;

  void start();
  // Queues a job that runs even during stop(). False once stopped.
  bool post(Job job);
  // Queues a job of this weight (e.g. its number of infohashes) if the
  // droppable jobs queued weigh less than the bound with it; false otherwise.
  bool try_post(Job job, std::size_t weight);
  // Runs what must run, drops the rest, joins. Idempotent.
  void stop();
  // True once stop() was called: long waits in jobs should give up.
  bool stopping() const { return stopping_.load(); }
  std::size_t queued_weight() const;

 private:
  struct Entry {
    Job job;
    std::size_t weight = 0;
    bool droppable = false;
  };
  void run();

  const std::size_t max_droppable_weight_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Entry> queue_;
  std::size_t droppable_weight_ = 0;
  std::atomic<bool> stopping_{false};
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace magnetar::crawler::pipeline
