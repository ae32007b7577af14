// File: endgame/report/repro_run.h
//
// Running reproducers outside endgame: resolve a CPython from an interpreter
// or python3-config path, build repro.c against it, run repro.py / repro
// under a timeout, and read the outcome back as a verdict comparable to the
// finding's.
#ifndef ENDGAME_REPORT_REPRO_RUN_H_
#define ENDGAME_REPORT_REPRO_RUN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "endgame/run/verdict.h"

namespace endgame::report {

struct PythonBuild {
  std::string interpreter;  // .../bin/python3.13
  std::string config;       // .../bin/python3.13-config ("" when absent)
  std::string version;      // "3.13.15"
  std::string build;        // "release" | "debug"
  std::string libdir;       // for the rpath of repro.c
  // A command prefix that runs the rest inside the CPython's system: the
  // sid root's CPythons 3.14/3.15 need glibc 2.38, so repro.c is compiled
  // and run there. Empty on the host. It is the executable `.endgame-runner`
  // beside the interpreter, when there is one (scripts/lib/common.sh's
  // root_python_wrapper writes it with the interpreter's wrapper).
  std::vector<std::string> runner;
};

// From a python3-config or an interpreter path (either finds the other).
absl::StatusOr<PythonBuild> ResolvePython(const std::string& path);

// The outcome of one reproducer run.
struct ReproOutcome {
  run::Verdict verdict;
  std::string last_step;  // the step it was in ("" if none printed)
  std::string output;     // stdout + stderr, for the report
  // The reproducer could not run on this CPython (an uncaught ImportError:
  // `_interpreters` is 3.13+): the last line of its stderr. Not an outcome
  // of the bug either way.
  std::string cannot_run;
  // A crash's own words: a failed C assertion ("crossinterp.c:1692:
  // _PyXI_ApplyCapturedException: Assertion `session->error != NULL'
  // failed."), the file without its directories. "" when there are none.
  std::string evidence;
};

// Runs `python repro.py` once.
absl::StatusOr<ReproOutcome> RunReproPy(const PythonBuild& python, const std::string& repro_py,
                                        absl::Duration timeout);
// Builds repro.c into `binary` against `python`.
absl::Status BuildReproC(const PythonBuild& python, const std::string& repro_c, const std::string& binary);
// Runs a binary BuildReproC made for `python`, once.
absl::StatusOr<ReproOutcome> RunReproBinary(const PythonBuild& python, const std::string& binary,
                                            absl::Duration timeout);

// Whether an outcome shows the same failure as a finding's verdict: the same
// kind, and for fatal errors the same message (leaks: the same resource).
bool SameFailure(const run::Verdict& finding, const run::Verdict& outcome);

}  // namespace endgame::report

#endif  // ENDGAME_REPORT_REPRO_RUN_H_
