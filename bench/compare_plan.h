// File: bench/compare_plan.h
//
// The benchmark half of `endgame compare` (DESIGN.md §7), without its flags or
// printing: which benchmarks run together and how often.
//   - groups: endgame_bench runs one process per group of benchmarks that are
//     compared with each other (names differing only in the strategy, loop or
//     operation segment), repetitions randomly interleaved inside a group;
//     memory/growth again under PYTHONMALLOC=malloc;
//   - stability: the teardown/*/idle groups `stability_runs` more times, for
//     the coefficient of variation of their p50 across runs: first run after
//     run (what rerunning later gives, the machine's load drifting between
//     runs included), then the same number of runs again with each run cut
//     into `stability_slices` processes, slices of all runs interleaved (the
//     repeatability of the measurement itself under the same conditions).
// Fresh processes per group also bound memory: every isolated interpreter
// created and destroyed leaks its obmalloc arenas on CPython 3.13 (see the
// report's leak-slope section), ~1.3 MB each.
//
// Example:
//   BenchPlanOptions o;
//   o.bench = "build/ci/bench/endgame_bench";
//   o.on_note = [](const std::string& m) { std::fprintf(stderr, "%s\n", m.c_str()); };
//   int failures = RunBenchmarks(o, "out/report/raw");
#ifndef ENDGAME_BENCH_COMPARE_PLAN_H_
#define ENDGAME_BENCH_COMPARE_PLAN_H_

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace endgame::bench {

struct BenchPlanOptions {
  std::string bench;         // the endgame_bench binary
  int reps = 100;            // samples per latency figure
  int cycles = 200;          // cycles per memory-growth slope
  int stability_runs = 5;    // extra runs of teardown/*/idle
  int stability_slices = 4;  // processes per interleaved stability run
  // Set by a signal handler: no further group starts (skipped, not failed).
  const std::atomic<bool>* stop = nullptr;
  // What is being done and what failed, one line each.
  std::function<void(const std::string&)> on_note;
};

// IsPeerSegment() says whether a name segment names one of the things a group
// compares: benchmarks whose names differ only there run in one process.
bool IsPeerSegment(absl::string_view segment);

// ListBenchmarks() is the benchmark families of `bench` (names without Google
// Benchmark's /iterations:... suffixes).
absl::StatusOr<std::vector<std::string>> ListBenchmarks(const std::string& bench);

// Groups() keys benchmark names by the name with peer segments as '*'.
std::map<std::string, std::vector<std::string>> Groups(const std::vector<std::string>& names);

// Slug() is a group key as a file name ('/' -> '.', '*' -> 'X').
std::string Slug(const std::string& key);

// RunBenchmarks() runs every group into raw/bench/ (and raw/bench-malloc/),
// then the stability runs into raw/stability/ and raw/stability-interleaved/;
// returns how many groups failed.
int RunBenchmarks(const BenchPlanOptions& options, const std::filesystem::path& raw);

// CollectScenarios() copies the .scn files of `corpus` and `builtin` into
// raw/scenarios/{corpus,builtin}/ and returns that folder.
std::string CollectScenarios(const BenchPlanOptions& options, const std::filesystem::path& corpus,
                             const std::filesystem::path& builtin, const std::filesystem::path& raw);

}  // namespace endgame::bench

#endif  // ENDGAME_BENCH_COMPARE_PLAN_H_
