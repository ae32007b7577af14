// File: bench/bench_main.cc
//
// endgame_bench: every benchmark suite in one binary. Python is initialized
// once, without signal handlers and without `site` (which would otherwise run
// again in every new interpreter), and the CPython build goes into the JSON
// context. Flags of our own (parsed here, removed before Google Benchmark
// sees argv):
//   --endgame_reps=N          samples per latency figure (default 100)
//   --endgame_slope_cycles=N  create/destroy cycles per memory slope (default 200)
//   --endgame_slope_reps=N    slopes per memory-growth config (default 3)
//   --endgame_live=N          interpreters alive at once in memory/live (default 10)
//   --endgame_python=PATH     the interpreter binary overhead/python runs (default:
//                             the embedded CPython's own, which is what it should be)
//   --endgame_warmup=N        untimed spawn/exec/destroy scenarios per strategy and
//                             driver before the first benchmark (default 3)
//   --endgame_cpu=N           pin the process (every thread) to CPU N (default: not pinned)
// Everything else is Google Benchmark's (--benchmark_filter, --benchmark_out...).
//
//   endgame_bench --benchmark_filter='^exec/' --endgame_reps=20
//   PYTHONMALLOC=malloc endgame_bench --benchmark_filter='^memory/growth/'
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bench/bench.h"
#include "endgame/py/capabilities.h"
#include "endgame/run/embedded.h"

namespace {

using endgame::bench::BenchOptions;

// Parses "--name=N" into *out (N >= min); returns false when `arg` is not it.
bool IntFlag(const char* arg, const char* name, int min, int* out, bool* bad) {
  std::string prefix = absl::StrCat("--", name, "=");
  if (std::strncmp(arg, prefix.c_str(), prefix.size()) != 0) return false;
  if (!absl::SimpleAtoi(arg + prefix.size(), out) || *out < min) {
    std::fprintf(stderr, "endgame_bench: %s takes a number >= %d, not '%s'\n", name, min, arg + prefix.size());
    *bad = true;
  }
  return true;
}

void AddContext(const endgame::py::Capabilities& caps, const BenchOptions& o) {
  benchmark::AddCustomContext("python_version", caps.version);
  benchmark::AddCustomContext("python_build", caps.build);
  benchmark::AddCustomContext("python_variant", caps.variant.empty() ? "(not built by endgame)" : caps.variant);
  benchmark::AddCustomContext("python_configure_args", caps.configure_args);
  benchmark::AddCustomContext("python_compiler", caps.compiler);
  benchmark::AddCustomContext("python_prefix", caps.prefix);
  benchmark::AddCustomContext("python_pymalloc", caps.pymalloc ? "yes" : "no");
  const char* pm = std::getenv("PYTHONMALLOC");
  benchmark::AddCustomContext("pythonmalloc", pm ? pm : "(default)");
  benchmark::AddCustomContext("endgame_reps", std::to_string(o.reps));
  benchmark::AddCustomContext("endgame_slope_cycles", std::to_string(o.slope_cycles));
  benchmark::AddCustomContext("endgame_slope_reps", std::to_string(o.slope_reps));
  benchmark::AddCustomContext("endgame_live", std::to_string(o.live_interps));
  benchmark::AddCustomContext("endgame_python_loop", o.python_exe);
  benchmark::AddCustomContext("endgame_warmup", std::to_string(o.warmup));
  benchmark::AddCustomContext("endgame_cpu", o.cpu >= 0 ? std::to_string(o.cpu) : "(not pinned)");
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions o;
  std::vector<char*> rest = {argv[0]};
  bool bad = false;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (IntFlag(a, "endgame_reps", 1, &o.reps, &bad) ||
        IntFlag(a, "endgame_slope_cycles", 10, &o.slope_cycles, &bad) ||
        IntFlag(a, "endgame_slope_reps", 1, &o.slope_reps, &bad) ||
        IntFlag(a, "endgame_live", 1, &o.live_interps, &bad) ||
        IntFlag(a, "endgame_warmup", 0, &o.warmup, &bad) || IntFlag(a, "endgame_cpu", 0, &o.cpu, &bad)) {
      continue;
    }
    if (std::strncmp(a, "--endgame_python=", 17) == 0) {
      o.python_exe = a + 17;
      continue;
    }
    rest.push_back(argv[i]);
  }
  if (bad) return 2;
  // A dead overhead/python child must be an error, not the end of the run.
  std::signal(SIGPIPE, SIG_IGN);

  if (o.cpu >= 0) {
    absl::Status pinned = endgame::bench::PinToCpu(o.cpu);
    if (!pinned.ok()) {
      std::fprintf(stderr, "endgame_bench: %s\n", pinned.ToString().c_str());
      return 2;
    }
  }

  absl::StatusOr<endgame::py::Capabilities> caps = endgame::run::PrepareEmbedded({});
  if (!caps.ok()) {
    std::fprintf(stderr, "endgame_bench: %s\n", std::string(caps.status().message()).c_str());
    return 1;
  }
  if (o.python_exe.empty()) o.python_exe = caps->executable;
  AddContext(*caps, o);

  endgame::bench::RegisterLifecycleBenchmarks(o);
  endgame::bench::RegisterExecBenchmarks(o);
  endgame::bench::RegisterTeardownBenchmarks(o);
  endgame::bench::RegisterMemoryBenchmarks(o);
  endgame::bench::RegisterOverheadBenchmarks(o);

  absl::Status warm = endgame::bench::WarmUp(o.warmup);
  if (!warm.ok()) std::fprintf(stderr, "endgame_bench: warm-up failed: %s\n", warm.ToString().c_str());

  int n = static_cast<int>(rest.size());
  rest.push_back(nullptr);
  benchmark::Initialize(&n, rest.data());
  if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // Interpreters abandoned by a failed benchmark may still hold threads:
  // leave without finalizing Python (output streams are flushed by now).
  std::fflush(nullptr);
  std::_Exit(0);
}
