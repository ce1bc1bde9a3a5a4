#include "crawler/pipeline/blocking_worker.hpp"

#include <gtest/gtest.h>

#include <future>
#include <vector>

namespace magnetar::crawler::pipeline {
namespace {

TEST(BlockingWorker, RunsJobsInOrderOnItsThread) {
  BlockingWorker worker(100);
  worker.start();
  std::vector<int> order;
  std::thread::id ran_on;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(worker.post([&, i] {
      order.push_back(i);
      ran_on = std::this_thread::get_id();
    }));
  }
  std::promise<void> done;
  worker.post([&] { done.set_value(); });
  ASSERT_EQ(done.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(BlockingWorker, RefusesDroppableJobsBeyondTheBoundButNeverMustRunJobs) {
  BlockingWorker worker(10);  // not started: everything stays queued
  EXPECT_TRUE(worker.try_post([] {}, 6));
  EXPECT_FALSE(worker.try_post([] {}, 5));
  EXPECT_TRUE(worker.try_post([] {}, 4));
  EXPECT_EQ(worker.queued_weight(), 10u);
  EXPECT_TRUE(worker.post([] {}));
}

TEST(BlockingWorker, StopRunsMustRunJobsAndDropsDroppableOnes) {
  BlockingWorker worker(10);
  int must = 0;
  int droppable = 0;
  worker.try_post([&] { ++droppable; }, 1);
  worker.post([&] { ++must; });
  worker.try_post([&] { ++droppable; }, 1);
  worker.post([&] { ++must; });
  worker.stop();
  EXPECT_EQ(must, 2);
  EXPECT_EQ(droppable, 0);
  EXPECT_FALSE(worker.post([] {}));
}

}  // namespace
}  // namespace magnetar::crawler::pipeline
