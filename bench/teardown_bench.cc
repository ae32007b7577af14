// File: bench/teardown_bench.cc
//
// Teardown latency after an exec, per driver, strategy and what is left in
// the interpreter, measured by the conductor itself: each repetition runs one
// scenario in-process (oracles off) and the figure is the summed duration of
// its teardown steps (from the first cancel or destroy on), as the conductor
// recorded them; counters <kind>_us break it down by step kind.
//   teardown/<driver>/<strategy>/idle      exec noop, then destroy
//   teardown/<driver>/<strategy>/cancel    busy loop running: cancel (async
//                                          exception), wait, destroy
//   teardown/<driver>/<strategy>/threads   4 non-daemon threads still sleeping
//                                          inside (Py_EndInterpreter joins them)
//   teardown/<driver>/<strategy>/imports   a few stdlib packages imported
// strategy: cache (workers=1, per-call thread states) or dedicated.
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "bench/bench.h"
#include "endgame/run/conductor.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/text.h"

namespace endgame::bench {
namespace {

struct Variant {
  const char* name;
  const char* steps;  // .scn steps (the header comes from the driver)
};

const Variant kVariants[] = {
    {"idle", "spawn a\nexec a noop\ndestroy a\n"},
    {"cancel",
     "spawn a\nexec a busy ms=20000 as t\nsleep ms=2\ncancel t via=async_exc\nwait t\ndestroy a\n"},
    {"threads", "spawn a\nexec a thread n=4 ms=10\ndestroy a\n"},
    {"imports",
     "spawn a\nexec a code \"import json, re, collections, dataclasses, typing, decimal, asyncio\"\ndestroy a\n"},
};

int TeardownFrom(const scenario::Scenario& s) {
  for (size_t i = 0; i < s.steps.size(); ++i) {
    if (s.steps[i].kind == scenario::StepKind::kCancel || s.steps[i].kind == scenario::StepKind::kDestroy) {
      return static_cast<int>(i);
    }
  }
  return static_cast<int>(s.steps.size());
}

void Teardown(benchmark::State& state, std::shared_ptr<const scenario::Scenario> s, scenario::StrategySpec spec) {
  int from = TeardownFrom(*s);
  run::RunOptions o;
  o.oracles = false;
  o.strategy_override = &spec;
  o.on_hang = [](const run::RunResult& r) {
    std::fprintf(stderr, "endgame_bench: teardown scenario hung in %s\n%s\n", r.guilty_step.c_str(),
                 r.stacks.c_str());
    std::fflush(nullptr);
    _exit(3);  // the stuck thread cannot be unwound
  };
  for (auto _ : state) {
    run::RunResult r = run::RunScenario(*s, o);
    if (r.verdict.kind != run::VerdictKind::kOk) {
      state.SkipWithError(absl::StrCat("verdict ", r.verdict.ToString()).c_str());
      break;
    }
    // The total, and its breakdown by step kind (counters cancel_us, wait_us, destroy_us).
    int64_t us = 0;
    std::map<std::string, double> by_kind;
    for (const run::StepRecord& step : r.steps) {
      if (step.index < from) continue;
      us += step.duration_us;
      by_kind[step.kind + "_us"] += static_cast<double>(step.duration_us);
    }
    for (const auto& [kind, v] : by_kind) state.counters[kind] = v;
    state.SetIterationTime(static_cast<double>(us) * 1e-6);
  }
}

}  // namespace

void RegisterTeardownBenchmarks(const BenchOptions& o) {
  // Every C++ strategy of the table, at its defaults.
  std::vector<std::pair<std::string, scenario::StrategySpec>> strategies;
  for (const scenario::StrategyInfo& i : scenario::Strategies()) {
    if (i.runtime == scenario::StrategyRuntime::kCpp) strategies.emplace_back(std::string(i.word), scenario::DefaultSpec(i));
  }
  for (const char* driver : {"capi", "interpreters"}) {
    for (const Variant& v : kVariants) {
      std::string text = absl::StrCat("driver ", driver, "\ndeadline_ms 60000\n", v.steps);
      absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text, v.name);
      if (!s.ok()) {
        std::fprintf(stderr, "endgame_bench: teardown/%s: %s\n", v.name, s.status().ToString().c_str());
        continue;
      }
      auto shared = std::make_shared<const scenario::Scenario>(*std::move(s));
      for (const auto& [name, spec] : strategies) {
        Latency(benchmark::RegisterBenchmark(absl::StrCat("teardown/", driver, "/", name, "/", v.name).c_str(),
                                             Teardown, shared, spec),
                o.reps);
      }
    }
  }
}

}  // namespace endgame::bench
