// File: endgame/run/expected.h
//
// Expected outcomes (DESIGN.md §6): what the scenario itself caused, which is
// not a CPython finding. The conductor knows the scenario, so it can tell:
//   - the thread, interpreter, fds and thread state a `cancel T via=abandon`
//     leaves behind while T still runs (leak thread/interpreter/fd/tstate);
//   - a hang in a step that waits for a task that runs forever with nothing
//     that can stop it: `wait`, `destroy` of its interpreter, the drain, a
//     synchronous exec, or a job queued behind such tasks on every worker of
//     a cache (lock_wait ms=0 stops for nothing; busy ms=0 only for
//     via=async_exc; busy_poll ms=0 for via=async_exc or via=flag), or one
//     that runs longer than the step deadline by its own arguments;
//   - the fds a `code` snippet opens as raw ints (os.pipe(), os.open(), ...),
//     which nothing closes at teardown (leak fd);
//   - the threads of a Python strategy that `finalize` ended the runtime
//     under (leak thread).
// Such a result keeps its verdict and gets the class "expected" with the
// reason; report::IsFinding() never counts it.
//
// Example:
//   run::ClassifyExpected(scenario, &result);
//   if (!result.expected_reason.empty()) std::printf("expected: %s\n", result.expected_reason.c_str());
#ifndef ENDGAME_RUN_EXPECTED_H_
#define ENDGAME_RUN_EXPECTED_H_

#include <string>

#include "endgame/run/result.h"
#include "endgame/scenario/scenario.h"

namespace endgame::run {

// Why `result` is what `scenario` asked for, or "" when it is not (then a
// fatal error, crash, sanitizer report, hang or leak is a finding). The
// scenario's strategy must be the one that ran (apply overrides first).
std::string ExpectedReason(const scenario::Scenario& scenario, const RunResult& result);

// Sets result->expected_reason from ExpectedReason() unless it is set already.
void ClassifyExpected(const scenario::Scenario& scenario, RunResult* result);

// ApplyExpectation() sets `r->expected` and `r->expectation_met` from the
// scenario's expect line and `r->verdict` (the supervisor calls it again for
// a child that died before it could report).
void ApplyExpectation(const scenario::Scenario& s, RunResult* r);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_EXPECTED_H_
