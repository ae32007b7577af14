// `endgame stress [--minutes M] [--jobs J] [--strategies cache,dedicated]
// [--seed S] [--corpus DIR] [--out DIR]`: the stress campaign (stress/campaign.h),
// its progress line and its summary.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <thread>

#include "absl/time/clock.h"
#include "endgame/base/subprocess.h"
#include "endgame/report/atomic_file.h"
#include "endgame/scenario/strategies.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/progress.h"
#include "stress/campaign.h"

namespace endgame::cli {
namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop = true; }

}  // namespace

int Stress(int argc, char** argv) {
  stress::CampaignOptions o;
  o.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.seed = static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())) % 1000000007;
  std::string strategies = scenario::DefaultStrategyList();  // the table's default set
  std::unique_ptr<CLI::App> app = NewApp(
      "stress",
      "[--minutes M] [--jobs J] [--strategies cache,dedicated|all|W,...] [--seed S]\n"
      "                      [--corpus DIR] [--out DIR] [--known DIR] [--deadline-ms N]\n"
      "                      [--drivers capi,interpreters]",
      "run a stress campaign comparing strategies");
  std::string drivers = "capi,interpreters";
  app->add_option("--minutes", o.minutes, "how long the campaign runs")
      ->check(CLI::PositiveNumber & CLI::Range(0.0, 24.0 * 60));
  app->add_option("--jobs", o.jobs, "children running at once")->check(CLI::Range(1, 256));
  app->add_option("--strategies", strategies, "strategy words or specs, comma-separated; all: every built-in");
  app->add_option("--seed", o.seed, "the generator's seed")->default_str("from the clock");
  app->add_option("--corpus", o.corpus_dir, "also run the .scn files under DIR first");
  app->add_option("--out", o.out_dir, "findings in DIR/findings, the summary in DIR/campaign.json");
  app->add_option("--known", o.known_dir, "known findings (marked known, not new)");
  app->add_option("--deadline-ms", o.deadline_ms, "generated scenarios' step deadline")
      ->check(CLI::Range(int64_t{100}, std::numeric_limits<int64_t>::max()));
  // Generated scenarios: which drivers, and in what mix (both: the generator's).
  app->add_option("--drivers", drivers, "drivers of generated scenarios")
      ->check(CLI::IsMember({"capi", "interpreters", "capi,interpreters", "interpreters,capi"}));
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  if (drivers == "capi") o.interpreters_driver_percent = 0;
  if (drivers == "interpreters") o.interpreters_driver_percent = 100;
  absl::StatusOr<std::vector<stress::CampaignStrategy>> parsed = stress::ParseStrategies(strategies);
  if (!parsed.ok()) {
    std::fprintf(stderr, "endgame stress: %s\n", std::string(parsed.status().message()).c_str());
    return 2;
  }
  o.strategies = *parsed;
  absl::StatusOr<std::string> exe = SelfExe();
  if (!exe.ok()) {
    std::fprintf(stderr, "endgame stress: %s\n", exe.status().ToString().c_str());
    return 1;
  }
  o.exe = *exe;
  o.stop = &g_stop;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  std::printf("endgame stress: %.1f min, %d jobs, strategies %s, seed %llu, findings in %s/findings\n", o.minutes,
              o.jobs, strategies.c_str(), static_cast<unsigned long long>(o.seed), o.out_dir.c_str());
  std::fflush(stdout);
  ShowProgress(&o);
  stress::CampaignSummary s = stress::RunCampaign(o);
  EndProgress();
  std::printf("%s", stress::FormatSummary(s).c_str());
  absl::Status w = report::WriteFileAtomically(o.out_dir + "/campaign.json", stress::SummaryJson(s));
  if (!w.ok()) std::fprintf(stderr, "endgame stress: %s\n", w.ToString().c_str());
  std::printf("summary: %s/campaign.json\n", o.out_dir.c_str());
  return 0;
}

}  // namespace endgame::cli
