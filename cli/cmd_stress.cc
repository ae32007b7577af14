// `endgame stress [--minutes M] [--jobs J] [--strategies cache,dedicated]
// [--seed S] [--corpus DIR] [--out DIR]`: the stress campaign (stress/campaign.h),
// its progress line and its summary.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "endgame/base/subprocess.h"
#include "endgame/report/atomic_file.h"
#include "endgame/scenario/strategies.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "stress/campaign.h"

namespace endgame::cli {
namespace {

constexpr char kUsage[] =
    "usage: endgame stress [--minutes M] [--jobs J] [--strategies cache,dedicated|all|W,...] [--seed S]\n"
    "                      [--corpus DIR] [--out DIR] [--known DIR] [--deadline-ms N]\n"
    "                      [--drivers capi,interpreters]\n";

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop = true; }

}  // namespace

int Stress(int argc, char** argv) {
  stress::CampaignOptions o;
  o.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.seed = static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())) % 1000000007;
  std::string strategies = scenario::DefaultStrategyList();  // the table's default set
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "endgame stress: %s needs a value\n%s", name, kUsage);
        std::exit(2);
      }
      return argv[++i];
    };
    bool ok = true;
    if (a == "--minutes") {
      ok = absl::SimpleAtod(value("--minutes"), &o.minutes) && o.minutes > 0 && o.minutes <= 24 * 60;
    } else if (a == "--jobs") {
      ok = absl::SimpleAtoi(value("--jobs"), &o.jobs) && o.jobs >= 1 && o.jobs <= 256;
    } else if (a == "--seed") {
      ok = absl::SimpleAtoi(value("--seed"), &o.seed);
    } else if (a == "--strategies") {
      strategies = value("--strategies");
    } else if (a == "--drivers") {
      // Generated scenarios: which drivers, and in what mix (both: the generator's).
      std::string d = value("--drivers");
      if (d == "capi") {
        o.interpreters_driver_percent = 0;
      } else if (d == "interpreters") {
        o.interpreters_driver_percent = 100;
      } else {
        ok = d == "capi,interpreters" || d == "interpreters,capi";
      }
    } else if (a == "--corpus") {
      o.corpus_dir = value("--corpus");
    } else if (a == "--out") {
      o.out_dir = value("--out");
    } else if (a == "--known") {
      o.known_dir = value("--known");
    } else if (a == "--deadline-ms") {
      ok = absl::SimpleAtoi(value("--deadline-ms"), &o.deadline_ms) && o.deadline_ms >= 100;
    } else {
      std::fprintf(stderr, "endgame stress: unknown argument '%s'\n%s", a.c_str(), kUsage);
      return 2;
    }
    if (!ok) {
      std::fprintf(stderr, "endgame stress: bad value for %s: '%s'\n%s", a.c_str(), argv[i], kUsage);
      return 2;
    }
  }
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
