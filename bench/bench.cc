// File: bench/bench.cc
#include "bench/bench.h"

#include <sched.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "endgame/base/stats.h"
#include "endgame/run/conductor.h"
#include "endgame/scenario/text.h"

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

absl::Status WarmUp(int cycles) {
  for (const char* driver : {"capi", "interpreters"}) {
    for (const char* strategy : {"cache", "dedicated"}) {
      std::string text = absl::StrCat("driver ", driver, "\nstrategy ", strategy, "\nspawn a\nexec a noop\n",
                                      "destroy a\nspawn b legacy\nexec b noop\ndestroy b\n");
      absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text, "warmup.scn");
      if (!s.ok()) return s.status();
      run::RunOptions o;
      o.oracles = false;
      for (int i = 0; i < cycles; ++i) {
        run::RunResult r = run::RunScenario(*s, o);
        if (r.verdict.kind != run::VerdictKind::kOk) {
          return absl::InternalError(absl::StrCat(driver, "/", strategy, ": ", r.verdict.ToString()));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status PinToCpu(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("cannot pin to CPU ", cpu, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

bool Ok(benchmark::State& state, const absl::Status& status) {
  if (status.ok()) return true;
  state.SkipWithError(status.ToString().c_str());
  return false;
}

}  // namespace endgame::bench
