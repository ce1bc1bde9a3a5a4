#include "common/progress.hpp"

#include <gtest/gtest.h>

namespace magnetar {
namespace {

TEST(Progress, RendersShareCountsRateAndEta) {
  EXPECT_EQ(Progress::render("reclassify", 450'000, 1'000'000, 12'345.6, false),
            "reclassify  45% 450,000/1,000,000 12,345/s ETA 0:44");
  EXPECT_EQ(Progress::render("x", 5, 10, 1, true),
            "x [===============               ]  50% 5/10 1/s ETA 0:05");
  EXPECT_EQ(Progress::render("x", 10, 10, 3, false), "x 100% 10/10 3/s");
  EXPECT_EQ(Progress::render("x", 7, 0, 0, false), "x 7 0/s");
  EXPECT_EQ(Progress::render("x", 0, 100'000'000, 10, false),
            "x   0% 0/100,000,000 10/s ETA 2777:46:40");
}

TEST(Progress, WritesAFinalLine) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    Progress p("work", 4, f);
    p.update(4);
    p.finish();
  }
  std::rewind(f);
  char buf[256] = {};
  ASSERT_NE(std::fgets(buf, sizeof buf, f), nullptr);
  EXPECT_EQ(std::string(buf).rfind("work 100% 4/4", 0), 0u) << buf;
  std::fclose(f);
}

}  // namespace
}  // namespace magnetar
