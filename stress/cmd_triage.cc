// Triage commands: replay, minimize, repro, matrix, report (DESIGN.md §6).
// Each takes a scenario file or a finding folder (out/findings/<signature>);
// inside a folder they read and update its files.
#include <unistd.h>

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "endgame/base/json.h"
#include "endgame/base/json_parse.h"
#include "endgame/base/subprocess.h"
#include "endgame/report/atomic_file.h"
#include "endgame/report/cause.h"
#include "endgame/report/findings.h"
#include "endgame/report/minimize.h"
#include "endgame/report/repro.h"
#include "endgame/report/repro_run.h"
#include "endgame/report/upstream.h"
#include "endgame/run/supervise.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/text.h"
#include "stress/commands.h"

namespace endgame::cli {
namespace {

namespace fs = std::filesystem;

// A scenario file, or a finding folder and its scenario.scn.
struct Target {
  std::string file;    // the scenario file
  std::string folder;  // the finding folder, "" when FILE is not in one
  scenario::Scenario scenario;
  std::string text;
  absl::StatusOr<report::FindingMeta> meta = absl::NotFoundError("no meta.json");
};

int Fail(const char* cmd, const std::string& msg, int code = 2) {
  std::fprintf(stderr, "endgame %s: %s\n", cmd, msg.c_str());
  return code;
}

absl::StatusOr<Target> LoadTarget(const std::string& arg) {
  Target t;
  std::error_code ec;
  if (fs::is_directory(arg, ec)) {
    t.folder = arg;
    t.file = (fs::path(arg) / "scenario.scn").string();
  } else {
    t.file = arg;
    fs::path dir = fs::path(arg).parent_path();
    if (dir.empty()) dir = ".";
    if (fs::exists(dir / "meta.json", ec)) t.folder = dir.string();
  }
  absl::StatusOr<std::string> text = report::ReadFile(t.file);
  if (!text.ok()) return text.status();
  t.text = *text;
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(t.text, t.file);
  if (!s.ok()) return s.status();
  t.scenario = *s;
  if (!t.folder.empty()) t.meta = report::LoadMeta(t.folder);
  return t;
}

absl::StatusOr<run::RunResult> RunOnce(const std::string& file, const scenario::Scenario& s) {
  absl::StatusOr<std::string> exe = SelfExe();
  if (!exe.ok()) return exe.status();
  run::SuperviseOptions so;
  so.exe = *exe;
  return run::RunSupervised(file, s, so);
}

// Flags: --name VALUE pairs and positionals.
struct Args {
  bool help = false;  // --help or -h: the command prints its usage on stdout, exit 0
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> flags;
  std::string error;
  std::string Get(const std::string& k, const std::string& def = "") const {
    auto it = flags.find(k);
    return it == flags.end() || it->second.empty() ? def : it->second.back();
  }
};

Args ParseArgs(int argc, char** argv, const std::vector<std::string>& known) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "--help" || s == "-h") {
      a.help = true;
      return a;
    }
    if (absl::StartsWith(s, "--")) {
      if (std::find(known.begin(), known.end(), s) == known.end()) {
        a.error = absl::StrCat("unknown flag '", s, "'");
        return a;
      }
      if (s == "--json") {
        a.flags[s].push_back("1");
        continue;
      }
      if (i + 1 >= argc) {
        a.error = absl::StrCat(s, " needs a value");
        return a;
      }
      a.flags[s].push_back(argv[++i]);
      // --python and --endgame take several paths until the next flag.
      while ((s == "--python" || s == "--endgame") && i + 1 < argc && !absl::StartsWith(argv[i + 1], "--")) a.flags[s].push_back(argv[++i]);
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

int Help(const char* usage) {
  std::printf("%s\n", usage);
  return 0;
}

bool IntFlag(const Args& a, const std::string& name, int def, int lo, int hi, int* out) {
  *out = def;
  std::string v = a.Get(name);
  if (v.empty()) return true;
  return absl::SimpleAtoi(v, out) && *out >= lo && *out <= hi;
}

}  // namespace

int Replay(int argc, char** argv) {
  constexpr char kUsage[] = "usage: endgame replay FILE|FINDING [--runs N] [--json]";
  Args a = ParseArgs(argc, argv, {"--runs", "--json"});
  if (a.help) return Help(kUsage);
  int runs;
  if (!a.error.empty() || a.positional.size() != 1 || !IntFlag(a, "--runs", 10, 1, 10000, &runs)) {
    return Fail("replay", a.error.empty() ? kUsage : absl::StrCat(a.error, "\n", kUsage));
  }
  absl::StatusOr<Target> t = LoadTarget(a.positional[0]);
  if (!t.ok()) return Fail("replay", std::string(t.status().message()));
  // A run reproduces the finding when it has the same root cause
  // (report/cause.h): one bug's raw signature varies from run to run.
  std::string want = t->meta.ok() ? t->meta->signature : "";
  std::string want_cause = t->meta.ok() ? t->meta->cause : "";
  std::map<std::string, int> dist;
  std::map<std::string, run::Verdict> verdict_of;  // dist's keys
  int same = 0;
  for (int i = 0; i < runs; ++i) {
    absl::StatusOr<run::RunResult> r = RunOnce(t->file, t->scenario);
    if (!r.ok()) return Fail("replay", r.status().ToString(), 1);
    const bool finding = report::IsFinding(*r);
    const std::string cause = finding ? report::CauseOf(*r, &t->scenario).key : "";
    if (want.empty() && finding) want = r->signature;
    if (want_cause.empty() && finding) want_cause = cause;
    std::string key = absl::StrCat(r->verdict.ToString(), r->signature.empty() ? "" : "  [" + r->signature + "]");
    ++dist[key];
    verdict_of[key] = r->verdict;
    same += finding && (cause == want_cause || r->signature == want);
    if (!a.flags.count("--json")) {
      std::printf("\rrun %d/%d: %s\033[K", i + 1, runs, r->verdict.ToString().c_str());
      std::fflush(stdout);
    }
  }
  if (t->meta.ok()) {
    t->meta->reproduced = same;
    t->meta->runs = runs;
    (void)report::SaveMeta(t->folder, *t->meta);
  }
  if (a.flags.count("--json")) {
    JsonWriter j;
    j.BeginObject();
    j.Key("signature");
    j.String(want);
    j.Key("cause");
    j.String(want_cause);
    j.Key("reproduced");
    j.Int(same);
    j.Key("runs");
    j.Int(runs);
    j.Key("verdicts");
    j.BeginObject();
    for (const auto& [k, n] : dist) {
      j.Key(k);
      j.Int(n);
    }
    j.EndObject();
    // The same as verdicts a caller compares by kind and detail (the version
    // matrix does: a cause's signature differs between CPython versions).
    j.Key("outcomes");
    j.BeginArray();
    for (const auto& [k, n] : dist) {
      j.BeginObject();
      j.Key("kind");
      j.String(run::VerdictKindName(verdict_of[k].kind));
      j.Key("detail");
      j.String(verdict_of[k].detail);
      j.Key("count");
      j.Int(n);
      j.EndObject();
    }
    j.EndArray();
    j.EndObject();
    std::printf("%s\n", j.str().c_str());
    return 0;
  }
  std::printf("\rreproduced %d/%d (%.0f%%)%s\033[K\n", same, runs, 100.0 * same / runs,
              want.empty() ? " (no finding to match)"
                           : absl::StrCat(", cause ", want_cause, " (signature ", want, ")").c_str());
  for (const auto& [k, n] : dist) std::printf("  %4d  %s\n", n, k.c_str());
  return 0;
}

// `endgame known [DIR] [--runs N] [--json]`: each known finding (DIR,
// default corpus/known) run on the embedded CPython and judged against its
// `expect` line and its `# fixed-in:` line. Exit 1 when one behaves other than
// recorded: it stopped reproducing with no fix recorded, or reproduces again
// where it is recorded as fixed.
int Known(int argc, char** argv) {
  constexpr char kUsage[] =
      "usage: endgame known [DIR] [--runs N] [--json]\n"
      "  runs each known finding (DIR/*.scn, default corpus/known) N times (default 1) on this\n"
      "  CPython and says whether it still reproduces, is fixed here (its `# fixed-in:` line),\n"
      "  or does not apply (its `requires` line); exit 1 when one is not as recorded";
  Args a = ParseArgs(argc, argv, {"--runs", "--json"});
  if (a.help) return Help(kUsage);
  int runs;
  if (!a.error.empty() || a.positional.size() > 1 || !IntFlag(a, "--runs", 1, 1, 1000, &runs)) {
    return Fail("known", a.error.empty() ? kUsage : absl::StrCat(a.error, "\n", kUsage));
  }
  const std::string dir = a.positional.empty() ? "corpus/known" : a.positional[0];
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Fail("known", absl::StrCat(dir, ": not a directory of known findings"));
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".scn") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) return Fail("known", absl::StrCat(dir, ": no .scn files"));
  const bool json = a.flags.count("--json") > 0;
  JsonWriter j;
  j.BeginArray();
  int unexpected = 0;
  for (const std::string& file : files) {
    absl::StatusOr<Target> t = LoadTarget(file);
    if (!t.ok()) return Fail("known", std::string(t.status().message()));
    const std::string fixed_in = report::KnownFixedIn(t->text);
    int met = 0;
    run::RunResult last;
    for (int i = 0; i < runs; ++i) {
      absl::StatusOr<run::RunResult> r = RunOnce(t->file, t->scenario);
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

int Triage(int argc, char** argv) {
  constexpr char kUsage[] =
      "usage: endgame triage FILE... [--runs N] [--out DIR] [--known DIR]\n"
      "  runs each scenario supervised up to N times (default 3) until it gives a finding,\n"
      "  and records that finding under --out (default out/findings)";
  Args a = ParseArgs(argc, argv, {"--runs", "--out", "--known"});
  if (a.help) return Help(kUsage);
  int runs;
  if (!a.error.empty() || a.positional.empty() || !IntFlag(a, "--runs", 3, 1, 1000, &runs)) {
    return Fail("triage", a.error.empty() ? kUsage : absl::StrCat(a.error, "\n", kUsage));
  }
  report::FindingStoreOptions so;
  so.root = a.Get("--out", so.root);
  so.known_dir = a.Get("--known", so.known_dir);
  report::FindingStore store(so);
  int bad = 0;
  for (const std::string& file : a.positional) {
    absl::StatusOr<Target> t = LoadTarget(file);
    if (!t.ok()) {
      std::fprintf(stderr, "endgame triage: %s\n", std::string(t.status().message()).c_str());
      ++bad;
      continue;
    }
    absl::StatusOr<run::RunResult> r;
    int i = 0;
    while (i < runs) {
      ++i;
      r = RunOnce(t->file, t->scenario);
      if (!r.ok() || report::IsFinding(*r)) break;
    }
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
    std::printf("%s: %s [%s] on run %d%s\n  finding: %s\n  stacks: %s/stacks.txt\n  replay: endgame replay %s\n",
                file.c_str(), r->verdict.ToString().c_str(), r->signature.c_str(), i, meta->known ? " (known)" : "",
                folder.c_str(), folder.c_str(), (folder + "/scenario.scn").c_str());
    // The first lines of the stacks: where it happened, at a glance.
    std::vector<absl::string_view> lines = absl::StrSplit(r->stacks, '\n');
    for (size_t k = 0; k < lines.size() && k < 12; ++k) std::printf("    %s\n", std::string(lines[k]).c_str());
  }
  return bad ? 2 : 0;
}

int Minimize(int argc, char** argv) {
  constexpr char kUsage[] =
      "usage: endgame minimize FILE|FINDING [--runs N] [--rate R] [--budget-s S] [--out FILE]\n"
      "  shrinks the scenario while the same root cause reproduces in at least R of N fresh runs\n"
      "  (default 0.5 of 2); after S seconds (default: no limit) the smallest so far is kept.\n"
      "  A crash, fatal error or sanitizer report on driver interpreters is kept only while its\n"
      "  repro.py shows the same failure too, run with --repro-python (default: the embedded\n"
      "  CPython's interpreter; 'none' turns this off)";
  Args a = ParseArgs(argc, argv, {"--runs", "--rate", "--out", "--budget-s", "--repro-python"});
  if (a.help) return Help(kUsage);
  int runs, budget_s;
  double rate = 0.5;
  if (!a.error.empty() || a.positional.size() != 1 || !IntFlag(a, "--runs", 2, 1, 100, &runs) ||
      !IntFlag(a, "--budget-s", 0, 0, 86400, &budget_s) ||
      (!a.Get("--rate").empty() && (!absl::SimpleAtod(a.Get("--rate"), &rate) || rate <= 0 || rate > 1))) {
    return Fail("minimize", a.error.empty() ? kUsage : absl::StrCat(a.error, "\n", kUsage));
  }
  absl::StatusOr<Target> t = LoadTarget(a.positional[0]);
  if (!t.ok()) return Fail("minimize", std::string(t.status().message()));
  // A candidate is kept while the same root cause reproduces (not the same
  // raw signature: a shorter scenario may die one frame away).
  std::string want = t->meta.ok() ? t->meta->signature : "";
  std::string want_cause = t->meta.ok() ? t->meta->cause : "";
  run::Verdict finding;
  bool have_verdict = t->meta.ok() && run::ParseVerdictKind(t->meta->verdict_kind, &finding.kind);
  if (have_verdict) finding.detail = t->meta->detail;
  if (want.empty() || want_cause.empty() || !have_verdict) {
    absl::StatusOr<run::RunResult> r = RunOnce(t->file, t->scenario);
    if (!r.ok()) return Fail("minimize", r.status().ToString(), 1);
    if (!report::IsFinding(*r)) {
      return Fail("minimize",
                  absl::StrCat(t->file, " gives '", r->verdict.ToString(), "'",
                               r->expected_reason.empty() ? "" : absl::StrCat(", expected: ", r->expected_reason),
                               ": nothing to minimize"),
                  1);
    }
    if (want.empty()) want = r->signature;
    want_cause = report::CauseOf(*r, &t->scenario).key;
    finding = r->verdict;
  }
  // The plain-Python check of every kept candidate (driver interpreters, a
  // finding that ends the process): the minimized repro.py must reproduce too.
  std::optional<report::PythonBuild> repro_python;
  const bool ends_process = finding.kind == run::VerdictKind::kCrash || finding.kind == run::VerdictKind::kFatal ||
                            finding.kind == run::VerdictKind::kSanitizer;
  const std::string repro_flag = a.Get("--repro-python", ENDGAME_PYTHON_CONFIG_PATH);
  if (t->scenario.driver == scenario::Driver::kInterpreters && ends_process && repro_flag != "none") {
    absl::StatusOr<report::PythonBuild> b = report::ResolvePython(repro_flag);
    if (!b.ok()) return Fail("minimize", absl::StrCat("--repro-python ", repro_flag, ": ", b.status().message()));
    repro_python = *b;
  }
  const std::string scratch_py =
      absl::StrCat(fs::temp_directory_path().string(), "/endgame-minimize-", getpid(), ".py");
  auto repro_reproduces = [&](const scenario::Scenario& c) {
    if (!repro_python) return true;
    absl::StatusOr<std::string> code = report::ReproPy(c, "minimize candidate", &finding);
    if (!code.ok() || !report::WriteFileAtomically(scratch_py, *code).ok()) return false;
    absl::StatusOr<report::ReproOutcome> o = report::RunReproPy(*repro_python, scratch_py, absl::Seconds(60));
    return o.ok() && report::SameFailure(finding, o->verdict);
  };
  int need = std::max(1, static_cast<int>(std::ceil(rate * runs)));
  std::string scratch = absl::StrCat(fs::temp_directory_path().string(), "/endgame-minimize-", getpid(), ".scn");
  const absl::Time deadline = budget_s > 0 ? absl::Now() + absl::Seconds(budget_s) : absl::InfiniteFuture();
  bool over_budget = false;
  auto still_fails = [&](const scenario::Scenario& c) {
    if (absl::Now() >= deadline) {  // no candidate is kept past the budget
      over_budget = true;
      return false;
    }
    if (!report::WriteFileAtomically(scratch, scenario::PrintScenario(c)).ok()) return false;
    int hits = 0;
    for (int i = 0; i < runs && hits < need && hits + (runs - i) >= need; ++i) {
      absl::StatusOr<run::RunResult> r = RunOnce(scratch, c);
      hits += r.ok() && report::IsFinding(*r) && (r->signature == want || report::CauseOf(*r, &c).key == want_cause);
    }
    return hits >= need && repro_reproduces(c);
  };
  report::MinimizeStats stats;
  std::printf("minimizing %s (cause %s, signature %s; %d/%d runs must reproduce%s)\n", t->file.c_str(),
              want_cause.c_str(), want.c_str(), need, runs,
              repro_python ? absl::StrCat(", and repro.py with ", repro_python->interpreter).c_str() : "");
  scenario::Scenario best = report::Minimize(
      t->scenario, still_fails, [](const std::string& m) { std::printf("  %s\n", m.c_str()); std::fflush(stdout); },
      &stats);
  unlink(scratch.c_str());
  unlink(scratch_py.c_str());
  std::string text = scenario::PrintScenario(best);
  std::string out = a.Get("--out");
  if (out.empty()) out = t->folder.empty() ? t->file + ".min.scn" : (fs::path(t->folder) / "scenario.scn").string();
  absl::Status w = report::WriteFileAtomically(out, text);
  if (!w.ok()) return Fail("minimize", w.ToString(), 1);
  if (t->meta.ok()) {
    t->meta->minimized = true;
    (void)report::SaveMeta(t->folder, *t->meta);
  }
  std::printf("minimized: %zu -> %zu steps, %zu -> %zu bytes (%d candidates run, %d kept%s)\nwrote %s\n",
              t->scenario.steps.size(), best.steps.size(), t->text.size(), text.size(), stats.tested, stats.accepted,
              over_budget ? absl::StrCat("; stopped at the ", budget_s, " s budget").c_str() : "", out.c_str());
  return 0;
}

int Repro(int argc, char** argv) {
  constexpr char kUsage[] = "usage: endgame repro FILE|FINDING [--out DIR]";
  Args a = ParseArgs(argc, argv, {"--out"});
  if (a.help) return Help(kUsage);
  if (!a.error.empty() || a.positional.size() != 1) {
    return Fail("repro", a.error.empty() ? kUsage : absl::StrCat(a.error, "\n", kUsage));
  }
  absl::StatusOr<Target> t = LoadTarget(a.positional[0]);
  if (!t.ok()) return Fail("repro", std::string(t.status().message()));
  std::string dir = a.Get("--out", t->folder.empty() ? fs::path(t->file).parent_path().string() : t->folder);
  if (dir.empty()) dir = ".";
  std::string title = t->meta.ok() ? report::ReportTitle(*t->meta)
                                   : absl::StrCat("Reproducer for ", t->file);
  run::Verdict finding;
  const bool have_finding = t->meta.ok() && run::ParseVerdictKind(t->meta->verdict_kind, &finding.kind);
  finding.detail = t->meta.ok() ? t->meta->detail : "";
  int written = 0;
  for (auto [name, code] : {std::pair<std::string, absl::StatusOr<std::string>>{"repro.py", report::ReproPy(t->scenario, title, have_finding ? &finding : nullptr)},
                            {"repro.c", report::ReproC(t->scenario, title, have_finding ? &finding : nullptr)}}) {
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

// One engine row of the matrix: `endgame_cmd replay FOLDER --runs N --json`
// with the endgame built against another CPython (scripts/endgame writes one
// such command per CPython). A run counts when it has the finding's root
// cause (the replay's own `reproduced`: a cause such as two destroys in
// flight is one cause whether a version crashes or parks the caller) or, as
// signatures and frames differ between versions, the same kind and detail.
std::string EngineRow(const std::string& endgame_cmd, const std::string& folder, const run::Verdict& want,
                      int runs, int timeout_s) {
  auto run = [&](std::vector<std::string> args, absl::Duration timeout) -> absl::StatusOr<JsonValue> {
    ChildOptions o;
    o.argv = {endgame_cmd};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.timeout = timeout;
    absl::StatusOr<ChildResult> r = RunChild(o);
    if (!r.ok()) return r.status();
    if (!r->exited || r->exit_code != 0) {
      absl::string_view err = absl::StripTrailingAsciiWhitespace(r->err);
      return absl::InternalError(absl::StrCat(args[0], " failed: ", err.substr(err.rfind('\n') + 1)));
    }
    absl::string_view out = absl::StripTrailingAsciiWhitespace(r->out);
    return ParseJson(out.substr(out.rfind('\n') + 1));
  };
  // The first use of a CPython's endgame may build it: minutes, not seconds.
  absl::StatusOr<JsonValue> doctor = run({"doctor", "--json"}, absl::Minutes(20));
  if (!doctor.ok()) return absl::StrCat("| ? | ? | engine | - | ", endgame_cmd, ": ", doctor.status().message(), " |\n");
  std::string version = (*doctor)["version"].str(), build = (*doctor)["debug"].boolean() ? "debug" : "release";
  absl::StatusOr<JsonValue> replay =
      run({"replay", folder, "--runs", absl::StrCat(runs), "--json"}, absl::Seconds(int64_t{timeout_s} * runs + 120));
  if (!replay.ok()) return absl::StrCat("| ", version, " | ", build, " | engine | - | ", replay.status().message(), " |\n");
  int same = 0, failed = 0, skipped = 0;
  std::string dist;
  for (const JsonValue& o : (*replay)["outcomes"].items()) {
    run::Verdict v;
    run::ParseVerdictKind(o["kind"].str(), &v.kind);
    v.detail = o["detail"].str();
    int n = static_cast<int>(o["count"].integer());
    same += report::SameFailure(want, v) ? n : 0;
    failed += v.kind == run::VerdictKind::kFatal || v.kind == run::VerdictKind::kCrash ||
                      v.kind == run::VerdictKind::kSanitizer
                  ? n
                  : 0;
    skipped += v.kind == run::VerdictKind::kSkipped ? n : 0;
    absl::StrAppend(&dist, dist.empty() ? "" : ", ", n, "x ", v.ToString());
  }
  same = std::max(same, static_cast<int>((*replay)["reproduced"].integer()));
  std::string rate = skipped == runs ? "- (the scenario does not apply here)"
                                     : absl::StrCat(same, "/", runs,
                                                    same > 0     ? ""
                                                    : failed > 0 ? " (fails differently)"
                                                                 : " (not affected or fixed)");
  std::printf("%s %s engine: %s (%s)\n", version.c_str(), build.c_str(), rate.c_str(), dist.c_str());
  std::fflush(stdout);
  return absl::StrCat("| ", version, " | ", build, " | engine | ", rate, " | ", dist, " |\n");
}

int Matrix(int argc, char** argv) {
  constexpr char kUsage[] =
      "usage: endgame matrix FINDING [--python PATH...] [--endgame CMD...] [--runs N] [--timeout-s S]\n"
      "  runs the finding's reproducer (repro.py, or repro.c for a capi finding) on each --python\n"
      "  (an interpreter or a python3-config), and the finding itself on each --endgame (an endgame\n"
      "  built against another CPython), N times each; writes FINDING/matrix.md.\n"
      "  scripts/endgame matrix FINDING, with neither, covers every CPython the machine has.";
  Args a = ParseArgs(argc, argv, {"--python", "--endgame", "--runs", "--timeout-s"});
  if (a.help) return Help(kUsage);
  int runs, timeout_s;
  if (!a.error.empty() || a.positional.size() != 1 || (!a.flags.count("--python") && !a.flags.count("--endgame")) ||
      !IntFlag(a, "--runs", 3, 1, 1000, &runs) || !IntFlag(a, "--timeout-s", 60, 1, 3600, &timeout_s)) {
    return Fail("matrix", a.error.empty() ? kUsage : absl::StrCat(a.error, "\n", kUsage));
  }
  absl::StatusOr<Target> t = LoadTarget(a.positional[0]);
  if (!t.ok()) return Fail("matrix", std::string(t.status().message()));
  if (!t->meta.ok()) return Fail("matrix", absl::StrCat(a.positional[0], " is not a finding folder (no meta.json)"));
  run::Verdict want;
  run::ParseVerdictKind(t->meta->verdict_kind, &want.kind);
  want.detail = t->meta->detail;
  std::string py = (fs::path(t->folder) / "repro.py").string(), c = (fs::path(t->folder) / "repro.c").string();
  // The reproducer faithful to the finding's driver, only: repro.c's C API
  // calls cannot reach an interpreters-driver finding's code path, and a capi
  // finding's repro.py is a translation.
  const bool capi = t->scenario.driver == scenario::Driver::kCapi;
  const bool have_py = !capi && fs::exists(py), have_c = capi && fs::exists(c);
  if (!have_py && !have_c && a.flags.count("--python")) {
    return Fail("matrix", absl::StrCat("no ", capi ? "repro.c" : "repro.py", " in the finding (driver ",
                                       capi ? "capi" : "interpreters", "): run `endgame repro` first"),
                1);
  }
  std::string md = absl::StrCat("| CPython | build | reproducer | reproduced | outcomes |\n|---|---|---|---|---|\n");
  for (const std::string& cmd : a.flags["--endgame"]) absl::StrAppend(&md, EngineRow(cmd, t->folder, want, runs, timeout_s));
  for (const std::string& path : a.flags["--python"]) {
    absl::StatusOr<report::PythonBuild> b = report::ResolvePython(path);
    if (!b.ok()) {
      absl::StrAppend(&md, "| ", path, " | ? | - | - | ", b.status().message(), " |\n");
      continue;
    }
    for (bool is_c : {false, true}) {
      if ((is_c && !have_c) || (!is_c && !have_py)) continue;
      std::string binary = absl::StrCat(t->folder, "/repro-", b->version, "-", b->build);
      if (is_c) {
        absl::Status built = report::BuildReproC(*b, c, binary);
        if (!built.ok()) {
          absl::StrAppend(&md, "| ", b->version, " | ", b->build, " | repro.c | - | does not build: ",
                          std::string(built.message()).substr(0, 120), " |\n");
          continue;
        }
      }
      int same = 0, failed = 0;  // the finding's failure; any fatal error, crash or sanitizer report
      std::map<std::string, int> outcomes;
      std::string cannot_run;
      for (int i = 0; i < runs; ++i) {
        absl::StatusOr<report::ReproOutcome> o = is_c ? report::RunReproBinary(*b, binary, absl::Seconds(timeout_s))
                                                      : report::RunReproPy(*b, py, absl::Seconds(timeout_s));
        if (!o.ok()) return Fail("matrix", o.status().ToString(), 1);
        same += report::SameFailure(want, o->verdict);
        failed += o->verdict.kind == run::VerdictKind::kFatal || o->verdict.kind == run::VerdictKind::kCrash ||
                  o->verdict.kind == run::VerdictKind::kSanitizer;
        ++outcomes[absl::StrCat(o->verdict.ToString(), o->evidence.empty() ? "" : " (" + o->evidence + ")")];
        if (i == 0 || !cannot_run.empty()) cannot_run = o->cannot_run;
      }
      std::string dist;
      for (const auto& [k, n] : outcomes) absl::StrAppend(&dist, dist.empty() ? "" : ", ", n, "x ", k);
      // Every run failed to import what the reproducer needs: no answer for this version.
      std::string rate = !cannot_run.empty() ? "- (the reproducer does not run here)"
                                             : absl::StrCat(same, "/", runs,
                                                            same > 0     ? ""
                                                            : failed > 0 ? " (fails differently)"
                                                                         : " (not affected or fixed)");
      if (!cannot_run.empty()) dist = cannot_run;
      absl::StrAppend(&md, "| ", b->version, " | ", b->build, " | ", is_c ? "repro.c" : "repro.py", " | ", rate,
                      " | ", dist, " |\n");
      std::printf("%s %s %s: %d/%d (%s)\n", b->version.c_str(), b->build.c_str(), is_c ? "repro.c" : "repro.py",
                  same, runs, dist.c_str());
      std::fflush(stdout);
    }
  }
  std::string out = (fs::path(t->folder) / "matrix.md").string();
  absl::Status w = report::WriteFileAtomically(
      out, absl::StrCat("Finding ", t->meta->signature, ": ", t->meta->verdict, "\n\n", md));
  if (!w.ok()) return Fail("matrix", w.ToString(), 1);
  std::printf("wrote %s\n", out.c_str());
  return 0;
}

int Report(int argc, char** argv) {
  constexpr char kUsage[] = "usage: endgame report FINDING";
  Args a = ParseArgs(argc, argv, {});
  if (a.help) return Help(kUsage);
  if (!a.error.empty() || a.positional.size() != 1) {
    return Fail("report", a.error.empty() ? kUsage : absl::StrCat(a.error, "\n", kUsage));
  }
  absl::StatusOr<Target> t = LoadTarget(a.positional[0]);
  if (!t.ok()) return Fail("report", std::string(t.status().message()));
  if (!t->meta.ok()) return Fail("report", absl::StrCat(a.positional[0], " is not a finding folder (no meta.json)"));
  report::ReportInputs in;
  in.meta = *t->meta;
  in.scenario_text = t->text;
  auto read = [&](const char* name) {
    absl::StatusOr<std::string> s = report::ReadFile((fs::path(t->folder) / name).string());
    return s.ok() ? *s : std::string();
  };
  in.repro_py = read("repro.py");
  in.repro_c = read("repro.c");
  in.matrix_md = read("matrix.md");
  in.stacks = read("stacks.txt");
  in.os = report::DescribeOs();
  in.capi = t->scenario.driver == scenario::Driver::kCapi;
  {
    absl::StatusOr<run::RunResult> r = run::FromJson(read("result.json"));
    if (r.ok()) in.guilty_thread = r->guilty_thread;
  }
  if (!t->meta->known_file.empty()) {
    absl::StatusOr<std::string> known = report::ReadFile(t->meta->known_file);
    for (absl::string_view line : absl::StrSplit(known.ok() ? *known : "", '\n')) {
      if (absl::ConsumePrefix(&line, "# resembles:")) in.resembles.emplace_back(absl::StripAsciiWhitespace(line));
    }
  }
  std::string out = (fs::path(t->folder) / "report.md").string();
  absl::Status w = report::WriteFileAtomically(out, report::UpstreamReport(in));
  if (!w.ok()) return Fail("report", w.ToString(), 1);
  std::printf("wrote %s\n", out.c_str());
  return 0;
}

}  // namespace endgame::cli
