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
// Each sample also carries cpu_us: CPU time of the whole process (every
// thread, user + system; for overhead/python, the Python process's own), which
// waiting for a CPU on a loaded machine does not inflate. The report divides
// conductor by bare and by python, in wall time and in CPU time. With
// --benchmark_enable_random_interleaving the repetitions of all four are
// shuffled, so machine noise hits them alike.
#include <sys/resource.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "bench/bench.h"
#include "bench/python_loop.h"
#include "endgame/py/interp.h"
#include "endgame/run/conductor.h"
#include "endgame/scenario/text.h"

namespace endgame::bench {
namespace {

// CPU time of this process so far (all threads, joined ones included), in us.
double ProcessCpuUs() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  auto us = [](const timeval& t) { return t.tv_sec * 1e6 + t.tv_usec; };
  return us(u.ru_utime) + us(u.ru_stime);
}

void Conductor(benchmark::State& state, const char* text) {
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text, "overhead.scn");
  if (!Ok(state, s.status())) return;
  run::RunOptions o;
  o.oracles = false;
  for (auto _ : state) {
    double cpu0 = ProcessCpuUs();
    Clock::time_point t0 = Clock::now();
    run::RunResult r = run::RunScenario(*s, o);
    Clock::time_point t1 = Clock::now();
    state.counters["cpu_us"] = ProcessCpuUs() - cpu0;
    if (r.verdict.kind != run::VerdictKind::kOk) {
      state.SkipWithError(absl::StrCat("verdict ", r.verdict.ToString()).c_str());
      break;
    }
    state.SetIterationTime(Seconds(t1 - t0));
  }
}

void Bare(benchmark::State& state) {
  for (auto _ : state) {
    double cpu0 = ProcessCpuUs();
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
    state.counters["cpu_us"] = ProcessCpuUs() - cpu0;
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
    absl::StatusOr<PythonLoop::CycleTimes> t = (**loop)->Cycle();
    if (!Ok(state, t.status())) break;
    state.counters["cpu_us"] = static_cast<double>(t->cpu_ns) * 1e-3;
    state.SetIterationTime(static_cast<double>(t->wall_ns) * 1e-9);
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
