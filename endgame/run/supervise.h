// File: endgame/run/supervise.h
//
// Runs one scenario in a supervised child process (`endgame run FILE
// --child`), so that fatal errors, crashes and sanitizer reports become
// verdicts instead of ending the caller. The child reports each step as it
// starts and its result as one JSON line (the child protocol below); when it
// dies instead, the parent classifies how, from its exit status and stderr,
// and blames the step that was running.
//
// The child protocol (request and lines) is child_protocol.h's.
//
// Example:
//   absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text, "x.scn");
//   SuperviseOptions o;
//   o.exe = *SelfExe();
//   absl::StatusOr<RunResult> r = RunSupervised("x.scn", *s, o);
#ifndef ENDGAME_RUN_SUPERVISE_H_
#define ENDGAME_RUN_SUPERVISE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "endgame/run/child_protocol.h"
#include "endgame/run/result.h"
#include "endgame/scenario/scenario.h"

namespace endgame::run {

struct SuperviseOptions {
  std::string exe;                      // the endgame binary
  int repeat = 1;                       // the child's `run --repeat`
  std::vector<std::string> env_add;     // KEY=VALUE for the child
  // Backstop when the child's own watchdog cannot act; 0: computed from the
  // scenario (steps x deadline + 60 s).
  absl::Duration timeout = absl::ZeroDuration();
};

// Runs `scenario_file` (parsed already as `scenario`) in a child and returns
// its result; an error only when the child could not be started.
absl::StatusOr<RunResult> RunSupervised(const std::string& scenario_file, const scenario::Scenario& scenario,
                                        const SuperviseOptions& options);

// Turns a dead child's end into a result (exposed for tests).
// `exit_step_code`: the code of the scenario's last step when it is `exit
// code=N`. A child that reached that step reports no result, it ends, and
// how it ended is the verdict: a death (fatal error, crash, sanitizer
// report) or a hang as for any step; an exit with status N `ok`, any other
// status an `error` ("exit status 120, not 3": 120 is Py_FinalizeEx failing).
RunResult ResultFromChild(const std::string& out, const std::string& err, bool exited, int exit_code,
                          int signal, bool timed_out, std::optional<int64_t> exit_step_code = std::nullopt);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_SUPERVISE_H_
