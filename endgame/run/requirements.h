// File: endgame/run/requirements.h
//
// What a scenario needs of the CPython at hand: its `requires` lines, its
// driver's module, and the steps only CPython 3.13+ can run. A scenario whose
// needs are unmet is not run: its verdict is `skipped` with the reason.
// Pure but for HostCapabilities(), which detects this process's CPython once.
//
// Example:
//   std::string why = Unmet(scenario, HostCapabilities());
//   if (!why.empty()) return Verdict::Of(VerdictKind::kSkipped, why);
#ifndef ENDGAME_RUN_REQUIREMENTS_H_
#define ENDGAME_RUN_REQUIREMENTS_H_

#include <string>

#include "endgame/py/capabilities.h"
#include "endgame/scenario/scenario.h"

namespace endgame::run {

// The embedded CPython's capabilities, detected on the first call (the
// runtime must be initialized, or be allowed to initialize).
const py::Capabilities& HostCapabilities();

// What step `st` needs that only CPython 3.13+ has, or nullptr.
const char* Needs313(const scenario::Step& st);

// Why a CPython with `caps` cannot run `s`, or "".
std::string Unmet(const scenario::Scenario& s, const py::Capabilities& caps);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_REQUIREMENTS_H_
