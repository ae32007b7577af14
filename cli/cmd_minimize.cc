// `endgame minimize FILE|FINDING ...`: shrinks a finding's scenario while it
// reproduces (report/minimize.h, report/triage.h's MinimizePredicate).
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "endgame/report/atomic_file.h"
#include "endgame/report/cause.h"
#include "endgame/report/findings.h"
#include "endgame/report/minimize.h"
#include "endgame/report/repro_run.h"
#include "endgame/report/triage.h"
#include "endgame/scenario/text.h"

namespace endgame::cli {

namespace fs = std::filesystem;

int Minimize(int argc, char** argv) {
  std::unique_ptr<CLI::App> app = NewApp(
      "minimize", "FILE|FINDING [--runs N] [--rate R] [--budget-s S] [--out FILE]",
      "shrinks the scenario while the same root cause reproduces in at least R of N fresh runs\n"
      "  (default 0.5 of 2); after S seconds (default: no limit) the smallest so far is kept.\n"
      "  A crash, fatal error or sanitizer report on driver interpreters is kept only while its\n"
      "  repro.py shows the same failure too, run with --repro-python (default: the embedded\n"
      "  CPython's interpreter; 'none' turns this off)");
  std::string target, out, repro_flag = ENDGAME_PYTHON_CONFIG_PATH;
  int runs = 2, budget_s = 0;
  double rate = 0.5;
  app->add_option("FILE|FINDING", target, "a scenario file or a finding folder")->required();
  app->add_option("--runs", runs, "fresh runs per candidate")->check(CLI::Range(1, 100));
  app->add_option("--rate", rate, "share of them that must reproduce")->check(CLI::PositiveNumber & CLI::Range(0.0, 1.0));
  app->add_option("--budget-s", budget_s, "seconds before the smallest so far is kept (0: no limit)")
      ->check(CLI::Range(0, 86400));
  app->add_option("--out", out, "where to write")->default_str("the folder's scenario.scn, or FILE.min.scn");
  app->add_option("--repro-python", repro_flag, "python3 or python3-config for the repro.py check; none: no check");
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  absl::StatusOr<report::Target> t = report::LoadTarget(target);
  if (!t.ok()) return Fail("minimize", std::string(t.status().message()));
  // A candidate is kept while the same root cause reproduces (not the same
  // raw signature: a shorter scenario may die one frame away).
  std::string want = t->meta.ok() ? t->meta->signature : "";
  std::string want_cause = t->meta.ok() ? t->meta->cause : "";
  run::Verdict finding;
  bool have_verdict = t->meta.ok() && run::ParseVerdictKind(t->meta->verdict_kind, &finding.kind);
  if (have_verdict) finding.detail = t->meta->detail;
  if (want.empty() || want_cause.empty() || !have_verdict) {
    absl::StatusOr<run::RunResult> r = report::RunOnce(t->file, t->scenario);
    if (!r.ok()) return Fail("minimize", r.status().ToString(), 1);
    if (!report::IsFinding(*r)) {
      return Fail("minimize",
                  absl::StrCat(t->file, " gives '", r->verdict.ToString(), "'",
                               r->expected_reason.empty() ? "" : absl::StrCat(", expected: ", r->expected_reason),
                               ": nothing to minimize"),
                  1);
    }
    if (want.empty()) want = r->signature;
    want_cause = report::CauseOf(*r, &t->scenario).key;
    finding = r->verdict;
  }
  // The plain-Python check of every kept candidate (driver interpreters, a
  // finding that ends the process): the minimized repro.py must reproduce too.
  report::MinimizeGoal goal;
  const bool ends_process = finding.kind == run::VerdictKind::kCrash || finding.kind == run::VerdictKind::kFatal ||
                            finding.kind == run::VerdictKind::kSanitizer;
  if (t->scenario.driver == scenario::Driver::kInterpreters && ends_process && repro_flag != "none") {
    absl::StatusOr<report::PythonBuild> b = report::ResolvePython(repro_flag);
    if (!b.ok()) return Fail("minimize", absl::StrCat("--repro-python ", repro_flag, ": ", b.status().message()));
    goal.repro_python = *b;
  }
  goal.signature = want;
  goal.cause = want_cause;
  goal.finding = finding;
  goal.runs = runs;
  goal.rate = rate;
  if (budget_s > 0) goal.deadline = absl::Now() + absl::Seconds(budget_s);
  report::MinimizeStats stats;
  scenario::Scenario best;
  bool over_budget;
  {
    report::MinimizePredicate still_fails(goal);
    std::printf("minimizing %s (cause %s, signature %s; %d/%d runs must reproduce%s)\n", t->file.c_str(),
                want_cause.c_str(), want.c_str(), still_fails.need(), runs,
                goal.repro_python ? absl::StrCat(", and repro.py with ", goal.repro_python->interpreter).c_str() : "");
    best = report::Minimize(
        t->scenario, [&](const scenario::Scenario& c) { return still_fails(c); },
        [](const std::string& m) { std::printf("  %s\n", m.c_str()); std::fflush(stdout); }, &stats);
    over_budget = still_fails.over_budget();
  }
  std::string text = scenario::PrintScenario(best);
  if (out.empty()) out = t->folder.empty() ? t->file + ".min.scn" : (fs::path(t->folder) / report::kScenarioFile).string();
  absl::Status w = report::WriteFileAtomically(out, text);
  if (!w.ok()) return Fail("minimize", w.ToString(), 1);
  if (t->meta.ok()) {
    t->meta->minimized = true;
    (void)report::SaveMeta(t->folder, *t->meta);
  }
  std::printf("minimized: %zu -> %zu steps, %zu -> %zu bytes (%d candidates run, %d kept%s)\nwrote %s\n",
              t->scenario.steps.size(), best.steps.size(), t->text.size(), text.size(), stats.tested, stats.accepted,
              over_budget ? absl::StrCat("; stopped at the ", budget_s, " s budget").c_str() : "", out.c_str());
  return 0;
}

}  // namespace endgame::cli
