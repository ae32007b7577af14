// `endgame replay FILE|FINDING [--runs N] [--json]`: reruns a scenario or a
// finding in fresh processes and gives its reproduction rate (report/triage.h).
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "endgame/report/triage.h"

namespace endgame::cli {

int Replay(int argc, char** argv) {
  std::unique_ptr<CLI::App> app = NewApp("replay", "FILE|FINDING [--runs N] [--json]",
                                         "rerun in fresh processes; reproduction rate");
  std::string target;
  int runs = 10;
  bool json = false;
  app->add_option("FILE|FINDING", target, "a scenario file or a finding folder")->required();
  app->add_option("--runs", runs, "fresh runs")->check(CLI::Range(1, 10000));
  app->add_flag("--json", json, "one JSON object (what `endgame matrix` reads)");
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  absl::StatusOr<report::Target> t = report::LoadTarget(target);
  if (!t.ok()) return Fail("replay", std::string(t.status().message()));
  absl::StatusOr<report::ReplayStats> st =
      report::ReplayTarget(&*t, runs, [&](int i, const run::RunResult& r) {
        if (json) return;
        std::printf("\rrun %d/%d: %s\033[K", i, runs, r.verdict.ToString().c_str());
        std::fflush(stdout);
      });
  if (!st.ok()) return Fail("replay", st.status().ToString(), 1);
  if (json) {
    std::printf("%s\n", report::ReplayJson(*st).c_str());
    return 0;
  }
  std::printf("\rreproduced %d/%d (%.0f%%)%s\033[K\n", st->reproduced, runs, 100.0 * st->reproduced / runs,
              st->signature.empty()
                  ? " (no finding to match)"
                  : absl::StrCat(", cause ", st->cause, " (signature ", st->signature, ")").c_str());
  for (const auto& [k, n] : st->verdicts) std::printf("  %4d  %s\n", n, k.c_str());
  return 0;
}

}  // namespace endgame::cli
