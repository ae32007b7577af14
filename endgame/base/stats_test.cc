// The statistics of endgame/base/stats.h.
#include "endgame/base/stats.h"

#include <vector>

#include "gtest/gtest.h"

namespace endgame {
namespace {

TEST(PercentileTest, InterpolatesBetweenOrderStatistics) {
  std::vector<double> v = {5, 1, 3, 2, 4};  // unsorted on purpose
  EXPECT_DOUBLE_EQ(Percentile(v, 0.0), 1);
  EXPECT_DOUBLE_EQ(Percentile(v, 0.5), 3);
  EXPECT_DOUBLE_EQ(Percentile(v, 1.0), 5);
  EXPECT_DOUBLE_EQ(Percentile(v, 0.99), 4.96);
  EXPECT_DOUBLE_EQ(Percentile({1, 2}, 0.5), 1.5);
}

TEST(PercentileTest, EdgeCases) {
  EXPECT_DOUBLE_EQ(Percentile({}, 0.5), 0);
  EXPECT_DOUBLE_EQ(Percentile({7}, 0.99), 7);
  EXPECT_DOUBLE_EQ(Percentile({1, 2, 3}, 2.0), 3);   // q clamped
  EXPECT_DOUBLE_EQ(Percentile({1, 2, 3}, -1.0), 1);
}

TEST(SlopeTest, LinearSeries) {
  EXPECT_DOUBLE_EQ(Slope({10, 12, 14, 16}), 2);
  EXPECT_DOUBLE_EQ(Slope({5, 5, 5}), 0);
  EXPECT_DOUBLE_EQ(Slope({3, 2, 1}), -1);
}

TEST(SlopeTest, NoisySeriesAndShortInput) {
  // y = 1000 i plus alternating noise of +-100: the least-squares slope stays near 1000.
  std::vector<double> ys;
  for (int i = 0; i < 200; ++i) ys.push_back(1000.0 * i + (i % 2 ? 100 : -100));
  EXPECT_NEAR(Slope(ys), 1000, 1);
  EXPECT_DOUBLE_EQ(Slope({}), 0);
  EXPECT_DOUBLE_EQ(Slope({42}), 0);
}

TEST(WithoutWarmupTest, DropsTheFirstTenth) {
  std::vector<double> ys;
  for (int i = 0; i < 25; ++i) ys.push_back(i);
  std::vector<double> steady = WithoutWarmup(ys);  // 25 / 10 = 2 left out
  ASSERT_EQ(steady.size(), 23u);
  EXPECT_DOUBLE_EQ(steady.front(), 2);
  EXPECT_DOUBLE_EQ(steady.back(), 24);
  EXPECT_EQ(WithoutWarmup({1, 2, 3}).size(), 3u);
  EXPECT_TRUE(WithoutWarmup({}).empty());
}

}  // namespace
}  // namespace endgame
