// `endgame triage FILE... [--runs N] [--out DIR] [--known DIR]`: runs scenarios
// (e.g. fuzzer artifacts) until they give a finding, and records it.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "endgame/report/findings.h"
#include "endgame/report/triage.h"
#include "endgame/scenario/strategies.h"

namespace endgame::cli {

int Triage(int argc, char** argv) {
  report::FindingStoreOptions so;
  std::unique_ptr<CLI::App> app = NewApp(
      "triage", "FILE... [--runs N] [--out DIR] [--known DIR]",
      "runs each scenario supervised up to N times (default 3) until it gives a finding,\n"
      "  and records that finding under --out (default out/findings)");
  std::vector<std::string> files;
  int runs = 3;
  app->add_option("FILE", files, "scenarios (e.g. fuzzer artifacts decoded)")->required();
  app->add_option("--runs", runs, "runs of each at most")->check(CLI::Range(1, 1000));
  app->add_option("--out", so.root, "the finding store");
  app->add_option("--known", so.known_dir, "known findings (marked known)");
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  report::FindingStore store(so);
  int bad = 0;
  for (const std::string& file : files) {
    absl::StatusOr<report::Target> t = report::LoadTarget(file);
    if (!t.ok()) {
      std::fprintf(stderr, "endgame triage: %s\n", std::string(t.status().message()).c_str());
      ++bad;
      continue;
    }
    int i = 0;
    absl::StatusOr<run::RunResult> r = report::RunUntilFinding(*t, runs, &i);
    if (!r.ok()) return Fail("triage", r.status().ToString(), 1);
    if (!report::IsFinding(*r)) {
      std::printf("%s: %s in %d run%s: no finding%s\n", file.c_str(), r->verdict.ToString().c_str(), i,
                  i == 1 ? "" : "s",
                  r->expected_reason.empty() ? "" : absl::StrCat(" (expected: ", r->expected_reason, ")").c_str());
      continue;
    }
    absl::StatusOr<report::FindingMeta> meta = store.Record(*r, t->text, scenario::StrategyWord(t->scenario.strategy));
    if (!meta.ok()) return Fail("triage", meta.status().ToString(), 1);
    const std::string folder = store.Folder(r->signature);
    std::printf("%s: %s [%s] on run %d%s\n  finding: %s\n  stacks: %s/%s\n  replay: endgame replay %s/%s\n",
                file.c_str(), r->verdict.ToString().c_str(), r->signature.c_str(), i, meta->known ? " (known)" : "",
                folder.c_str(), folder.c_str(), report::kStacksFile, folder.c_str(), report::kScenarioFile);
    // The first lines of the stacks: where it happened, at a glance.
    std::vector<absl::string_view> lines = absl::StrSplit(r->stacks, '\n');
    for (size_t k = 0; k < lines.size() && k < 12; ++k) std::printf("    %s\n", std::string(lines[k]).c_str());
  }
  return bad ? 2 : 0;
}

}  // namespace endgame::cli
