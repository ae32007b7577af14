// File: bench/lifecycle_bench.cc
//
// Create and destroy latency of one interpreter, per driver and config:
//   lifecycle/create/<driver>/<config>    the create call alone
//   lifecycle/destroy/<driver>/<config>   the destroy call alone (right after
//                                         one `pass` exec, untimed)
// driver: capi (Py_NewInterpreterFromConfig / Py_EndInterpreter) or
// interpreters (_interpreters.create / destroy); config: isolated or legacy.
#include <memory>

#include "absl/strings/str_cat.h"
#include "bench/bench.h"
#include "endgame/driver/driver.h"

namespace endgame::bench {
namespace {

struct Config {
  const char* name;
  py::InterpFlags flags;
};

const Config kConfigs[] = {{"isolated", py::InterpFlags::Isolated()}, {"legacy", py::InterpFlags::Legacy()}};

const struct {
  const char* name;
  scenario::Driver kind;
} kDrivers[] = {{"capi", scenario::Driver::kCapi}, {"interpreters", scenario::Driver::kInterpreters}};

// One create, then one destroy; times whichever `time_destroy` says.
void CreateDestroy(benchmark::State& state, scenario::Driver kind, py::InterpFlags flags, bool time_destroy) {
  std::unique_ptr<driver::Driver> drv = driver::MakeDriver(kind);
  driver::ExecState exec_state;
  for (auto _ : state) {
    py::Attached attached(BenchThread());
    Clock::time_point t0 = Clock::now();
    absl::StatusOr<driver::InterpRef> interp = drv->Create(flags);
    Clock::time_point t1 = Clock::now();
    if (!Ok(state, interp.status())) break;
    absl::Status exec = drv->Exec(*interp, "pass\n", scenario::TstateMode::kPerCall, exec_state);
    Clock::time_point t2 = Clock::now();
    absl::Status destroyed = drv->Destroy(*interp, scenario::DestroyVia::kAuto);
    Clock::time_point t3 = Clock::now();
    if (!Ok(state, exec) || !Ok(state, destroyed)) break;
    state.SetIterationTime(Seconds(time_destroy ? t3 - t2 : t1 - t0));
  }
}

}  // namespace

void RegisterLifecycleBenchmarks(const BenchOptions& o) {
  for (const char* op : {"create", "destroy"}) {
    for (const auto& d : kDrivers) {
      for (const Config& c : kConfigs) {
        bool time_destroy = op[0] == 'd';
        Latency(benchmark::RegisterBenchmark(absl::StrCat("lifecycle/", op, "/", d.name, "/", c.name).c_str(),
                                             CreateDestroy, d.kind, c.flags, time_destroy),
                o.reps);
      }
    }
  }
}

}  // namespace endgame::bench
