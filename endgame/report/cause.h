// File: endgame/report/cause.h
//
// Root causes (DESIGN.md §6): a finding is a cause, not a stack hash. Raw
// signatures (run/verdict.h) split one bug many ways: a memory corruption
// dies wherever the damage is touched, a different CPython version inlines
// differently. The cause of a result is, in this order:
//   0. a documented-unsupported configuration the scenario uses (a spawn with
//      its own GIL and the main obmalloc, which Doc/c-api/init.rst forbids and
//      Py_NewInterpreterFromConfig accepts): for a fatal error, crash or
//      sanitizer report, where the process died is noise, so the cause is the
//      configuration alone and the class is `limitation`;
//   1. on the C API, a destroy while the scenario's own exec tasks still ran
//      in the interpreter (RunResult::notes): what those threads then hit is
//      the caller's undefined behaviour, class `limitation`;
//   2. two destroys of one interpreter in flight, the dying or stuck thread
//      inside one of them: one race in interp_destroy whatever it hits (a
//      crash, the second caller parked in take_gil), class `new`; an exec,
//      put, get or share started while a destroy of its interpreter is in
//      flight, dying inside it (or, on 3.13, the destroy stopping with "not
//      the last thread"): gh-127041 (`upstream`), class `known gh-127041`;
//   3. a thread CPython parked in PyThread_hang_thread (3.14+: it attached to
//      an interpreter being finalized), or a daemon thread the scenario
//      started outliving its destroyed interpreter: documented, `limitation`;
//   4. a fatal error's message, or a failed C assertion's function and text;
//   5. the innermost CPython frames (function and file, harness and libc
//      frames removed) of the thread that died, or of the stuck thread of a
//      hang, with the verdict kind (and signal / sanitizer kind);
//   6. a leak's resource (without its count) and step.
// Each cause has a stable 12-hex key, a one-line title for summaries and
// report titles, and the frames it was decided on.
//
// Example:
//   RootCause c = CauseOf(result, &scenario);
//   std::printf("%s  %s%s\n", c.key.c_str(), c.title.c_str(),
//               c.limitation.empty() ? "" : "  (limitation)");
#ifndef ENDGAME_REPORT_CAUSE_H_
#define ENDGAME_REPORT_CAUSE_H_

#include <string>
#include <vector>

#include "endgame/run/result.h"
#include "endgame/scenario/scenario.h"

namespace endgame::report {

struct RootCause {
  std::string key;    // 12 hex digits
  std::string title;  // "crash SIGSEGV in _PyXI_ApplyError (Python/crossinterp.c)"
  std::string kind;   // the verdict kind: fatal, crash, sanitizer, hang, leak
  // The innermost CPython frames of the dying or stuck thread, "function
  // (file)", innermost first (at most 3); empty when there were no stacks.
  std::vector<std::string> frames;
  // The fatal error's message or the failed assertion ("crossinterp.c:
  // _PyXI_ApplyCapturedException: Assertion `session->error != NULL'
  // failed"), "" when none.
  std::string message;
  // Scenario features the cause is keyed on ("spawn gil=own obmalloc=main").
  std::vector<std::string> features;
  // Why this is documented CPython behaviour (class `limitation`), with the
  // document that says so; "" when it is not.
  std::string limitation;
  // The upstream issue this cause is, when the scenario's pattern is one the
  // tracker already has (an exec racing a destroy: gh-127041), as a URL; ""
  // when none. A finding with one is class `known gh-N`.
  std::string upstream;
};

// The cause of a finding `result` produced by `scenario` (nullptr: unknown,
// no feature is looked at).
RootCause CauseOf(const run::RunResult& result, const scenario::Scenario* scenario);

// The innermost CPython frames of the dying thread (the one with gdb's
// `<signal handler called>`, else the first) or, for a hang, of the thread
// named by `guilty_thread` ("conductor (tid 123)"), as "function (file)".
std::vector<std::string> CPythonFrames(const std::string& stacks, const std::string& guilty_thread,
                                       size_t max = 3);

// The first failed C assertion in `text` without the directory and line
// ("crossinterp.c: _PyXI_ApplyCapturedException: Assertion `x' failed"), or "".
std::string FailedAssertion(const std::string& text);

// Whether `scenario` destroys interpreters through Py_EndInterpreter (driver
// capi, or a `destroy ... via=capi`).
bool DestroysByPointer(const scenario::Scenario& scenario);

// Whether `scenario` has two destroys of one interpreter in flight: a destroy
// started as a task (`as T`) and another destroy of that interpreter before
// `wait T` and before it is spawned again.
bool DestroysOneInterpreterTwiceAtOnce(const scenario::Scenario& scenario);

// Whether `scenario` execs in an interpreter (exec, put or get) while a
// destroy of it started as a task (`as T`) may still run: before `wait T` and
// before a re-spawn. EntersDuringItsDestroy counts a share
// (set___main___attrs) and a call (_interpreters.call) as well.
bool ExecsDuringItsDestroy(const scenario::Scenario& scenario);
bool EntersDuringItsDestroy(const scenario::Scenario& scenario);

// Whether `scenario` spawns an interpreter with its own GIL and the main
// obmalloc (the default gil of an isolated base is own, of a legacy base shared).
bool OwnGilWithMainObmalloc(const scenario::Scenario& scenario);

// The class of a finding (DESIGN.md §6), in this order: "expected" (the
// result's expected_reason is set), "known gh-N" (a corpus/known/ match whose
// upstream names issue N, or a cause with its own cause.upstream; "known"
// without a number), "limitation"
// (cause.limitation), else "new". ("fixed in X" is for a known finding that stopped
// reproducing: the known-findings check decides that, not one result.)
std::string FindingClass(const RootCause& cause, const std::string& expected_reason, bool known,
                         const std::string& upstream);

// "gh-128639" from "gh-128639", "#128639" or ".../python/cpython/issues/128639"; "" otherwise.
std::string GhNumber(const std::string& upstream);

}  // namespace endgame::report

#endif  // ENDGAME_REPORT_CAUSE_H_
