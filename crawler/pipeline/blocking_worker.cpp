#include "crawler/pipeline/blocking_worker.hpp"

#include <utility>

namespace magnetar::crawler::pipeline {

BlockingWorker::BlockingWorker(std::size_t max_droppable_weight)
    : max_droppable_weight_(max_droppable_weight) {}

BlockingWorker::~BlockingWorker() { stop(); }

void BlockingWorker::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopped_) return;
  thread_ = std::thread([this] { run(); });
}

bool BlockingWorker::post(Job job) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return false;
    queue_.push_back({std::move(job), 0, false});
  }
  wake_.notify_one();
  return true;
}

bool BlockingWorker::try_post(Job job, std::size_t weight) {
  {
    std::lock_guard lock(mu_);
    if (stopped_ || stopping_.load()) return false;
    if (droppable_weight_ + weight > max_droppable_weight_) return false;
    droppable_weight_ += weight;
    queue_.push_back({std::move(job), weight, true});
  }
  wake_.notify_one();
  return true;
}

void BlockingWorker::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  } else {
    run();  // never started: run what must run here
  }
  std::lock_guard lock(mu_);
  stopped_ = true;
}

std::size_t BlockingWorker::queued_weight() const {
  std::lock_guard lock(mu_);
  return droppable_weight_;
}

void BlockingWorker::run() {
  for (;;) {
    Entry entry;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return !queue_.empty() || stopping_.load(); });
      if (queue_.empty()) return;  // stopping, nothing left
      entry = std::move(queue_.front());
      queue_.pop_front();
      if (entry.droppable) droppable_weight_ -= entry.weight;
    }
    if (entry.droppable && stopping_.load()) continue;
    entry.job();
  }
}

}  // namespace magnetar::crawler::pipeline
