// File: cli/cmd_compare.cc
//
// `endgame compare [--minutes M] [--strategies cache,dedicated] ...`: the
// strategy comparison report (DESIGN.md §7). Three phases, then the report:
//   1. campaign: the scenario set (corpus/**/*.scn that parse, plus the
//      built-in set in bench/scenarios/, then generated scenarios while time
//      remains) under every strategy, each run supervised (stress/campaign.h),
//      for --minutes;
//   2. benchmarks: endgame_bench, group by group (bench/compare_plan.h);
//   3. stability: the teardown/*/idle groups --stability-runs more times, run
//      after run and then in --stability-slices interleaved slices
//      (bench/compare_plan.h);
//   4. scripts/plots/report.py (Debian's matplotlib, /usr/bin/python3) turns
//      <out>/raw/ into <out>/index.html, <out>/report.md and PNGs, and with
//      --docs also writes docs/results.md.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/compare_plan.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/progress.h"
#include "endgame/base/subprocess.h"
#include "endgame/report/atomic_file.h"
#include "endgame/scenario/strategies.h"
#include "stress/campaign.h"

#ifndef ENDGAME_SOURCE_DIR
#define ENDGAME_SOURCE_DIR "."
#endif

namespace endgame::cli {
namespace {

namespace fs = std::filesystem;

// Set by SIGINT/SIGTERM: the campaign stops (killing its children), no further
// benchmark group starts, and the report is written from what exists.
std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop = true; }

struct Flags {
  stress::CampaignOptions campaign;
  std::string strategies = scenario::DefaultStrategyList();  // the table's default set
  std::string out = "out/report";
  bench::BenchPlanOptions plan;  // plan.bench "": beside this binary's build
  std::string python = "/usr/bin/python3";  // with Debian's python3-matplotlib
  std::string docs;        // write docs/results.md here too
  bool no_bench = false;
  bool no_campaign = false;
};

void Note(const std::string& msg) {
  std::fprintf(stderr, "[compare] %s\n", msg.c_str());
  std::fflush(stderr);
}

// The flags, into `f` (whose values are the defaults).
std::unique_ptr<CLI::App> NewCompareApp(Flags* f) {
  std::unique_ptr<CLI::App> app = NewApp(
      "compare",
      "[--minutes M] [--strategies cache,dedicated|all|W,...] [--out DIR] [--jobs J]\n"
      "                       [--reps N] [--cycles N] [--stability-runs N] [--stability-slices N] [--seed S]\n"
      "                       [--corpus DIR] [--bench PATH] [--python PATH] [--docs FILE] [--no-bench]\n"
      "                       [--no-campaign]",
      "benchmarks + campaign per strategy: the comparison report");
  app->add_option("--minutes", f->campaign.minutes, "the campaign's length (0: none)")
      ->check(CLI::Range(0.0, 24.0 * 60));
  app->add_option("--strategies", f->strategies, "strategy words or specs, comma-separated; all: every built-in");
  app->add_option("--out", f->out, "the report's folder (raw data in DIR/raw)");
  app->add_option("--jobs", f->campaign.jobs, "campaign children at once")->check(CLI::Range(1, 64));
  app->add_option("--reps", f->plan.reps, "samples per latency figure")->check(CLI::PositiveNumber);
  app->add_option("--cycles", f->plan.cycles, "cycles per memory-growth slope")
      ->check(CLI::Range(10, std::numeric_limits<int>::max()));
  app->add_option("--stability-runs", f->plan.stability_runs, "extra runs of teardown/*/idle")
      ->check(CLI::NonNegativeNumber);
  app->add_option("--stability-slices", f->plan.stability_slices, "processes per interleaved stability run")
      ->check(CLI::PositiveNumber);
  app->add_option("--seed", f->campaign.seed, "the campaign generator's seed");
  app->add_option("--corpus", f->campaign.corpus_dir, "the campaign's corpus");
  app->add_option("--bench", f->plan.bench, "endgame_bench")->default_str("beside this binary's build");
  app->add_option("--python", f->python, "the python3 with matplotlib for scripts/plots/report.py");
  app->add_option("--docs", f->docs, "also write this docs/results.md");
  app->add_flag("--no-bench", f->no_bench, "no benchmarks");
  app->add_flag("--no-campaign", f->no_campaign, "no campaign");
  return app;
}

}  // namespace

