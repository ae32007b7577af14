// File: bench/exec_bench.cc
//
// Exec round trip: the time from handing `pass` to a strategy until the
// caller learns it ran, in an isolated interpreter, per driver and strategy:
//   exec/<driver>/inline      on the calling thread (no strategy: the floor)
//   exec/<driver>/cache       a reused worker, thread state per call
//   exec/capi/cache_sticky    a reused worker, thread state cached (capi only)
//   exec/<driver>/dedicated   a new OS thread per exec
// Each repetition creates the interpreter and strategy and warms them with
// one untimed exec; only the second exec is timed.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "bench/bench.h"
#include "endgame/driver/driver.h"
#include "endgame/scenario/strategies.h"
#include "endgame/strategy/strategy.h"

namespace endgame::bench {
namespace {

using scenario::StrategySpec;

// Runs one exec through `strategy` (or inline when null) and waits for it.
absl::Status ExecOnce(driver::Driver& drv, strategy::Strategy* strategy, const driver::InterpRef& interp,
                      driver::ExecState& inline_state) {
  if (strategy == nullptr) {
    py::Attached attached(BenchThread());
    return drv.Exec(interp, "pass\n", scenario::TstateMode::kPerCall, inline_state);
  }
  absl::Notification done;
  absl::Status status;
  strategy->Submit(interp.id, [&](strategy::WorkerContext& ctx) {
    {
      py::Attached attached(*ctx.main);
      status = drv.Exec(interp, "pass\n", ctx.tstate, *ctx.exec_state);
    }
    done.Notify();
  });
  done.WaitForNotification();
  return status;
}

// Deletes the sticky thread states a cache worker keeps (so that the
// interpreter can be destroyed), on that worker.
void DropSticky(strategy::Strategy& strategy) {
  absl::Notification done;
  strategy.Submit(-1, [&](strategy::WorkerContext& ctx) {
    {
      py::Attached attached(*ctx.main);
      for (auto& [id, ts] : ctx.exec_state->sticky) ts->Delete();
      ctx.exec_state->sticky.clear();
    }
    done.Notify();
  });
  done.WaitForNotification();
}

void ExecRoundTrip(benchmark::State& state, scenario::Driver kind, std::optional<StrategySpec> spec) {
  std::unique_ptr<driver::Driver> drv = driver::MakeDriver(kind);
  driver::ExecState inline_state;
  for (auto _ : state) {
    absl::StatusOr<driver::InterpRef> interp;
    {
      py::Attached attached(BenchThread());
      interp = drv->Create(py::InterpFlags::Isolated());
    }
    if (!Ok(state, interp.status())) break;
    std::unique_ptr<strategy::Strategy> strategy;
    if (spec) {
      absl::StatusOr<std::unique_ptr<strategy::Strategy>> s = strategy::MakeStrategy(*spec);
      if (!Ok(state, s.status())) break;
      strategy = std::move(*s);
    }
    absl::Status warm = ExecOnce(*drv, strategy.get(), *interp, inline_state);
    Clock::time_point t0 = Clock::now();
    absl::Status timed = ExecOnce(*drv, strategy.get(), *interp, inline_state);
    Clock::time_point t1 = Clock::now();
    if (strategy) {
      if (spec->tstate == scenario::TstateMode::kSticky) DropSticky(*strategy);  // cache's capi-only value
      strategy->BeforeDestroy(interp->id);
      strategy->Shutdown();
    }
    absl::Status destroyed;
    {
      py::Attached attached(BenchThread());
      destroyed = drv->Destroy(*interp, scenario::DestroyVia::kAuto);
    }
    if (!Ok(state, warm) || !Ok(state, timed) || !Ok(state, destroyed)) break;
    state.SetIterationTime(Seconds(t1 - t0));
  }
}

}  // namespace

void RegisterExecBenchmarks(const BenchOptions& o) {
  // Inline, then every C++ strategy of the table at its defaults, and with
  // each capi-only value ("cache_sticky") under driver capi.
  struct Variant {
    std::string name;
    std::optional<StrategySpec> spec;
    bool capi_only;
  };
  std::vector<Variant> kStrategies = {{"inline", std::nullopt, false}};
  for (const scenario::StrategyInfo& i : scenario::Strategies()) {
    if (i.runtime != scenario::StrategyRuntime::kCpp) continue;
    kStrategies.push_back({std::string(i.word), scenario::DefaultSpec(i), false});
    for (const scenario::StrategyArg& a : i.args) {
      if (a.capi_only < 0) continue;
      StrategySpec spec = scenario::DefaultSpec(i);
      scenario::SetStrategyArg(&spec, a.key, a.capi_only);
      kStrategies.push_back({absl::StrCat(std::string(i.word), "_", scenario::ArgText(a, a.capi_only)), spec, true});
    }
  }
  for (const auto& [driver_name, kind] : {std::pair{"capi", scenario::Driver::kCapi},
                                          std::pair{"interpreters", scenario::Driver::kInterpreters}}) {
    for (const auto& s : kStrategies) {
      if (s.capi_only && kind != scenario::Driver::kCapi) continue;
      Latency(benchmark::RegisterBenchmark(absl::StrCat("exec/", driver_name, "/", s.name).c_str(), ExecRoundTrip,
                                           kind, s.spec),
              o.reps);
    }
  }
}

}  // namespace endgame::bench
