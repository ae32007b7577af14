// File: endgame/report/minimize.h
//
// The minimizer (DESIGN.md §6): delta debugging over steps, then one
// simplification at a time over arguments, delays and the header, keeping a
// candidate only while `still_fails` says the same finding reproduces. Every
// candidate is a valid scenario (CheckScenario); invalid ones are skipped
// without running.
#ifndef ENDGAME_REPORT_MINIMIZE_H_
#define ENDGAME_REPORT_MINIMIZE_H_

#include <functional>
#include <string>

#include "endgame/scenario/scenario.h"

namespace endgame::report {

struct MinimizeStats {
  int tested = 0;    // candidates run
  int accepted = 0;  // candidates kept
};

using StillFails = std::function<bool(const scenario::Scenario&)>;

scenario::Scenario Minimize(const scenario::Scenario& start, const StillFails& still_fails,
                            const std::function<void(const std::string&)>& log, MinimizeStats* stats);

}  // namespace endgame::report

#endif  // ENDGAME_REPORT_MINIMIZE_H_
