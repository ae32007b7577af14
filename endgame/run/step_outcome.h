// File: endgame/run/step_outcome.h
//
// How a step ended, as a value: a kind and its detail. The conductor's step
// functions return one; ToText() prints it as the step status of the child
// protocol and `run --json` (StepRecord::status), so nothing reads a status
// back apart.
//
// Example:
//   StepOutcome o = OutcomeOf(absl::AbortedError("KeyError: 'x'"));  // kError, "KeyError: 'x'"
//   std::string text = o.ToText();                                     // "error KeyError: 'x'"
//   std::string type = o.ErrorType();                                  // "KeyError"
#ifndef ENDGAME_RUN_STEP_OUTCOME_H_
#define ENDGAME_RUN_STEP_OUTCOME_H_

#include <string>

#include "absl/status/status.h"

namespace endgame::run {

struct StepOutcome {
  enum class Kind {
    kOk,         // "ok", or "ok: <detail>" (a cancel's way, the drain's leftovers)
    kStarted,    // "started": an asynchronous step's task was started
    kTimeout,    // "timeout": a wait's timeout_ms passed
    kAbandoned,  // "abandoned": a bounded join gave the interpreter up
    kSkipped,    // "skipped: <why>"
    kCancelled,  // "cancelled: <message>"
    kError,      // "error <Type>: <message>" (detail: "<Type>: <message>")
    kRunning,    // "running": the step has not ended
    kHang,       // "hang": the watchdog found the step stuck
  };
  Kind kind = Kind::kOk;
  std::string detail;

  static StepOutcome Ok(std::string detail = {}) { return {Kind::kOk, std::move(detail)}; }
  static StepOutcome Of(Kind kind, std::string detail = {}) { return {kind, std::move(detail)}; }
  static StepOutcome Skipped(std::string why) { return {Kind::kSkipped, std::move(why)}; }

  bool ok() const { return kind == Kind::kOk; }
  // The step status: "ok", "ok: already done", "started", "error KeyError: 'x'"...
  std::string ToText() const;
  // kError: the exception type (the detail up to its first ':'); "" otherwise.
  std::string ErrorType() const;
};

// A status as a step outcome: ok, cancelled (kCancelled), unimplemented
// (kSkipped), a Python exception (kError "<Type>: message") or another error
// (kError "<CODE>: message").
StepOutcome OutcomeOf(const absl::Status& status);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_STEP_OUTCOME_H_
