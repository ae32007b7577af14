// File: endgame/run/compose_verdict.h
//
// The one place a run's verdict is decided, from what the conductor saw:
// unmet requirements (skipped), a strategy that could not be made (skipped or
// error), a step the watchdog found stuck (hang; or a thread leak when CPython
// parked the stuck thread), the oracles' leaks, and the first error an API
// reported. Pure.
//
// Precedence: hang; then a fork child's death; then skipped, strategy, the first leaking oracle (leak
// <resource> <delta>), the first API error (error <Type>), ok; then, below a
// leak, a leaking memory slope of --repeat (leak memory +N/cycle).
//
// Example:
//   VerdictEvidence e;
//   e.oracles = result.oracles;
//   e.error = StepError{"exec", 3, "KeyError"};
//   ApplyVerdict(ComposeVerdict(e), &result);  // error KeyError, guilty step exec #3
#ifndef ENDGAME_RUN_COMPOSE_VERDICT_H_
#define ENDGAME_RUN_COMPOSE_VERDICT_H_

#include <optional>
#include <string>
#include <vector>

#include "endgame/run/result.h"
#include "endgame/run/verdict.h"

namespace endgame::run {

// The step the watchdog found past its deadline.
struct HangEvidence {
  std::string step_kind;
  int step_index = -1;
  std::string thread;               // "name (tid N)"
  std::vector<std::string> frames;  // the stuck thread's, innermost first ({} when unknown)
  int parked = 0;                   // threads CPython parked in PyThread_hang_thread
  // The stuck thread is one of them: its interpreter is finalizing, and
  // CPython parked it for good (3.14+, gh-87135).
  bool ParkedByCPython() const;
};

// The first error an API reported (not a snippet's own exception).
struct StepError {
  std::string step_kind;
  int step_index = -1;
  std::string type;  // the exception type, or the status code
};

// A child that a `fork` snippet forked and that did not exit 0
// (snippet_source.h): CPython's death in that child (PyOS_AfterFork_Child
// aborting, say), not this process's. Its verdict is that of the child's end
// with "fork child" in the detail, so that it is never one of the parent's:
// fatal "fork child: <message>", crash "fork child: SIGABRT" (or "fork
// child: exit code N"), sanitizer "fork child: <kind>", hang "fork child".
struct ForkChildEvidence {
  std::string step_kind = "exec";  // "fork" for a `fork` step
  int step_index = -1;
  Verdict verdict;
  // The child's first failed C assertion without program, directory and line
  // ("_PyEval_ReInitThreads: Assertion `x' failed"), "" when none: it keys
  // the signature, as frames key a crash of this process.
  std::string assertion;
  std::string stderr_text;  // what the child printed (at most kForkChildStderrMax bytes)
};

// The fork child's end from the detail of an exec's error outcome
// ("EndgameForkChild: status 6: <escaped stderr>"), or nullopt when the
// detail is not a fork child's.
std::optional<ForkChildEvidence> ForkChildOf(const std::string& error_detail);

struct VerdictEvidence {
  std::string unmet;                // why this CPython cannot run the scenario (requirements.h)
  std::string strategy_skipped;     // why the strategy cannot run here
  std::string strategy_error;       // why the strategy could not be made
  std::optional<HangEvidence> hang;
  std::vector<OracleRecord> oracles;  // with the *_slope ones of --repeat
  std::optional<StepError> error;
  std::optional<ForkChildEvidence> fork_child;  // the first fork child that died or hung
};

struct ComposedVerdict {
  Verdict verdict;
  std::string guilty_step;
  int guilty_index = -1;
  std::string guilty_thread;
  std::string signature;  // "" for ok, skipped and strategy errors
};

ComposedVerdict ComposeVerdict(const VerdictEvidence& evidence);

// Sets the result's verdict, guilty step, index and thread, and signature.
void ApplyVerdict(const ComposedVerdict& verdict, RunResult* result);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_COMPOSE_VERDICT_H_
