// `endgame matrix FINDING [--python PATH...] [--endgame CMD...]`: the finding's
// reproducers and the finding itself on several CPythons (report/triage.h).
#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "endgame/report/atomic_file.h"
#include "endgame/report/findings.h"
#include "endgame/report/triage.h"

namespace endgame::cli {

namespace fs = std::filesystem;

int Matrix(int argc, char** argv) {
  std::unique_ptr<CLI::App> app = NewApp(
      "matrix", "FINDING [--python PATH...] [--endgame CMD...] [--runs N] [--timeout-s S]",
      "runs the finding's reproducer (repro.py, or repro.c for a capi finding) on each --python\n"
      "  (an interpreter or a python3-config), and the finding itself on each --endgame (an endgame\n"
      "  built against another CPython), N times each; writes FINDING/matrix.md.\n"
      "  scripts/endgame matrix FINDING, with neither, covers every CPython the machine has.");
  std::string target;
  std::vector<std::string> pythons, endgames;
  int runs = 3, timeout_s = 60;
  app->add_option("FINDING", target, "a finding folder")->required();
  app->add_option("--python", pythons, "CPythons for the reproducer")->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app->add_option("--endgame", endgames, "endgame commands built against other CPythons")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app->add_option("--runs", runs, "runs on each")->check(CLI::Range(1, 1000));
  app->add_option("--timeout-s", timeout_s, "seconds a run may take")->check(CLI::Range(1, 3600));
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  if (pythons.empty() && endgames.empty()) {
    std::fprintf(stderr, "endgame matrix: --python or --endgame is required\n%s", UsageLine(*app).c_str());
    return 2;
  }
  absl::StatusOr<report::Target> t = report::LoadTarget(target);
  if (!t.ok()) return Fail("matrix", std::string(t.status().message()));
  if (!t->meta.ok()) return Fail("matrix", absl::StrCat(target, " is not a finding folder (no ", report::kMetaFile, ")"));
  run::Verdict want;
  run::ParseVerdictKind(t->meta->verdict_kind, &want.kind);
  want.detail = t->meta->detail;
  std::string py = (fs::path(t->folder) / report::kReproPyFile).string();
  std::string c = (fs::path(t->folder) / report::kReproCFile).string();
  // The reproducer faithful to the finding's driver, only: repro.c's C API
  // calls cannot reach an interpreters-driver finding's code path, and a capi
  // finding's repro.py is a translation.
  const bool capi = t->scenario.driver == scenario::Driver::kCapi;
  const bool have_py = !capi && fs::exists(py), have_c = capi && fs::exists(c);
  if (!have_py && !have_c && !pythons.empty()) {
    return Fail("matrix", absl::StrCat("no ", capi ? report::kReproCFile : report::kReproPyFile, " in the finding (driver ",
                                       capi ? "capi" : "interpreters", "): run `endgame repro` first"),
                1);
  }
  std::string md = absl::StrCat("| CPython | build | reproducer | reproduced | outcomes |\n|---|---|---|---|---|\n");
  auto add = [&md](const report::MatrixRow& row) {
    absl::StrAppend(&md, row.md);
    if (row.line.empty()) return;
    std::printf("%s\n", row.line.c_str());
    std::fflush(stdout);
  };
  for (const std::string& cmd : endgames) add(report::EngineMatrixRow(cmd, t->folder, want, runs, timeout_s));
  for (const std::string& path : pythons) {
    absl::Status s = report::ReproMatrixRows(path, t->folder, want, have_py ? py : "", have_c ? c : "", runs,
                                             timeout_s, add);
    if (!s.ok()) return Fail("matrix", s.ToString(), 1);
  }
  std::string out = (fs::path(t->folder) / report::kMatrixFile).string();
  absl::Status w = report::WriteFileAtomically(
      out, absl::StrCat("Finding ", t->meta->signature, ": ", t->meta->verdict, "\n\n", md));
  if (!w.ok()) return Fail("matrix", w.ToString(), 1);
  std::printf("wrote %s\n", out.c_str());
  return 0;
}

}  // namespace endgame::cli
