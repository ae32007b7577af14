// `endgame replay FILE|FINDING [--runs N] [--json]`: reruns a scenario or a
// finding in fresh processes and gives its reproduction rate (report/triage.h).
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/triage_args.h"
#include "endgame/report/triage.h"

namespace endgame::cli {

int Replay(int argc, char** argv) {
  constexpr char kUsage[] = "usage: endgame replay FILE|FINDING [--runs N] [--json]";
  Args a = ParseArgs(argc, argv, {"--runs", "--json"});
  if (a.help) return Help(kUsage);
  int runs;
  if (!a.error.empty() || a.positional.size() != 1 || !IntFlag(a, "--runs", 10, 1, 10000, &runs)) {
    return Fail("replay", a.error.empty() ? kUsage : absl::StrCat(a.error, "\n", kUsage));
  }
  absl::StatusOr<report::Target> t = report::LoadTarget(a.positional[0]);
  if (!t.ok()) return Fail("replay", std::string(t.status().message()));
  const bool json = a.flags.count("--json") > 0;
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
