// File: stress/cmd_compare.cc
//
// `endgame compare [--minutes M] [--strategies cache,dedicated] ...`: the
// strategy comparison report (DESIGN.md §7). Three phases, then the report:
//   1. campaign: the scenario set (corpus/**/*.scn that parse, plus the
//      built-in set in bench/scenarios/, then generated scenarios while time
//      remains) under every strategy, each run supervised (stress/campaign.h),
//      for --minutes;
//   2. benchmarks: endgame_bench, one process per group of benchmarks that
//      are compared with each other (names differing only in the strategy,
//      loop or operation segment), repetitions randomly interleaved inside a
//      group; memory/growth again under PYTHONMALLOC=malloc;
//   3. stability: the teardown/*/idle groups --stability-runs more times, for
//      the coefficient of variation of their p50 across runs: first run after
//      run (what rerunning later gives, the machine's load drifting between
//      runs included), then the same number of runs again with each run cut
//      into --stability-slices processes, slices of all runs interleaved (the
//      repeatability of the measurement itself under the same conditions);
//   4. scripts/plots/report.py (Debian's matplotlib, /usr/bin/python3) turns
//      <out>/raw/ into <out>/index.html, <out>/report.md and PNGs, and with
//      --docs also writes docs/results.md.
// Fresh processes per group also bound memory: every isolated interpreter
// created and destroyed leaks its obmalloc arenas on CPython 3.13 (see the
// report's leak-slope section), ~1.3 MB each.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "endgame/base/check.h"
#include "endgame/base/subprocess.h"
#include "endgame/report/atomic_file.h"
#include "endgame/scenario/strategies.h"
#include "stress/campaign.h"
#include "stress/commands.h"

#ifndef ENDGAME_SOURCE_DIR
#define ENDGAME_SOURCE_DIR "."
#endif

namespace endgame::cli {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: endgame compare [--minutes M] [--strategies cache,dedicated|all|W,...] [--out DIR] [--jobs J]\n"
    "                       [--reps N] [--cycles N] [--stability-runs N] [--stability-slices N] [--seed S]\n"
    "                       [--corpus DIR] [--bench PATH] [--python PATH] [--docs FILE] [--no-bench]\n"
    "                       [--no-campaign]\n";

// Set by SIGINT/SIGTERM: the campaign stops (killing its children), no further
// benchmark group starts, and the report is written from what exists.
std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop = true; }

struct Flags {
  CampaignOptions campaign;
  std::string strategies = scenario::DefaultStrategyList();  // the table's default set
  std::string out = "out/report";
  int reps = 100;          // samples per latency figure
  int cycles = 200;        // cycles per memory-growth slope
  int stability_runs = 5;  // extra runs of teardown/*/idle
  int stability_slices = 4;  // processes per interleaved stability run
  std::string bench;       // endgame_bench; "" = beside this binary's build
  std::string python = "/usr/bin/python3";  // with Debian's python3-matplotlib
  std::string docs;        // write docs/results.md here too
  bool run_bench = true;
  bool run_campaign = true;
};

void Note(const std::string& msg) {
  std::fprintf(stderr, "[compare] %s\n", msg.c_str());
  std::fflush(stderr);
}

// Segments that name the things a group compares: benchmarks whose names
// differ only there run in one process, interleaved.
bool IsPeerSegment(absl::string_view s) {
  static const std::set<std::string, std::less<>> kPeers = {
      "create", "destroy", "inline", "cache", "cache_sticky", "dedicated",
      "conductor", "conductor_inline", "bare", "python"};
  return kPeers.count(s) > 0;
}

