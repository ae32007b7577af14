// File: bench/overhead_bench.cc
//
// Harness overhead: one `spawn a; exec a noop; destroy a` cycle (isolated
// interpreter, capi driver) three ways, side by side in one run:
//   overhead/conductor         RunScenario on that scenario, oracles off, the
//                              scenario's default strategy (cache workers=1)
//   overhead/conductor_inline  the same with `exec a noop on=conductor`: the
//                              conductor's own cost without the worker hand-off
//   overhead/bare              the same C API calls in a plain C++ loop
//                              (py::CreateInterpreter, RunInInterpreter,
//                              EndInterpreter on the benchmark thread)
//   overhead/python            the same cycle on the interpreters module in a
//                              pure-Python loop (python_loop.h), with the same
//                              CPython, timed inside that process
// The report divides conductor by bare and by python. With
// --benchmark_enable_random_interleaving the repetitions of all four are
// shuffled, so machine noise hits them alike.
#include <memory>

#include "absl/strings/str_cat.h"
#include "bench/bench.h"
#include "bench/python_loop.h"
#include "endgame/py/interp.h"
#include "endgame/run/conductor.h"
#include "endgame/scenario/text.h"

namespace endgame::bench {
namespace {

void Conductor(benchmark::State& state, const char* text) {
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text, "overhead.scn");
  if (!Ok(state, s.status())) return;
  run::RunOptions o;
  o.oracles = false;
  for (auto _ : state) {
    Clock::time_point t0 = Clock::now();
    run::RunResult r = run::RunScenario(*s, o);
    Clock::time_point t1 = Clock::now();
    if (r.verdict.kind != run::VerdictKind::kOk) {
      state.SkipWithError(absl::StrCat("verdict ", r.verdict.ToString()).c_str());
      break;
    }
    state.SetIterationTime(Seconds(t1 - t0));
  }
}

void Bare(benchmark::State& state) {
  for (auto _ : state) {
    Clock::time_point t0 = Clock::now();
    absl::Status status;
    {
      py::Attached attached(BenchThread());
      absl::StatusOr<py::Interp> interp = py::CreateInterpreter(py::InterpFlags::Isolated());
      status = interp.status();
      if (interp.ok()) {
        status = py::RunInInterpreter(*interp, "pass\n");
        absl::Status ended = py::EndInterpreter(*interp);
        if (status.ok()) status = ended;
      }
    }
    Clock::time_point t1 = Clock::now();
    if (!Ok(state, status)) break;
    state.SetIterationTime(Seconds(t1 - t0));
  }
}

void Python(benchmark::State& state, std::string python) {
  // One child for the whole run, started on first use.
  static absl::StatusOr<std::unique_ptr<PythonLoop>>* loop =
      new absl::StatusOr<std::unique_ptr<PythonLoop>>(PythonLoop::Start(python));
  if (!Ok(state, loop->status())) return;
  for (auto _ : state) {
    absl::StatusOr<int64_t> ns = (**loop)->Cycle();
    if (!Ok(state, ns.status())) break;
    state.SetIterationTime(static_cast<double>(*ns) * 1e-9);
  }
}

}  // namespace

void RegisterOverheadBenchmarks(const BenchOptions& o) {
  Latency(benchmark::RegisterBenchmark("overhead/conductor", Conductor, "spawn a\nexec a noop\ndestroy a\n"), o.reps);
  Latency(benchmark::RegisterBenchmark("overhead/conductor_inline", Conductor,
                                       "spawn a\nexec a noop on=conductor\ndestroy a\n"),
          o.reps);
  Latency(benchmark::RegisterBenchmark("overhead/bare", Bare), o.reps);
  Latency(benchmark::RegisterBenchmark("overhead/python", Python, o.python_exe), o.reps);
}

}  // namespace endgame::bench
