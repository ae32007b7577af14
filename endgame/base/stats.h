// File: endgame/base/stats.h
//
// The statistics endgame reports, in one place so that every figure of the
// same data agrees: percentiles (the campaign's teardown and cancel latency,
// the benchmarks' repetitions) and the least-squares slope of a memory series
// (the conductor's leak oracle, the memory benchmarks).
//
// Example:
//   double p99 = Percentile({3, 1, 2}, 0.99);          // 2.98 (linear interpolation)
//   double bytes_per_cycle = Slope(WithoutWarmup(rss_after_each_cycle));
#ifndef ENDGAME_BASE_STATS_H_
#define ENDGAME_BASE_STATS_H_

#include <vector>

namespace endgame {

// The q-quantile (0 <= q <= 1) of `values`, interpolating linearly between
// order statistics (numpy's default); 0 for an empty vector.
double Percentile(std::vector<double> values, double q);

// The least-squares slope of ys[i] over i = 0..n-1 (units of y per step);
// 0 for fewer than two values.
double Slope(const std::vector<double>& ys);

// `ys` without its warm-up: the first tenth of the values (size / 10,
// rounded down), where caches fill (interned strings, type caches).
std::vector<double> WithoutWarmup(const std::vector<double>& ys);

}  // namespace endgame

#endif  // ENDGAME_BASE_STATS_H_