// Benchmark families (names without Google Benchmark's /iterations:... suffixes).
absl::StatusOr<std::vector<std::string>> ListBenchmarks(const std::string& bench) {
  ChildOptions c;
  c.argv = {bench, "--benchmark_list_tests=true"};
  c.timeout = absl::Minutes(1);
  ENDGAME_ASSIGN_OR_RETURN(ChildResult r, RunChild(c));
  if (!r.exited || r.exit_code != 0) return absl::InternalError(absl::StrCat(bench, " failed to list: ", r.err));
  std::vector<std::string> names;
  for (absl::string_view line : absl::StrSplit(r.out, '\n', absl::SkipWhitespace())) {
    std::vector<std::string> segs;
    for (absl::string_view s : absl::StrSplit(line, '/')) {
      if (absl::StrContains(s, ':') || s == "manual_time" || s == "real_time") break;
      segs.emplace_back(s);
    }
    std::string name = absl::StrJoin(segs, "/");
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

// Groups of benchmark names, keyed by the name with peer segments as '*'.
std::map<std::string, std::vector<std::string>> Groups(const std::vector<std::string>& names) {
  std::map<std::string, std::vector<std::string>> groups;
  for (const std::string& n : names) {
    std::vector<std::string> segs = absl::StrSplit(n, '/');
    for (std::string& s : segs) {
      if (IsPeerSegment(s)) s = "*";
    }
    groups[absl::StrJoin(segs, "/")].push_back(n);
  }
  return groups;
}

std::string Slug(const std::string& key) {
  std::string s;
  for (char c : key) s += (c == '/' ? '.' : c == '*' ? 'X' : c);
  return s;
}

// Runs one group of benchmarks into `json`; false (with a note) on failure.
bool RunGroup(const Flags& f, const std::vector<std::string>& names, const std::string& json,
              const std::vector<std::string>& env, int reps) {
  if (g_stop) return true;  // interrupted: skipped, not failed
  ChildOptions c;
  c.argv = {f.bench,
            absl::StrCat("--benchmark_filter=^(", absl::StrJoin(names, "|"), ")/"),
            "--benchmark_enable_random_interleaving=true",
            absl::StrCat("--benchmark_out=", json),
            "--benchmark_out_format=json",
            absl::StrCat("--endgame_reps=", reps),
            absl::StrCat("--endgame_slope_cycles=", f.cycles)};
  c.env_add = env;
  c.timeout = absl::Minutes(30);
  absl::StatusOr<ChildResult> r = RunChild(c);
  std::string log = json.substr(0, json.size() - 5) + ".log";
  if (r.ok()) (void)report::WriteFileAtomically(log, r->out + r->err);
  if (!r.ok() || !r->exited || r->exit_code != 0) {
    Note(absl::StrCat("benchmarks ", absl::StrJoin(names, ","), " failed",
                      r.ok() ? absl::StrCat(" (exit ", r->exit_code, ", signal ", r->signal, "); see ", log)
                             : absl::StrCat(": ", r.status().ToString())));
    return false;
  }
  return true;
}

// The teardown/*/idle groups again: --stability-runs runs one after the other
// (stability/run<k>-*.json), then as many runs cut into slices whose
// processes alternate between runs (stability-interleaved/run<k>.slice<s>-*.json).
int RunStability(const Flags& f, const fs::path& raw, const std::map<std::string, std::vector<std::string>>& groups) {
  int failures = 0;
  absl::Time t0 = absl::Now();
  std::vector<std::pair<std::string, std::vector<std::string>>> idle;
  for (const auto& [key, members] : groups) {
    if (absl::StartsWith(key, "teardown/") && absl::EndsWith(key, "/idle")) idle.emplace_back(key, members);
  }
  for (int run = 1; run <= f.stability_runs; ++run) {
    Note(absl::StrCat("stability: run ", run, "/", f.stability_runs));
    for (const auto& [key, members] : idle) {
      std::string json = (raw / "stability" / absl::StrCat("run", run, "-", Slug(key), ".json")).string();
      failures += !RunGroup(f, members, json, {}, f.reps);
    }
  }
  int slices = std::max(1, std::min(f.stability_slices, f.reps));
  for (int slice = 1; slice <= slices && slices > 1; ++slice) {
    Note(absl::StrCat("stability: interleaved slice ", slice, "/", slices, " of every run"));
    // Slices split reps as evenly as they can; together a run has f.reps samples.
    int reps = f.reps / slices + (slice <= f.reps % slices ? 1 : 0);
    for (int run = 1; run <= f.stability_runs; ++run) {
      for (const auto& [key, members] : idle) {
        std::string json = (raw / "stability-interleaved" /
                            absl::StrCat("run", run, ".slice", slice, "-", Slug(key), ".json")).string();
        failures += !RunGroup(f, members, json, {}, reps);
      }
    }
  }
  Note(absl::StrCat("stability runs took ", absl::FormatDuration(absl::Trunc(absl::Now() - t0, absl::Seconds(1)))));
  return failures;
}

int RunBenchmarks(const Flags& f, const fs::path& raw) {
  absl::StatusOr<std::vector<std::string>> names = ListBenchmarks(f.bench);
  if (!names.ok()) {
    Note(names.status().ToString());
    return 1;
  }
  int failures = 0;
  absl::Time t0 = absl::Now();
  std::map<std::string, std::vector<std::string>> groups = Groups(*names);
  int i = 0;
  for (const auto& [key, members] : groups) {
    Note(absl::StrCat("benchmarks ", ++i, "/", groups.size(), ": ", key));
    failures += !RunGroup(f, members, (raw / "bench" / (Slug(key) + ".json")).string(), {}, f.reps);
    if (absl::StartsWith(key, "memory/growth/")) {
      failures += !RunGroup(f, members, (raw / "bench-malloc" / (Slug(key) + ".json")).string(),
                            {"PYTHONMALLOC=malloc"}, f.reps);
    }
  }
  Note(absl::StrCat("benchmarks took ", absl::FormatDuration(absl::Trunc(absl::Now() - t0, absl::Seconds(1)))));
  if (f.stability_runs > 0) failures += RunStability(f, raw, groups);
  return failures;
}

// The scenario set: the corpus and the built-in set, copied into one folder.
std::string ScenarioFolder(const Flags& f, const fs::path& raw) {
  fs::path dir = raw / "scenarios";
  std::error_code ec;
  fs::remove_all(dir, ec);
  int n = 0;
  for (const auto& [from, to] : {std::pair{fs::path(f.campaign.corpus_dir), dir / "corpus"},
                                 std::pair{fs::path(ENDGAME_SOURCE_DIR) / "bench" / "scenarios", dir / "builtin"}}) {
    if (!fs::is_directory(from, ec)) continue;
    for (const auto& e : fs::recursive_directory_iterator(from, ec)) {
      if (!e.is_regular_file() || e.path().extension() != ".scn") continue;
      fs::path target = to / fs::relative(e.path(), from, ec);
      fs::create_directories(target.parent_path(), ec);
      fs::copy_file(e.path(), target, fs::copy_options::overwrite_existing, ec);
      n += !ec;
    }
  }
  Note(absl::StrCat(n, " scenario files in ", dir.string(), " (those that parse are run)"));
  return dir.string();
}

bool ParseFlags(int argc, char** argv, Flags* f) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::printf("%s", kUsage);
      std::exit(0);
    }
    const char* v = nullptr;
    auto value = [&]() {
      if (i + 1 < argc) v = argv[++i];
      return v != nullptr;
    };
    bool ok = true;
    if (a == "--minutes") {
      ok = value() && absl::SimpleAtod(v, &f->campaign.minutes) && f->campaign.minutes >= 0 &&
           f->campaign.minutes <= 24 * 60;
    } else if (a == "--strategies") {
      ok = value() && (f->strategies = v, true);
    } else if (a == "--out") {
      ok = value() && (f->out = v, true);
    } else if (a == "--jobs") {
      ok = value() && absl::SimpleAtoi(v, &f->campaign.jobs) && f->campaign.jobs >= 1 && f->campaign.jobs <= 64;
    } else if (a == "--reps") {
      ok = value() && absl::SimpleAtoi(v, &f->reps) && f->reps >= 1;
    } else if (a == "--cycles") {
      ok = value() && absl::SimpleAtoi(v, &f->cycles) && f->cycles >= 10;
    } else if (a == "--stability-runs") {
      ok = value() && absl::SimpleAtoi(v, &f->stability_runs) && f->stability_runs >= 0;
    } else if (a == "--stability-slices") {
      ok = value() && absl::SimpleAtoi(v, &f->stability_slices) && f->stability_slices >= 1;
    } else if (a == "--seed") {
      ok = value() && absl::SimpleAtoi(v, &f->campaign.seed);
    } else if (a == "--corpus") {
      ok = value() && (f->campaign.corpus_dir = v, true);
    } else if (a == "--bench") {
      ok = value() && (f->bench = v, true);
    } else if (a == "--python") {
      ok = value() && (f->python = v, true);
    } else if (a == "--docs") {
      ok = value() && (f->docs = v, true);
    } else if (a == "--no-bench") {
      f->run_bench = false;
    } else if (a == "--no-campaign") {
      f->run_campaign = false;
    } else {
      std::fprintf(stderr, "endgame compare: unknown argument '%s'\n%s", a.c_str(), kUsage);
      return false;
    }
    if (!ok) {
      std::fprintf(stderr, "endgame compare: bad or missing value for %s\n%s", a.c_str(), kUsage);
      return false;
    }
  }
  return true;
}

}  // namespace

