// File: endgame/report/repro.h
//
// Reproducers a CPython developer can run without endgame (DESIGN.md §6):
//   repro.py — the interpreters module + threading / concurrent.futures,
//              standard library only (ctypes for asynchronous exceptions);
//   repro.c  — the public C API only, pthreads for the strategies; builds
//              with `cc repro.c $(python3-config --cflags --ldflags --embed)`.
// Each is straight-line code, one block per scenario step, with the same
// snippet sources the engine runs (run/snippet_source.h). Each reports its
// outcome the same way: "endgame-repro: ok", "endgame-repro: leak <what> +N"
// (exit 1), a hang cut by a watchdog with stacks (exit 1, "endgame-repro:
// hang"), or the fatal error / crash itself.
#ifndef ENDGAME_REPORT_REPRO_H_
#define ENDGAME_REPORT_REPRO_H_

#include <string>

#include "absl/status/statusor.h"
#include "endgame/scenario/scenario.h"

namespace endgame::report {

// Unimplemented when the scenario needs what the module API cannot express
// (tstate=sticky, destroy via=capi).
absl::StatusOr<std::string> ReproPy(const scenario::Scenario& scenario, const std::string& title);

// Unimplemented when the scenario needs the interpreters module (via=module
// or via=close destroys, driver interpreters).
absl::StatusOr<std::string> ReproC(const scenario::Scenario& scenario, const std::string& title);

}  // namespace endgame::report

#endif  // ENDGAME_REPORT_REPRO_H_
