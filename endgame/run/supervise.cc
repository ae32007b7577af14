#include "endgame/run/supervise.h"

#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "endgame/base/classify.h"
#include "endgame/base/stacks.h"
#include "endgame/base/subprocess.h"
#include "endgame/run/conductor.h"
#include "endgame/run/crash_stacks.h"
#include "endgame/run/expected.h"

namespace endgame::run {
namespace {

// The frames of the thread that died: the one showing the signal handler
// frame, else the first thread.
std::vector<std::string> DyingThreadFrames(const std::string& stacks) {
  std::vector<ThreadStack> threads = ParseGdbStacks(stacks);
  for (const ThreadStack& t : threads) {
    for (size_t i = 0; i < t.frames.size(); ++i) {
      if (absl::StrContains(t.frames[i], "signal handler called")) {
        return std::vector<std::string>(t.frames.begin() + i + 1, t.frames.end());
      }
    }
  }
  return threads.empty() ? std::vector<std::string>{} : threads.front().frames;
}

// The step kind a dying thread's frames show, or "": an asynchronous destroy
// can abort the process while the conductor is several steps further.
std::string StepOfFrames(const std::vector<std::string>& frames) {
  // The end-of-scenario queue and channel oracles ask CPython from the main
  // interpreter (get_count, get_info) through PyRun_String: a death there is
  // the drain's, whatever CPython frames are inside (3.13.15 to 3.15.2 debug
  // abort in _channel_get_info, tests/surface/channel_left_items_debug.scn).
  for (const std::string& f : frames) {
    if (absl::StrContains(f, "JudgeAndDestroyQueues")) return "drain";
  }
  for (const std::string& f : frames) {
    if (absl::StrContains(f, "Py_EndInterpreter")) return "destroy";
    if (absl::StrContains(f, "Py_NewInterpreter") || absl::StrContains(f, "new_interpreter")) return "spawn";
    if (absl::StrContains(f, "_PyXI_Enter") || absl::StrContains(f, "PyRun_String")) return "exec";
  }
  return "";
}

// A child that reached its scenario's `exit code=N` step and then exited
// with `status`: ok for N, else an error of that step.
RunResult EndedByExit(RunResult r, int status, int64_t want) {
  r.notes.push_back(absl::StrCat("exit: the process ended with status ", status));
  if (status == want) {
    r.verdict = Verdict::Ok();
    r.guilty_step.clear();
    r.guilty_index = -1;
    r.steps.back().status = "ok";
    return r;
  }
  r.verdict = Verdict::Of(VerdictKind::kError, absl::StrCat("exit status ", status, ", not ", want));
  r.steps.back().status = absl::StrCat("error ", r.verdict.detail);
  r.signature = Signature(r.verdict, r.guilty_step, {});
  return r;
}

}  // namespace

RunResult ResultFromChild(const std::string& out, const std::string& err, bool exited, int exit_code, int signal,
                          bool timed_out, std::optional<int64_t> exit_step_code) {
  // A child that reported its result (including hangs its watchdog caught)
  // is believed, except a hang after which the child died of a fatal error,
  // crash or sanitizer report: the step it called stuck ended in that death
  // while the watchdog was taking the stacks (a slow Py_EndInterpreter that
  // then aborts, say), so the death is the verdict.
  const Termination end = ClassifyEnd(exited, exit_code, signal, timed_out, err);
  const bool died = end.kind == Termination::kFatal || end.kind == Termination::kCrash ||
                    end.kind == Termination::kSanitizer;
  ChildReport rep = ParseChildOutput(out);
  for (const std::string& json : rep.results) {
    absl::StatusOr<RunResult> r = FromJson(json);
    if (r.ok() && !(died && r->verdict.kind == VerdictKind::kHang)) return *r;
  }
  RunResult r;
  // Steps as the child announced them; the last one without an end is guilty.
  r.python = rep.python;
  r.notes = rep.notes;
  r.steps = rep.steps;
  for (const StepRecord& s : r.steps) {
    if (s.status == "running") {
      r.guilty_step = s.kind;
      r.guilty_index = s.index;
    }
  }
  const Termination& t = end;
  switch (t.kind) {
    case Termination::kFatal: r.verdict = Verdict::Of(VerdictKind::kFatal, t.detail); break;
    case Termination::kSanitizer: r.verdict = Verdict::Of(VerdictKind::kSanitizer, t.detail); break;
    case Termination::kCrash: r.verdict = Verdict::Of(VerdictKind::kCrash, t.detail); break;
    case Termination::kTimeout:
      r.verdict = Verdict::Of(VerdictKind::kHang, r.guilty_step.empty() ? "child" : r.guilty_step);
      break;
    case Termination::kExitCode:
    case Termination::kOk:
      // The scenario's `exit` step ended the process: how is the verdict.
      if (exit_step_code && !r.steps.empty() && r.steps.back().kind == "exit" &&
          r.steps.back().status == "running") {
        return EndedByExit(std::move(r), exit_code, *exit_step_code);
      }
      r.verdict = Verdict::Of(VerdictKind::kCrash, absl::StrCat("child exited without a result (", t.ToString(), ")"));
      break;
  }
  size_t at = err.find(kCrashStacksMarker);
  std::string stacks = at == std::string::npos ? "" : err.substr(at);
  // Everything the child printed about its death belongs with the stacks,
  // after the steps it announced.
  r.stacks = absl::StrCat(out, err);
  std::vector<std::string> dying = DyingThreadFrames(stacks);
  std::vector<std::string> key = KeyFrames(dying);
  if (t.kind == Termination::kSanitizer && !t.frame.empty()) key = {t.frame};
  // The signature names the step the dying thread was in (from its frames),
  // not the step the conductor had reached: one bug, one signature.
  std::string step = StepOfFrames(dying);
  if (!step.empty()) r.guilty_step = step;
  r.signature = Signature(r.verdict, step.empty() ? r.guilty_step : step, key);
  r.poisoned = true;
  return r;
}

absl::StatusOr<RunResult> RunSupervised(const std::string& file, const scenario::Scenario& scenario,
                                        const SuperviseOptions& options) {
  ChildOptions c;
  c.argv = ChildArgv(options.exe, {file, options.repeat});
  c.env_add = options.env_add;
  c.timeout = options.timeout;
  if (c.timeout == absl::ZeroDuration()) {
    c.timeout = absl::Milliseconds(scenario.deadline_ms) * (scenario.steps.size() + 2) * std::max(options.repeat, 1) +
                absl::Seconds(60);
  }
  absl::StatusOr<ChildResult> child = RunChild(c);
  if (!child.ok()) return child.status();
  std::optional<int64_t> exit_code;
  if (const scenario::Step* exit = scenario::ExitStepOf(scenario)) exit_code = exit->code;
  RunResult r = ResultFromChild(child->out, child->err, child->exited, child->exit_code, child->signal,
                                child->timed_out, exit_code);
  // A child that died (crash, fatal error) never reported its expectation:
  // the verdict is judged against the scenario's expect line here.
  ApplyExpectation(scenario, &r);
  // A child killed by the backstop has not classified its hang.
  ClassifyExpected(scenario, &r);
  return r;
}

}  // namespace endgame::run
