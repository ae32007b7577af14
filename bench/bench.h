// File: bench/bench.h
//
// What the benchmark suites of endgame_bench share: the options main() parses
// (--endgame_* flags), one registration function per suite, and Latency(),
// which gives a benchmark the shape every latency figure uses: one operation
// per repetition (Iterations(1)), `reps` repetitions, manual time, and p50 /
// p99 computed over the repetitions next to Google Benchmark's mean, median,
// stddev and cv.
//
// Benchmark names are "<suite>/<dimension>/..." (e.g. "teardown/capi/cache/idle");
// scripts/plots/report.py groups figures by those segments, so a new benchmark
// only needs a name in that shape to appear in the report.
//
// Example (a suite file):
//   void RegisterFooBenchmarks(const BenchOptions& o) {
//     Latency(benchmark::RegisterBenchmark("foo/bar", [](benchmark::State& s) {
//       for (auto _ : s) s.SetIterationTime(TimeOnce(...));
//     }), o.reps);
//   }
#ifndef ENDGAME_BENCH_BENCH_H_
#define ENDGAME_BENCH_BENCH_H_

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "absl/status/status.h"
#include "endgame/py/thread_state.h"

namespace endgame::bench {

struct BenchOptions {
  // Samples per latency figure: repetitions of one operation each.
  int reps = 100;
  // Create/destroy cycles per memory-growth slope, and slopes per config.
  int slope_cycles = 200;
  int slope_reps = 3;
  // Interpreters kept alive at once by memory/live.
  int live_interps = 10;
  // The embedded CPython's own interpreter binary, for overhead/python
  // ("" when there is none: that benchmark reports an error).
  std::string python_exe;
  // Untimed scenarios run before the first benchmark (per strategy and driver).
  int warmup = 3;
  // CPU the whole process is pinned to; -1: not pinned.
  int cpu = -1;
};

void RegisterLifecycleBenchmarks(const BenchOptions& options);
void RegisterExecBenchmarks(const BenchOptions& options);
void RegisterTeardownBenchmarks(const BenchOptions& options);
void RegisterMemoryBenchmarks(const BenchOptions& options);
void RegisterOverheadBenchmarks(const BenchOptions& options);

// Shapes `b` as a latency figure (see the file comment) and returns it.
benchmark::internal::Benchmark* Latency(benchmark::internal::Benchmark* b, int reps);

// The benchmark thread's state in the main interpreter (benchmarks run on the
// thread that initialized the runtime, so this adopts its thread state).
py::MainThreadState& BenchThread();

// Runs `spawn a; exec a noop; destroy a` `cycles` times under each strategy and
// driver, untimed: first imports, code caches and page faults happen here
// rather than in the first benchmark's samples.
absl::Status WarmUp(int cycles);

// Pins this process (threads created afterwards inherit it) to one CPU.
absl::Status PinToCpu(int cpu);

// Reports `status` through SkipWithError when it is an error; returns ok().
bool Ok(benchmark::State& state, const absl::Status& status);

using Clock = std::chrono::steady_clock;
inline double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace endgame::bench

#endif  // ENDGAME_BENCH_BENCH_H_
