// File: endgame/report/repro.h
//
// Reproducers a CPython developer can run without endgame (DESIGN.md §6):
//   repro.py — the interpreters module + threading / concurrent.futures,
//              standard library only (ctypes for asynchronous exceptions);
//   repro.c  — the public C API only, pthreads for the strategies; builds
//              with `cc repro.c $(python3-config --cflags --ldflags --embed)`.
// Each is straight-line code, one block per scenario step, with the same
// snippet sources the engine runs (run/snippet_source.h). The full ones report their
// outcome the same way: "endgame-repro: ok", "endgame-repro: leak <what> +N"
// (exit 1), a hang cut by a watchdog with stacks (exit 1, "endgame-repro:
// hang"), or the fatal error / crash itself.
#ifndef ENDGAME_REPORT_REPRO_H_
#define ENDGAME_REPORT_REPRO_H_

#include <string>

#include "absl/status/statusor.h"
#include "endgame/run/verdict.h"
#include "endgame/scenario/scenario.h"

namespace endgame::report {

// The line repro.py prints on stdout when a `fork` snippet's child did not
// exit 0, followed by the step's error message ("status 6: <escaped
// stderr>", snippet_source.h); RunReproPy reads it as the engine reads the
// step's error (run::ForkChildOf).
inline constexpr char kForkChildLine[] = "endgame-repro: fork child";

// Unimplemented when the scenario needs what the module API cannot express
// (tstate=sticky, destroy via=capi), and under a strategy the reproducers do
// not model: they model cache and dedicated (the C++ strategies of the
// strategy table); a Python strategy's finding replays with `endgame replay`.
//
// With `finding` a fatal error, crash, sanitizer report or error (given, or
// the scenario's `expect` line), and a scenario on the interpreters driver
// whose steps are spawns, execs, waits, destroys from the conductor, gc and
// sleeps, repro.py is minimal (MinimalReproPy): straight-line calls of
// `_interpreters` (3.13+), threads only for the `as T` tasks. Otherwise
// (hangs and leaks need the watchdog and the oracles; cancels, destroys from
// other threads and finalize need the helpers) it is the full program: a
// prelude of helpers, one block per step, the drain and the oracles.
absl::StatusOr<std::string> ReproPy(const scenario::Scenario& scenario, const std::string& title,
                                    const run::Verdict* finding = nullptr);

// The minimal repro.py, or Unimplemented naming what needs the full program.
absl::StatusOr<std::string> MinimalReproPy(const scenario::Scenario& scenario, const std::string& title);

// Whether the reproducers are minimal for this finding: `finding` (or the
// scenario's `expect` line) is a fatal error, crash, sanitizer report or error.
bool WantsMinimalRepro(const scenario::Scenario& scenario, const run::Verdict* finding);

// Unimplemented for a strategy the reproducers do not model (see ReproPy).
absl::Status ModelledStrategy(const scenario::Scenario& scenario);

// Unimplemented when the scenario needs the interpreters module (via=module
// or via=close destroys, driver interpreters: the C API cannot reach the
// module's code paths, repro.py is the faithful reproducer).
//
// For such a finding (WantsMinimalRepro) on the capi driver whose steps are
// spawns, execs and gc without tasks, destroys from the conductor and
// sleeps, repro.c is minimal (MinimalReproC): Py_InitializeFromConfig, then
// one or two lines per step, with only the helpers those steps use (an exec
// runs on a thread of its own, which keeps its thread state under
// tstate=sticky); about 60 lines for spawn, exec, destroy. Otherwise it is
// the full program with the task helpers, the watchdog and the oracles.
absl::StatusOr<std::string> ReproC(const scenario::Scenario& scenario, const std::string& title,
                                   const run::Verdict* finding = nullptr);

// The minimal repro.c, or Unimplemented naming what needs the full program.
absl::StatusOr<std::string> MinimalReproC(const scenario::Scenario& scenario, const std::string& title);

}  // namespace endgame::report

#endif  // ENDGAME_REPORT_REPRO_H_
