// File: bench/bench.cc
#include "bench/bench.h"

#include "bench/stats.h"

namespace endgame::bench {

benchmark::internal::Benchmark* Latency(benchmark::internal::Benchmark* b, int reps) {
  return b->Iterations(1)
      ->Repetitions(reps)
      ->UseManualTime()
      ->Unit(benchmark::kMicrosecond)
      ->ComputeStatistics("p50", [](const std::vector<double>& v) { return Percentile(v, 0.50); })
      ->ComputeStatistics("p99", [](const std::vector<double>& v) { return Percentile(v, 0.99); })
      ->ComputeStatistics("min", [](const std::vector<double>& v) { return Percentile(v, 0.0); })
      ->ComputeStatistics("max", [](const std::vector<double>& v) { return Percentile(v, 1.0); });
}

py::MainThreadState& BenchThread() {
  static py::MainThreadState* main = new py::MainThreadState();
  return *main;
}

bool Ok(benchmark::State& state, const absl::Status& status) {
  if (status.ok()) return true;
  state.SkipWithError(status.ToString().c_str());
  return false;
}

}  // namespace endgame::bench
