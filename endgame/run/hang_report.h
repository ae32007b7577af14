// File: endgame/run/hang_report.h
//
// The hang report: what the watchdog's callback does once a step passed its
// deadline. It captures every thread's stacks; if the step ended meanwhile it
// was slow, not stuck, and the run goes on. Otherwise the result so far gets
// the hang verdict (ComposeVerdict: a hang, or a thread leak when CPython
// parked the stuck thread), its stacks, the step's status, and is handed to
// on_hang; then the process aborts (the stuck thread cannot be unwound).
//
// Example:
//   Watchdog dog([&](const Watchdog::Armed& a) {
//     ReportHang(a, *dog_ptr, [&] { return SnapshotOfResult(); }, ran, hang_options);
//   });
#ifndef ENDGAME_RUN_HANG_REPORT_H_
#define ENDGAME_RUN_HANG_REPORT_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "endgame/run/compose_verdict.h"
#include "endgame/run/result.h"
#include "endgame/run/watchdog.h"
#include "endgame/scenario/scenario.h"

namespace endgame::run {

// What the stacks say of the step `armed` names: its stuck thread's frames and
// how many threads CPython parked. Pure.
HangEvidence HangEvidenceOf(const Watchdog::Armed& armed, const absl::StatusOr<std::string>& stacks);

// `so_far` as the report of the hang: verdict, stacks, the last step's status
// ("hang", or "abandoned" for a parked thread), poisoned, expected class.
// `ran` is the scenario with the strategy that ran. Pure.
RunResult HangResult(RunResult so_far, const Watchdog::Armed& armed, const absl::StatusOr<std::string>& stacks,
                     const scenario::Scenario& ran);

struct HangReportOptions {
  std::string python_gdb_script;                 // RunOptions::python_gdb_script
  std::function<void(const RunResult&)> on_hang;  // RunOptions::on_hang
};

// The watchdog's callback: returns only when the step ended while the stacks
// were taken; otherwise reports (on_hang, then stderr) and aborts.
// `so_far` gives the run's result at the moment of the report.
void ReportHang(const Watchdog::Armed& armed, Watchdog& dog, const std::function<RunResult()>& so_far,
                const scenario::Scenario& ran, const HangReportOptions& options);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_HANG_REPORT_H_
