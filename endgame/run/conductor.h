// File: endgame/run/conductor.h
//
// The conductor walks a scenario's steps in order on the calling thread,
// hands asynchronous steps to the strategy, enforces per-step deadlines
// through the watchdog, cleans up at the end (every task joined, every
// interpreter destroyed, the strategy drained) and runs the oracles.
//
// The calling thread must have initialized the runtime (py::InitializeRuntime)
// or be allowed to create its own main-interpreter thread state.
//
// Example:
//   RunOptions options;
//   options.on_hang = [](const RunResult& r) { PrintAndExit(r); };
//   RunResult r = RunScenario(scenario, options);
//   std::printf("%s\n", r.verdict.ToString().c_str());
#ifndef ENDGAME_RUN_CONDUCTOR_H_
#define ENDGAME_RUN_CONDUCTOR_H_

#include <functional>
#include <string>

#include "endgame/run/expected.h"  // ApplyExpectation()
#include "endgame/run/result.h"
#include "endgame/scenario/scenario.h"

namespace endgame::run {

struct RunOptions {
  // CPython's gdb helpers (libpython.py), for Python stacks in hang reports.
  std::string python_gdb_script;
  // Called from the watchdog thread once a step passed its deadline, with the
  // stacks captured. It must not return: the stuck thread cannot be unwound,
  // so it reports and ends the process (or aborts, under a fuzzer). When
  // unset, the process aborts after printing the result to stderr.
  std::function<void(const RunResult&)> on_hang;
  // Progress: called when a step starts (duration_us == -1) and ends.
  std::function<void(const StepRecord&)> on_step;
  // Called with each note (RunResult::notes) when the conductor makes it, so
  // a supervised child reports it before a crash can end the process.
  std::function<void(const std::string&)> on_note;
  // Called by an `exit` step once Py_FinalizeEx returned, with the status the
  // process ends with: the step's code, or 120 when finalization failed (as
  // Py_Exit does). It must not return: it ends the process at once (no
  // drain, no oracles; the threads still running die with it), and how the
  // process ended is the verdict (the supervisor judges it, supervise.h).
  // When unset, a scenario with an `exit` step is `skipped`: it needs a
  // process of its own.
  std::function<void(int status)> on_exit;
  // Run the leak oracles after the scenario.
  bool oracles = true;
  // Repetitions for memory slopes (>= 1); `finalize` and `exit` scenarios run once.
  int repeat = 1;
  // Slope (bytes per cycle) above which RSS or malloc growth is a leak.
  int64_t slope_threshold_bytes = 64 * 1024;
  // Overrides the scenario's strategy (strategy_diff, campaigns).
  const scenario::StrategySpec* strategy_override = nullptr;
};

RunResult RunScenario(const scenario::Scenario& scenario, const RunOptions& options);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_CONDUCTOR_H_
