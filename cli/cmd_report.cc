// `endgame report FINDING`: writes report.md in CPython's bug report form.
#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "endgame/report/atomic_file.h"
#include "endgame/report/findings.h"
#include "endgame/report/triage.h"
#include "endgame/report/upstream.h"
#include "endgame/run/result.h"

namespace endgame::cli {

namespace fs = std::filesystem;

int Report(int argc, char** argv) {
  std::unique_ptr<CLI::App> app = NewApp("report", "FINDING", "write report.md in CPython's bug report form");
  std::string target;
  app->add_option("FINDING", target, "a finding folder")->required();
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  absl::StatusOr<report::Target> t = report::LoadTarget(target);
  if (!t.ok()) return Fail("report", std::string(t.status().message()));
  if (!t->meta.ok()) return Fail("report", absl::StrCat(target, " is not a finding folder (no ", report::kMetaFile, ")"));
  report::ReportInputs in;
  in.meta = *t->meta;
  in.scenario_text = t->text;
  auto read = [&](const char* name) {
    absl::StatusOr<std::string> s = report::ReadFile((fs::path(t->folder) / name).string());
    return s.ok() ? *s : std::string();
  };
  in.repro_py = read(report::kReproPyFile);
  in.repro_c = read(report::kReproCFile);
  in.matrix_md = read(report::kMatrixFile);
  in.stacks = read(report::kStacksFile);
  in.os = report::DescribeOs();
  in.capi = t->scenario.driver == scenario::Driver::kCapi;
  {
    absl::StatusOr<run::RunResult> r = run::FromJson(read(report::kResultFile));
    if (r.ok()) in.guilty_thread = r->guilty_thread;
  }
  if (!t->meta->known_file.empty()) {
    absl::StatusOr<std::string> known = report::ReadFile(t->meta->known_file);
    for (absl::string_view line : absl::StrSplit(known.ok() ? *known : "", '\n')) {
      if (absl::ConsumePrefix(&line, "# resembles:")) in.resembles.emplace_back(absl::StripAsciiWhitespace(line));
    }
  }
  std::string out = (fs::path(t->folder) / report::kReportFile).string();
  absl::Status w = report::WriteFileAtomically(out, report::UpstreamReport(in));
  if (!w.ok()) return Fail("report", w.ToString(), 1);
  std::printf("wrote %s\n", out.c_str());
  return 0;
}

}  // namespace endgame::cli
