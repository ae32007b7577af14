#include "bench/compare_plan.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "endgame/base/check.h"
#include "endgame/base/subprocess.h"
#include "endgame/report/atomic_file.h"

namespace endgame::bench {

namespace fs = std::filesystem;

namespace {

void Note(const BenchPlanOptions& o, const std::string& msg) {
  if (o.on_note) o.on_note(msg);
}

bool Stopped(const BenchPlanOptions& o) { return o.stop && o.stop->load(); }

// Runs one group of benchmarks into `json`; false (with a note) on failure.
bool RunGroup(const BenchPlanOptions& o, const std::vector<std::string>& names, const std::string& json,
              const std::vector<std::string>& env, int reps) {
  if (Stopped(o)) return true;  // interrupted: skipped, not failed
  ChildOptions c;
  c.argv = {o.bench,
            absl::StrCat("--benchmark_filter=^(", absl::StrJoin(names, "|"), ")/"),
            "--benchmark_enable_random_interleaving=true",
            absl::StrCat("--benchmark_out=", json),
            "--benchmark_out_format=json",
            absl::StrCat("--endgame_reps=", reps),
            absl::StrCat("--endgame_slope_cycles=", o.cycles)};
  c.env_add = env;
  c.timeout = absl::Minutes(30);
  absl::StatusOr<ChildResult> r = RunChild(c);
  std::string log = json.substr(0, json.size() - 5) + ".log";
  if (r.ok()) (void)report::WriteFileAtomically(log, r->out + r->err);
  if (!r.ok() || !r->exited || r->exit_code != 0) {
    Note(o, absl::StrCat("benchmarks ", absl::StrJoin(names, ","), " failed",
                         r.ok() ? absl::StrCat(" (exit ", r->exit_code, ", signal ", r->signal, "); see ", log)
                                : absl::StrCat(": ", r.status().ToString())));
    return false;
  }
  return true;
}

// The teardown/*/idle groups again: stability_runs runs one after the other
// (stability/run<k>-*.json), then as many runs cut into slices whose
// processes alternate between runs (stability-interleaved/run<k>.slice<s>-*.json).
int RunStability(const BenchPlanOptions& o, const fs::path& raw,
                 const std::map<std::string, std::vector<std::string>>& groups) {
  int failures = 0;
  absl::Time t0 = absl::Now();
  std::vector<std::pair<std::string, std::vector<std::string>>> idle;
  for (const auto& [key, members] : groups) {
    if (absl::StartsWith(key, "teardown/") && absl::EndsWith(key, "/idle")) idle.emplace_back(key, members);
  }
  for (int run = 1; run <= o.stability_runs; ++run) {
    Note(o, absl::StrCat("stability: run ", run, "/", o.stability_runs));
    for (const auto& [key, members] : idle) {
      std::string json = (raw / "stability" / absl::StrCat("run", run, "-", Slug(key), ".json")).string();
      failures += !RunGroup(o, members, json, {}, o.reps);
    }
  }
  int slices = std::max(1, std::min(o.stability_slices, o.reps));
  for (int slice = 1; slice <= slices && slices > 1; ++slice) {
    Note(o, absl::StrCat("stability: interleaved slice ", slice, "/", slices, " of every run"));
    // Slices split reps as evenly as they can; together a run has o.reps samples.
    int reps = o.reps / slices + (slice <= o.reps % slices ? 1 : 0);
    for (int run = 1; run <= o.stability_runs; ++run) {
      for (const auto& [key, members] : idle) {
        std::string json = (raw / "stability-interleaved" /
                            absl::StrCat("run", run, ".slice", slice, "-", Slug(key), ".json")).string();
        failures += !RunGroup(o, members, json, {}, reps);
      }
    }
  }
  Note(o, absl::StrCat("stability runs took ",
                       absl::FormatDuration(absl::Trunc(absl::Now() - t0, absl::Seconds(1)))));
  return failures;
}

}  // namespace

bool IsPeerSegment(absl::string_view s) {
  static const std::set<std::string, std::less<>> kPeers = {
      "create", "destroy", "inline", "cache", "cache_sticky", "dedicated",
      "conductor", "conductor_inline", "bare", "python"};
  return kPeers.count(s) > 0;
}

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

int RunBenchmarks(const BenchPlanOptions& o, const fs::path& raw) {
  absl::StatusOr<std::vector<std::string>> names = ListBenchmarks(o.bench);
  if (!names.ok()) {
    Note(o, names.status().ToString());
    return 1;
  }
  int failures = 0;
  absl::Time t0 = absl::Now();
  std::map<std::string, std::vector<std::string>> groups = Groups(*names);
  int i = 0;
  for (const auto& [key, members] : groups) {
    Note(o, absl::StrCat("benchmarks ", ++i, "/", groups.size(), ": ", key));
    failures += !RunGroup(o, members, (raw / "bench" / (Slug(key) + ".json")).string(), {}, o.reps);
    if (absl::StartsWith(key, "memory/growth/")) {
      failures += !RunGroup(o, members, (raw / "bench-malloc" / (Slug(key) + ".json")).string(),
                            {"PYTHONMALLOC=malloc"}, o.reps);
    }
  }
  Note(o, absl::StrCat("benchmarks took ", absl::FormatDuration(absl::Trunc(absl::Now() - t0, absl::Seconds(1)))));
  if (o.stability_runs > 0) failures += RunStability(o, raw, groups);
  return failures;
}

std::string CollectScenarios(const BenchPlanOptions& o, const fs::path& corpus, const fs::path& builtin,
                             const fs::path& raw) {
  fs::path dir = raw / "scenarios";
  std::error_code ec;
  fs::remove_all(dir, ec);
  int n = 0;
  for (const auto& [from, to] : {std::pair{corpus, dir / "corpus"}, std::pair{builtin, dir / "builtin"}}) {
    if (!fs::is_directory(from, ec)) continue;
    for (const auto& e : fs::recursive_directory_iterator(from, ec)) {
      if (!e.is_regular_file() || e.path().extension() != ".scn") continue;
      fs::path target = to / fs::relative(e.path(), from, ec);
      fs::create_directories(target.parent_path(), ec);
      fs::copy_file(e.path(), target, fs::copy_options::overwrite_existing, ec);
      n += !ec;
    }
  }
  Note(o, absl::StrCat(n, " scenario files in ", dir.string(), " (those that parse are run)"));
  return dir.string();
}

}  // namespace endgame::bench
