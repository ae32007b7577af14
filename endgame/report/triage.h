// File: endgame/report/triage.h
//
// What the triage commands (`endgame replay`, `triage`, `known`, `minimize`,
// `matrix`) compute, without their flags or printing: a target (a scenario
// file or a finding folder), supervised reruns of it and their statistics,
// the retry loop that runs a scenario until it gives a finding, the minimizer's
// "still fails" predicate, and the version matrix's rows.
//
// Example:
//   absl::StatusOr<Target> t = LoadTarget("out/findings/3f2a9c/");
//   absl::StatusOr<ReplayStats> s = ReplayTarget(&*t, 10, nullptr);
//   std::printf("%s\n", ReplayJson(*s).c_str());
#ifndef ENDGAME_REPORT_TRIAGE_H_
#define ENDGAME_REPORT_TRIAGE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "endgame/report/findings.h"
#include "endgame/report/repro_run.h"
#include "endgame/run/result.h"
#include "endgame/scenario/scenario.h"

namespace endgame::report {

// A scenario file, or a finding folder and its scenario.scn.
struct Target {
  std::string file;    // the scenario file
  std::string folder;  // the finding folder, "" when FILE is not in one
  scenario::Scenario scenario;
  std::string text;
  absl::StatusOr<FindingMeta> meta = absl::NotFoundError("no meta.json");
};

// LoadTarget() reads a scenario file or a finding folder (its scenario.scn;
// a file beside a meta.json is in that folder).
absl::StatusOr<Target> LoadTarget(const std::string& arg);

// RunOnce() runs `file` once, supervised, by this process's executable
// (`endgame run FILE --child`).
absl::StatusOr<run::RunResult> RunOnce(const std::string& file, const scenario::Scenario& s);

// ReplayStats: how `runs` fresh runs of a target ended. A run reproduces the
// finding when it has the same root cause (report/cause.h) or signature.
struct ReplayStats {
  std::string signature, cause;  // the finding's, or the first run's that gave one
  int reproduced = 0;
  int runs = 0;
  std::map<std::string, int> verdicts;            // "verdict  [signature]" -> runs
  std::map<std::string, run::Verdict> verdict_of;  // verdicts' keys
};

// ReplayTarget() runs the target `runs` times, calling `on_run` (when set)
// with the run's number from 1 and its result after each, and records the
// reproduction rate in the finding's meta.json when it has one.
absl::StatusOr<ReplayStats> ReplayTarget(Target* t, int runs,
                                         const std::function<void(int, const run::RunResult&)>& on_run);
// ReplayJson() is `endgame replay --json`'s object.
std::string ReplayJson(const ReplayStats& stats);

// RunUntilFinding() runs the target up to `max_runs` times and stops at the
// first finding; `*runs_done` says how many ran. An error when a run could not.
absl::StatusOr<run::RunResult> RunUntilFinding(const Target& t, int max_runs, int* runs_done);

// MinimizeGoal: what a candidate of the minimizer must reproduce.
struct MinimizeGoal {
  std::string signature, cause;  // a run reproduces with either
  run::Verdict finding;          // the finding's verdict, for repro.py
  int runs = 2;                  // fresh runs per candidate
  double rate = 0.5;             // of which at least this share must reproduce
  // When set, every kept candidate's repro.py must show the same failure too.
  std::optional<PythonBuild> repro_python;
  absl::Time deadline = absl::InfiniteFuture();  // no candidate is kept past it
};

// MinimizePredicate: the minimizer's StillFails for a goal; writes each
// candidate to scratch files in the temporary folder, removed on destruction.
class MinimizePredicate {
 public:
  explicit MinimizePredicate(MinimizeGoal goal);
  ~MinimizePredicate();
  MinimizePredicate(const MinimizePredicate&) = delete;
  MinimizePredicate& operator=(const MinimizePredicate&) = delete;

  bool operator()(const scenario::Scenario& candidate);
  int need() const { return need_; }  // reproducing runs needed of goal.runs
  bool over_budget() const { return over_budget_; }

 private:
  bool ReproReproduces(const scenario::Scenario& c);

  MinimizeGoal goal_;
  int need_;
  bool over_budget_ = false;
  std::string scratch_, scratch_py_;
};

// A row of the version matrix (FINDING/matrix.md) and its progress line.
struct MatrixRow {
  std::string md;    // "| CPython | build | reproducer | reproduced | outcomes |" row, with "\n"
  std::string line;  // "3.13.1 release repro.py: 2/3 (...)"; "" when nothing was run
};

// EngineMatrixRow() is the finding run by an endgame built against another
// CPython: `endgame_cmd doctor --json`, then `replay FOLDER --runs N --json`.
MatrixRow EngineMatrixRow(const std::string& endgame_cmd, const std::string& folder, const run::Verdict& want,
                          int runs, int timeout_s);

// ReproMatrixRows() runs the finding's reproducers (repro.py when `py` is
// set, repro.c when `c` is) on the CPython of `python_path`, `runs` times each,
// calling `on_row` with each row as it is done. An error when a reproducer
// could not be run at all.
absl::Status ReproMatrixRows(const std::string& python_path, const std::string& folder, const run::Verdict& want,
                             const std::string& py, const std::string& c, int runs, int timeout_s,
                             const std::function<void(const MatrixRow&)>& on_row);

}  // namespace endgame::report

#endif  // ENDGAME_REPORT_TRIAGE_H_
