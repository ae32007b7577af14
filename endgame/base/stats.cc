#include "endgame/base/stats.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace endgame {

double Percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, values.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return values[lo] + (values[hi] - values[lo]) * frac;
}

double Slope(const std::vector<double>& ys) {
  if (ys.size() < 2) return 0;
  double n = static_cast<double>(ys.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t i = 0; i < ys.size(); ++i) {
    double x = static_cast<double>(i);
    sx += x;
    sy += ys[i];
    sxx += x * x;
    sxy += x * ys[i];
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

std::vector<double> WithoutWarmup(const std::vector<double>& ys) {
  return std::vector<double>(ys.begin() + static_cast<std::ptrdiff_t>(ys.size() / 10), ys.end());
}

}  // namespace endgame
