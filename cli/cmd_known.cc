// `endgame known [DIR] [--runs N] [--json]`: the known findings on this CPython.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "endgame/base/json.h"
#include "endgame/report/findings.h"
#include "endgame/report/triage.h"

namespace endgame::cli {

namespace fs = std::filesystem;

// `endgame known [DIR] [--runs N] [--json]`: each known finding (DIR,
// default corpus/known) run on the embedded CPython and judged against its
// `expect` line and its `# fixed-in:` line. Exit 1 when one behaves other than
// recorded: it stopped reproducing with no fix recorded, or reproduces again
// where it is recorded as fixed.
int Known(int argc, char** argv) {
  std::unique_ptr<CLI::App> app = NewApp(
      "known", "[DIR] [--runs N] [--json]",
      "runs each known finding (DIR/*.scn, default corpus/known) N times (default 1) on this\n"
      "  CPython and says whether it still reproduces, is fixed here (its `# fixed-in:` line),\n"
      "  or does not apply (its `requires` line); exit 1 when one is not as recorded");
  std::string dir = "corpus/known";
  int runs = 1;
  bool json = false;
  app->add_option("DIR", dir, "the known findings' folder");
  app->add_option("--runs", runs, "runs of each")->check(CLI::Range(1, 1000));
  app->add_flag("--json", json, "one JSON array");
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Fail("known", absl::StrCat(dir, ": not a directory of known findings"));
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".scn") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) return Fail("known", absl::StrCat(dir, ": no .scn files"));
  JsonWriter j;
  j.BeginArray();
  int unexpected = 0;
  for (const std::string& file : files) {
    absl::StatusOr<report::Target> t = report::LoadTarget(file);
    if (!t.ok()) return Fail("known", std::string(t.status().message()));
    const std::string fixed_in = report::KnownFixedIn(t->text);
    int met = 0;
    run::RunResult last;
    for (int i = 0; i < runs; ++i) {
      absl::StatusOr<run::RunResult> r = report::RunOnce(t->file, t->scenario);
      if (!r.ok()) return Fail("known", absl::StrCat(file, ": ", r.status().ToString()), 1);
      met += r->expectation_met;
      last = *std::move(r);
    }
    const std::string version = last.python.substr(0, last.python.find(' '));
    const bool fixed_here = !fixed_in.empty() && report::VersionAtLeast(version, fixed_in);
    std::string status, line;
    const std::string sig = fs::path(file).stem().string().substr(0, 12);
    const std::string rate = absl::StrCat(met, "/", runs);
    if (last.verdict.kind == run::VerdictKind::kSkipped) {
      status = "does not apply";
      line = absl::StrCat(sig, ": does not apply to ", version, " (", last.verdict.ToString(), ")");
    } else if (met > 0 && !fixed_here) {
      status = "reproduces";
      line = absl::StrCat(sig, ": still reproduces on ", version, " (", rate, ", ", last.verdict.ToString(), ")");
    } else if (met == 0 && fixed_here) {
      status = "fixed";
      line = absl::StrCat(sig, ": fixed in ", version, " (fixed from ", fixed_in, "; expected ", last.expected,
                          ", now ", last.verdict.ToString(), ")");
    } else if (met > 0) {
      status = "regressed";
      ++unexpected;
      line = absl::StrCat(sig, ": reproduces again on ", version, " (", rate, ", ", last.verdict.ToString(),
                          ") although recorded as fixed from ", fixed_in, "; replay: endgame replay ", file);
    } else {
      status = "no longer reproduces";
      ++unexpected;
      line = absl::StrCat(sig, ": no longer reproduces on ", version, " (expected ", last.expected, ", now ",
                          last.verdict.ToString(), ") and no fix is recorded (`# fixed-in:`); replay: endgame replay ",
                          file);
    }
    if (json) {
      j.BeginObject();
      j.Key("file");
      j.String(file);
      j.Key("status");
      j.String(status);
      j.Key("python");
      j.String(last.python);
      j.Key("fixed_in");
      j.String(fixed_in);
      j.Key("expectation_met");
      j.Int(met);
      j.Key("runs");
      j.Int(runs);
      j.Key("verdict");
      j.String(last.verdict.ToString());
      j.EndObject();
    } else {
      std::printf("  %s\n", line.c_str());
      std::fflush(stdout);
    }
  }
  j.EndArray();
  if (json) std::printf("%s\n", j.str().c_str());
  return unexpected ? 1 : 0;
}

}  // namespace endgame::cli
