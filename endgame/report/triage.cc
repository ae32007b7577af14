#include "endgame/report/triage.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "endgame/base/json.h"
#include "endgame/base/json_parse.h"
#include "endgame/base/subprocess.h"
#include "endgame/report/atomic_file.h"
#include "endgame/report/cause.h"
#include "endgame/report/repro.h"
#include "endgame/run/supervise.h"
#include "endgame/scenario/text.h"

namespace endgame::report {

namespace fs = std::filesystem;

absl::StatusOr<Target> LoadTarget(const std::string& arg) {
  Target t;
  std::error_code ec;
  if (fs::is_directory(arg, ec)) {
    t.folder = arg;
    t.file = (fs::path(arg) / kScenarioFile).string();
  } else {
    t.file = arg;
    fs::path dir = fs::path(arg).parent_path();
    if (dir.empty()) dir = ".";
    if (fs::exists(dir / kMetaFile, ec)) t.folder = dir.string();
  }
  absl::StatusOr<std::string> text = ReadFile(t.file);
  if (!text.ok()) return text.status();
  t.text = *text;
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(t.text, t.file);
  if (!s.ok()) return s.status();
  t.scenario = *s;
  if (!t.folder.empty()) t.meta = LoadMeta(t.folder);
  return t;
}

absl::StatusOr<run::RunResult> RunOnce(const std::string& file, const scenario::Scenario& s) {
  absl::StatusOr<std::string> exe = SelfExe();
  if (!exe.ok()) return exe.status();
  run::SuperviseOptions so;
  so.exe = *exe;
  return run::RunSupervised(file, s, so);
}

absl::StatusOr<ReplayStats> ReplayTarget(Target* t, int runs,
                                         const std::function<void(int, const run::RunResult&)>& on_run) {
  ReplayStats st;
  st.runs = runs;
  st.signature = t->meta.ok() ? t->meta->signature : "";
  st.cause = t->meta.ok() ? t->meta->cause : "";
  for (int i = 0; i < runs; ++i) {
    absl::StatusOr<run::RunResult> r = RunOnce(t->file, t->scenario);
    if (!r.ok()) return r.status();
    const bool finding = IsFinding(*r);
    const std::string cause = finding ? CauseOf(*r, &t->scenario).key : "";
    if (st.signature.empty() && finding) st.signature = r->signature;
    if (st.cause.empty() && finding) st.cause = cause;
    std::string key = absl::StrCat(r->verdict.ToString(), r->signature.empty() ? "" : "  [" + r->signature + "]");
    ++st.verdicts[key];
    st.verdict_of[key] = r->verdict;
    st.reproduced += finding && (cause == st.cause || r->signature == st.signature);
    if (on_run) on_run(i + 1, *r);
  }
  if (t->meta.ok()) {
    t->meta->reproduced = st.reproduced;
    t->meta->runs = runs;
    (void)SaveMeta(t->folder, *t->meta);
  }
  return st;
}

std::string ReplayJson(const ReplayStats& st) {
  JsonWriter j;
  j.BeginObject();
  j.Key("signature");
  j.String(st.signature);
  j.Key("cause");
  j.String(st.cause);
  j.Key("reproduced");
  j.Int(st.reproduced);
  j.Key("runs");
  j.Int(st.runs);
  j.Key("verdicts");
  j.BeginObject();
  for (const auto& [k, n] : st.verdicts) {
    j.Key(k);
    j.Int(n);
  }
  j.EndObject();
  // The same as verdicts a caller compares by kind and detail (the version
  // matrix does: a cause's signature differs between CPython versions).
  j.Key("outcomes");
  j.BeginArray();
  for (const auto& [k, n] : st.verdicts) {
    j.BeginObject();
    j.Key("kind");
    j.String(run::VerdictKindName(st.verdict_of.at(k).kind));
    j.Key("detail");
    j.String(st.verdict_of.at(k).detail);
    j.Key("count");
    j.Int(n);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.str();
}

absl::StatusOr<run::RunResult> RunUntilFinding(const Target& t, int max_runs, int* runs_done) {
  absl::StatusOr<run::RunResult> r;
  int i = 0;
  while (i < max_runs) {
    ++i;
    r = RunOnce(t.file, t.scenario);
    if (!r.ok() || IsFinding(*r)) break;
  }
  *runs_done = i;
  return r;
}

MinimizePredicate::MinimizePredicate(MinimizeGoal goal)
    : goal_(std::move(goal)),
      need_(std::max(1, static_cast<int>(std::ceil(goal_.rate * goal_.runs)))),
      scratch_(absl::StrCat(fs::temp_directory_path().string(), "/endgame-minimize-", getpid(), ".scn")),
      scratch_py_(absl::StrCat(fs::temp_directory_path().string(), "/endgame-minimize-", getpid(), ".py")) {}

MinimizePredicate::~MinimizePredicate() {
  unlink(scratch_.c_str());
  unlink(scratch_py_.c_str());
}

// The plain-Python check of a kept candidate: its repro.py must reproduce too.
bool MinimizePredicate::ReproReproduces(const scenario::Scenario& c) {
  if (!goal_.repro_python) return true;
  absl::StatusOr<std::string> code = ReproPy(c, "minimize candidate", &goal_.finding);
  if (!code.ok() || !WriteFileAtomically(scratch_py_, *code).ok()) return false;
  absl::StatusOr<ReproOutcome> o = RunReproPy(*goal_.repro_python, scratch_py_, absl::Seconds(60));
  return o.ok() && SameFailure(goal_.finding, o->verdict);
}

bool MinimizePredicate::operator()(const scenario::Scenario& c) {
  if (absl::Now() >= goal_.deadline) {  // no candidate is kept past the budget
    over_budget_ = true;
    return false;
  }
  if (!WriteFileAtomically(scratch_, scenario::PrintScenario(c)).ok()) return false;
  int hits = 0;
  for (int i = 0; i < goal_.runs && hits < need_ && hits + (goal_.runs - i) >= need_; ++i) {
    absl::StatusOr<run::RunResult> r = RunOnce(scratch_, c);
    hits += r.ok() && IsFinding(*r) && (r->signature == goal_.signature || CauseOf(*r, &c).key == goal_.cause);
  }
  return hits >= need_ && ReproReproduces(c);
}

namespace {

bool EndsProcess(run::VerdictKind k) {
  return k == run::VerdictKind::kFatal || k == run::VerdictKind::kCrash || k == run::VerdictKind::kSanitizer;
}

std::string Rate(int same, int runs, int failed) {
  return absl::StrCat(same, "/", runs,
                      same > 0     ? ""
                      : failed > 0 ? " (fails differently)"
                                   : " (not affected or fixed)");
}

}  // namespace

// A run counts when it has the finding's root cause (the replay's own
// `reproduced`: a cause such as two destroys in flight is one cause whether a
// version crashes or parks the caller) or, as signatures and frames differ
// between versions, the same kind and detail.
MatrixRow EngineMatrixRow(const std::string& endgame_cmd, const std::string& folder, const run::Verdict& want,
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
  if (!doctor.ok()) return {absl::StrCat("| ? | ? | engine | - | ", endgame_cmd, ": ", doctor.status().message(), " |\n"), ""};
  std::string version = (*doctor)["version"].str(), build = (*doctor)["debug"].boolean() ? "debug" : "release";
  absl::StatusOr<JsonValue> replay =
      run({"replay", folder, "--runs", absl::StrCat(runs), "--json"}, absl::Seconds(int64_t{timeout_s} * runs + 120));
  if (!replay.ok()) {
    return {absl::StrCat("| ", version, " | ", build, " | engine | - | ", replay.status().message(), " |\n"), ""};
  }
  int same = 0, failed = 0, skipped = 0;
  std::string dist;
  for (const JsonValue& o : (*replay)["outcomes"].items()) {
    run::Verdict v;
    run::ParseVerdictKind(o["kind"].str(), &v.kind);
    v.detail = o["detail"].str();
    int n = static_cast<int>(o["count"].integer());
    same += SameFailure(want, v) ? n : 0;
    failed += EndsProcess(v.kind) ? n : 0;
    skipped += v.kind == run::VerdictKind::kSkipped ? n : 0;
    absl::StrAppend(&dist, dist.empty() ? "" : ", ", n, "x ", v.ToString());
  }
  same = std::max(same, static_cast<int>((*replay)["reproduced"].integer()));
  std::string rate = skipped == runs ? "- (the scenario does not apply here)" : Rate(same, runs, failed);
  return {absl::StrCat("| ", version, " | ", build, " | engine | ", rate, " | ", dist, " |\n"),
          absl::StrCat(version, " ", build, " engine: ", rate, " (", dist, ")")};
}

absl::Status ReproMatrixRows(const std::string& python_path, const std::string& folder, const run::Verdict& want,
                             const std::string& py, const std::string& c, int runs, int timeout_s,
                             const std::function<void(const MatrixRow&)>& on_row) {
  absl::StatusOr<PythonBuild> b = ResolvePython(python_path);
  if (!b.ok()) {
    on_row({absl::StrCat("| ", python_path, " | ? | - | - | ", b.status().message(), " |\n"), ""});
    return absl::OkStatus();
  }
  for (bool is_c : {false, true}) {
    if ((is_c && c.empty()) || (!is_c && py.empty())) continue;
    std::string binary = absl::StrCat(folder, "/repro-", b->version, "-", b->build);
    if (is_c) {
      absl::Status built = BuildReproC(*b, c, binary);
      if (!built.ok()) {
        on_row({absl::StrCat("| ", b->version, " | ", b->build, " | repro.c | - | does not build: ",
                             std::string(built.message()).substr(0, 120), " |\n"),
                ""});
        continue;
      }
    }
    int same = 0, failed = 0;  // the finding's failure; any fatal error, crash or sanitizer report
    std::map<std::string, int> outcomes;
    std::string cannot_run;
    for (int i = 0; i < runs; ++i) {
      absl::StatusOr<ReproOutcome> o = is_c ? RunReproBinary(*b, binary, absl::Seconds(timeout_s))
                                            : RunReproPy(*b, py, absl::Seconds(timeout_s));
      if (!o.ok()) return o.status();
      same += SameFailure(want, o->verdict);
      failed += EndsProcess(o->verdict.kind);
      ++outcomes[absl::StrCat(o->verdict.ToString(), o->evidence.empty() ? "" : " (" + o->evidence + ")")];
      if (i == 0 || !cannot_run.empty()) cannot_run = o->cannot_run;
    }
    std::string dist;
    for (const auto& [k, n] : outcomes) absl::StrAppend(&dist, dist.empty() ? "" : ", ", n, "x ", k);
    // Every run failed to import what the reproducer needs: no answer for this version.
    std::string rate = !cannot_run.empty() ? "- (the reproducer does not run here)" : Rate(same, runs, failed);
    if (!cannot_run.empty()) dist = cannot_run;
    const char* name = is_c ? kReproCFile : kReproPyFile;
    on_row({absl::StrCat("| ", b->version, " | ", b->build, " | ", name, " | ", rate, " | ", dist, " |\n"),
            absl::StrCat(b->version, " ", b->build, " ", name, ": ", same, "/", runs, " (", dist, ")")});
  }
  return absl::OkStatus();
}

}  // namespace endgame::report
