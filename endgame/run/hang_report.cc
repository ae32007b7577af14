#include "endgame/run/hang_report.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "endgame/base/stacks.h"
#include "endgame/run/expected.h"
#include "endgame/run/step_outcome.h"

namespace endgame::run {

HangEvidence HangEvidenceOf(const Watchdog::Armed& armed, const absl::StatusOr<std::string>& stacks) {
  HangEvidence h;
  h.step_kind = armed.step_kind;
  h.step_index = armed.step_index;
  h.thread = absl::StrCat(armed.thread_name, " (tid ", armed.tid, ")");
  if (stacks.ok()) {
    for (const ThreadStack& t : ParseGdbStacks(*stacks)) {
      if (t.lwp == armed.tid) h.frames = t.frames;
      h.parked += std::find(t.frames.begin(), t.frames.end(), "PyThread_hang_thread") != t.frames.end();
    }
  }
  return h;
}

RunResult HangResult(RunResult r, const Watchdog::Armed& armed, const absl::StatusOr<std::string>& stacks,
                     const scenario::Scenario& ran) {
  r.stacks = stacks.ok() ? *stacks : absl::StrCat("(stacks unavailable: ", stacks.status().ToString(), ")");
  VerdictEvidence e;
  e.hang = HangEvidenceOf(armed, stacks);
  // The stuck thread tried to attach to an interpreter that is being (or has
  // been) finalized, and CPython parked it for good, as its C API docs say
  // (3.14+, gh-87135; "Cautions regarding runtime finalization"): the
  // process is not hung, those threads are gone for it: a thread leak.
  const bool parked = e.hang->ParkedByCPython();
  ApplyVerdict(ComposeVerdict(e), &r);
  if (parked) ApplyExpectation(ran, &r);
  r.poisoned = true;
  if (!r.steps.empty() && r.steps.back().duration_us < 0) {
    // A parked thread is given up, not stuck.
    r.steps.back().status = StepOutcome::Of(parked ? StepOutcome::Kind::kAbandoned : StepOutcome::Kind::kHang).ToText();
  }
  ClassifyExpected(ran, &r);
  return r;
}

void ReportHang(const Watchdog::Armed& armed, Watchdog& dog, const std::function<RunResult()>& so_far,
                const scenario::Scenario& ran, const HangReportOptions& options) {
  StackOptions so;
  so.python_gdb_script = options.python_gdb_script;
  absl::StatusOr<std::string> stacks = CaptureAllStacks(so);
  // The step ended while the stacks were taken: slow (a load spike, a tiny
  // deadline_ms), not stuck. No verdict; the watchdog watches the next step.
  if (dog.Ended(armed)) {
    std::fprintf(stderr, "endgame: step %d (%s) passed its deadline but ended; not a hang\n", armed.step_index,
                 armed.step_kind.c_str());
    return;
  }
  RunResult r = HangResult(so_far(), armed, stacks, ran);
  const bool parked = r.verdict.kind == VerdictKind::kLeak;
  if (parked) {
    std::fprintf(stderr,
                 "endgame: step %d (%s) waits on %s, which CPython parked in PyThread_hang_thread (its interpreter "
                 "is finalizing): not a hang, leak %s\n",
                 armed.step_index, armed.step_kind.c_str(), r.guilty_thread.c_str(), r.verdict.detail.c_str());
  }
  if (options.on_hang) options.on_hang(r);
  if (!parked) {
    std::fprintf(stderr, "endgame: hang in step %d (%s) on %s\n%s\n", armed.step_index, armed.step_kind.c_str(),
                 r.guilty_thread.c_str(), r.stacks.c_str());
  }
  std::abort();
}

}  // namespace endgame::run