int Compare(int argc, char** argv) {
  Flags f;
  f.plan.stop = &g_stop;
  f.plan.on_note = Note;
  f.campaign.minutes = 2;
  f.campaign.jobs = 1;  // children one at a time: the machine is shared with the benchmarks' numbers
  f.campaign.seed = 1;  // the same generated scenarios every time
  f.campaign.corpus_dir = fs::path(ENDGAME_SOURCE_DIR) / "corpus";
  f.campaign.known_dir = fs::path(ENDGAME_SOURCE_DIR) / "corpus" / "known";
  std::unique_ptr<CLI::App> app = NewCompareApp(&f);
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  absl::StatusOr<std::vector<stress::CampaignStrategy>> strategies = stress::ParseStrategies(f.strategies);
  if (!strategies.ok()) {
    std::fprintf(stderr, "endgame compare: %s\n%s", std::string(strategies.status().message()).c_str(),
                 UsageLine(*app).c_str());
    return 2;
  }
  absl::StatusOr<std::string> exe = SelfExe();
  if (!exe.ok()) {
    std::fprintf(stderr, "endgame compare: %s\n", exe.status().ToString().c_str());
    return 1;
  }
  if (f.plan.bench.empty()) f.plan.bench = (fs::path(*exe).parent_path().parent_path() / "bench" / "endgame_bench").string();
  if (!f.no_bench && access(f.plan.bench.c_str(), X_OK) != 0) {
    std::fprintf(stderr,
                 "endgame compare: no benchmark binary at %s\n"
                 "  build it: cmake -DENDGAME_BUILD_BENCHMARKS=ON <build> && cmake --build <build> --target "
                 "endgame_bench\n  (scripts/endgame compare does both), or pass --bench PATH or --no-bench\n",
                 f.plan.bench.c_str());
    return 2;
  }
  fs::path out(f.out), raw = out / "raw";
  std::error_code ec;
  fs::remove_all(raw, ec);
  for (const char* sub : {"bench", "bench-malloc", "stability", "stability-interleaved"}) {
    fs::create_directories(raw / sub, ec);
  }
  if (ec) {
    std::fprintf(stderr, "endgame compare: cannot create %s: %s\n", raw.string().c_str(), ec.message().c_str());
    return 1;
  }
  int failures = 0;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  if (!f.no_campaign && f.campaign.minutes > 0) {
    f.campaign.strategies = *strategies;
    f.campaign.exe = *exe;
    f.campaign.corpus_dir =
        bench::CollectScenarios(f.plan, f.campaign.corpus_dir, fs::path(ENDGAME_SOURCE_DIR) / "bench" / "scenarios", raw);
    f.campaign.out_dir = (out / "campaign").string();
    Note(absl::StrCat("campaign: ", f.campaign.minutes, " min, strategies ", f.strategies, ", seed ",
                      f.campaign.seed));
    f.campaign.stop = &g_stop;
    ShowProgress(&f.campaign);
    stress::CampaignSummary s = stress::RunCampaign(f.campaign);
    EndProgress();
    std::printf("%s", stress::FormatSummary(s).c_str());
    std::fflush(stdout);
    absl::Status w = report::WriteFileAtomically((raw / "campaign.json").string(), stress::SummaryJson(s));
    if (!w.ok()) {
      Note(w.ToString());
      ++failures;
    }
  }
  if (!f.no_bench) failures += bench::RunBenchmarks(f.plan, raw);

  if (g_stop) {
    Note("interrupted: writing the report from what was measured");
    (void)report::WriteFileAtomically((raw / "interrupted").string(), "interrupted by a signal\n");
  }
  std::string cmdline = "endgame compare";
  for (int i = 1; i < argc; ++i) absl::StrAppend(&cmdline, " ", argv[i]);
  ChildOptions c;
  c.argv = {f.python, (fs::path(ENDGAME_SOURCE_DIR) / "scripts" / "plots" / "report.py").string(),
            "--raw", raw.string(), "--out", out.string(), "--command", cmdline};
  if (!f.docs.empty()) c.argv.insert(c.argv.end(), {"--docs", f.docs});
  c.timeout = absl::Minutes(10);
  absl::StatusOr<ChildResult> r = RunChild(c);
  if (!r.ok() || !r->exited || r->exit_code != 0) {
    std::fprintf(stderr, "endgame compare: the report script failed: %s\n%s%s\n",
                 r.ok() ? absl::StrCat("exit ", r->exit_code).c_str() : r.status().ToString().c_str(),
                 r.ok() ? r->out.c_str() : "", r.ok() ? r->err.c_str() : "");
    return 1;
  }
  std::printf("%s", r->out.c_str());
  if (g_stop) return 130;
  if (failures > 0) {
    std::fprintf(stderr, "endgame compare: %d part(s) failed; the report says which\n", failures);
    return 1;
  }
  return 0;
}

}  // namespace endgame::cli