int Compare(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {  // --help wins wherever it is
    if (!std::strcmp(argv[i], "-h") || !std::strcmp(argv[i], "--help")) {
      std::printf("%s", kUsage);
      return 0;
    }
  }
  Flags f;
  f.campaign.minutes = 2;
  f.campaign.jobs = 1;  // children one at a time: the machine is shared with the benchmarks' numbers
  f.campaign.seed = 1;  // the same generated scenarios every time
  f.campaign.corpus_dir = fs::path(ENDGAME_SOURCE_DIR) / "corpus";
  f.campaign.known_dir = fs::path(ENDGAME_SOURCE_DIR) / "corpus" / "known";
  if (!ParseFlags(argc, argv, &f)) return 2;
  absl::StatusOr<std::vector<CampaignStrategy>> strategies = ParseStrategies(f.strategies);
  if (!strategies.ok()) {
    std::fprintf(stderr, "endgame compare: %s\n%s", std::string(strategies.status().message()).c_str(), kUsage);
    return 2;
  }
  absl::StatusOr<std::string> exe = SelfExe();
  if (!exe.ok()) {
    std::fprintf(stderr, "endgame compare: %s\n", exe.status().ToString().c_str());
    return 1;
  }
  if (f.bench.empty()) f.bench = (fs::path(*exe).parent_path().parent_path() / "bench" / "endgame_bench").string();
  if (f.run_bench && access(f.bench.c_str(), X_OK) != 0) {
    std::fprintf(stderr,
                 "endgame compare: no benchmark binary at %s\n"
                 "  build it: cmake -DENDGAME_BUILD_BENCHMARKS=ON <build> && cmake --build <build> --target "
                 "endgame_bench\n  (scripts/endgame compare does both), or pass --bench PATH or --no-bench\n",
                 f.bench.c_str());
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

  if (f.run_campaign && f.campaign.minutes > 0) {
    f.campaign.strategies = *strategies;
    f.campaign.exe = *exe;
    f.campaign.corpus_dir = ScenarioFolder(f, raw);
    f.campaign.out_dir = (out / "campaign").string();
    Note(absl::StrCat("campaign: ", f.campaign.minutes, " min, strategies ", f.strategies, ", seed ",
                      f.campaign.seed));
    f.campaign.stop = &g_stop;
    CampaignSummary s = RunCampaign(f.campaign);
    std::printf("%s", FormatSummary(s).c_str());
    std::fflush(stdout);
    absl::Status w = report::WriteFileAtomically((raw / "campaign.json").string(), SummaryJson(s));
    if (!w.ok()) {
      Note(w.ToString());
      ++failures;
    }
  }
  if (f.run_bench) failures += RunBenchmarks(f, raw);

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
