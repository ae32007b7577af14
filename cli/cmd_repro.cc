// `endgame repro FILE|FINDING [--out DIR]`: writes repro.py and/or repro.c.
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "endgame/report/atomic_file.h"
#include "endgame/report/findings.h"
#include "endgame/report/repro.h"
#include "endgame/report/triage.h"
#include "endgame/report/upstream.h"

namespace endgame::cli {

namespace fs = std::filesystem;

int Repro(int argc, char** argv) {
  std::unique_ptr<CLI::App> app = NewApp("repro", "FILE|FINDING [--out DIR]", "write repro.py and/or repro.c");
  std::string target, out;
  app->add_option("FILE|FINDING", target, "a scenario file or a finding folder")->required();
  CLI::Option* out_flag =
      app->add_option("--out", out, "where to write them")->default_str("the finding folder, or FILE's folder");
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  absl::StatusOr<report::Target> t = report::LoadTarget(target);
  if (!t.ok()) return Fail("repro", std::string(t.status().message()));
  std::string dir = out_flag->count() > 0 ? out
                    : t->folder.empty() ? fs::path(t->file).parent_path().string() : t->folder;
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::create_directories(dir, ec);  // --out may name a folder that does not exist yet
  if (ec) return Fail("repro", absl::StrCat("cannot create ", dir, ": ", ec.message()), 1);
  std::string title = t->meta.ok() ? report::ReportTitle(*t->meta)
                                   : absl::StrCat("Reproducer for ", t->file);
  run::Verdict finding;
  const bool have_finding = t->meta.ok() && run::ParseVerdictKind(t->meta->verdict_kind, &finding.kind);
  finding.detail = t->meta.ok() ? t->meta->detail : "";
  int written = 0;
  const run::Verdict* f = have_finding ? &finding : nullptr;
  for (auto [name, code] : {std::pair<std::string, absl::StatusOr<std::string>>{report::kReproPyFile,
                                                                                report::ReproPy(t->scenario, title, f)},
                            {report::kReproCFile, report::ReproC(t->scenario, title, f)}}) {
    std::string path = (fs::path(dir) / name).string();
    if (!code.ok()) {
      std::printf("%s: not written (%s)\n", name.c_str(), std::string(code.status().message()).c_str());
      continue;
    }
    absl::Status w = report::WriteFileAtomically(path, *code);
    if (!w.ok()) return Fail("repro", w.ToString(), 1);
    ++written;
    std::printf("wrote %s\n", path.c_str());
  }
  return written > 0 ? 0 : 1;
}

}  // namespace endgame::cli
