// `endgame matrix FINDING [--python PATH...] [--endgame CMD...]`: the finding's
// reproducers and the finding itself on several CPythons (report/triage.h).
#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/triage_args.h"
#include "endgame/report/atomic_file.h"
#include "endgame/report/findings.h"
#include "endgame/report/triage.h"

namespace endgame::cli {

namespace fs = std::filesystem;

int Matrix(int argc, char** argv) {
  constexpr char kUsage[] =
      "usage: endgame matrix FINDING [--python PATH...] [--endgame CMD...] [--runs N] [--timeout-s S]\n"
      "  runs the finding's reproducer (repro.py, or repro.c for a capi finding) on each --python\n"
      "  (an interpreter or a python3-config), and the finding itself on each --endgame (an endgame\n"
      "  built against another CPython), N times each; writes FINDING/matrix.md.\n"
      "  scripts/endgame matrix FINDING, with neither, covers every CPython the machine has.";
  Args a = ParseArgs(argc, argv, {"--python", "--endgame", "--runs", "--timeout-s"});
  if (a.help) return Help(kUsage);
  int runs, timeout_s;
  if (!a.error.empty() || a.positional.size() != 1 || (!a.flags.count("--python") && !a.flags.count("--endgame")) ||
      !IntFlag(a, "--runs", 3, 1, 1000, &runs) || !IntFlag(a, "--timeout-s", 60, 1, 3600, &timeout_s)) {
    return Fail("matrix", a.error.empty() ? kUsage : absl::StrCat(a.error, "\n", kUsage));
  }
  absl::StatusOr<report::Target> t = report::LoadTarget(a.positional[0]);
  if (!t.ok()) return Fail("matrix", std::string(t.status().message()));
  if (!t->meta.ok()) return Fail("matrix", absl::StrCat(a.positional[0], " is not a finding folder (no ", report::kMetaFile, ")"));
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
  if (!have_py && !have_c && a.flags.count("--python")) {
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
  for (const std::string& cmd : a.flags["--endgame"]) add(report::EngineMatrixRow(cmd, t->folder, want, runs, timeout_s));
  for (const std::string& path : a.flags["--python"]) {
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
