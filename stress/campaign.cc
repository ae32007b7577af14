#include "stress/campaign.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "endgame/base/json.h"
#include "endgame/base/mutex.h"
#include "endgame/base/stats.h"
#include "endgame/base/subprocess.h"
#include "endgame/report/atomic_file.h"
#include "endgame/report/findings.h"
#include "endgame/run/supervise.h"
#include "endgame/scenario/check.h"
#include "endgame/scenario/generator.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/text.h"

namespace endgame::stress {
namespace {

namespace fs = std::filesystem;

struct Item {
  scenario::Scenario scenario;
  std::string text;
  const CampaignStrategy* strategy = nullptr;
};

class Campaign {
 public:
  explicit Campaign(const CampaignOptions& o)
      : o_(o), store_({(fs::path(o.out_dir) / "findings").string(), o.known_dir}), rng_(o.seed) {
    gen_.deadline_ms = o.deadline_ms;
    if (o.interpreters_driver_percent >= 0) gen_.interpreters_driver_percent = o.interpreters_driver_percent;
  }

  CampaignSummary Run();

 private:
  bool Next(Item* item);
  void Job(int slot);
  void Progress();
  bool Stopping() const { return (o_.stop && o_.stop->load()) || absl::Now() >= end_; }

  const CampaignOptions& o_;
  report::FindingStore store_;
  scenario::GeneratorOptions gen_;
  absl::Time start_ = absl::Now();
  absl::Time end_;

  Mutex mu_;
  CondVar cv_;  // signalled when done_
  std::mt19937_64 rng_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<std::string, scenario::Scenario>> corpus_ ABSL_GUARDED_BY(mu_);
  size_t corpus_next_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<Item> pending_ ABSL_GUARDED_BY(mu_);  // one scenario under the remaining strategies
  CampaignSummary summary_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, size_t> finding_index_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

bool Campaign::Next(Item* item) {
  MutexLock lock(&mu_);
  if (pending_.empty()) {
    scenario::Scenario base;
    if (corpus_next_ < corpus_.size()) {
      base = corpus_[corpus_next_++].second;
    } else {
      base = scenario::Generate(gen_, rng_);
    }
    for (const CampaignStrategy& cs : o_.strategies) {
      Item it;
      it.scenario = base;
      it.scenario.strategy = cs.spec;
      it.strategy = &cs;
      // A strategy this scenario cannot use (sticky needs capi) is not run under it.
      if (!scenario::CheckScenario(it.scenario).ok()) continue;
      it.text = scenario::PrintScenario(it.scenario);
      pending_.push_back(std::move(it));
    }
    std::reverse(pending_.begin(), pending_.end());
    if (pending_.empty()) return Next(item);
  }
  *item = std::move(pending_.back());
  pending_.pop_back();
  return true;
}

void Campaign::Job(int slot) {
  std::string file = (fs::path(o_.out_dir) / "work" / absl::StrCat("slot-", slot, ".scn")).string();
  while (!Stopping()) {
    Item item;
    if (!Next(&item)) break;
    if (!report::WriteFileAtomically(file, item.text).ok()) break;
    run::SuperviseOptions so;
    so.exe = o_.exe;
    absl::StatusOr<run::RunResult> r = run::RunSupervised(file, item.scenario, so);
    if (o_.stop && o_.stop->load()) break;  // killed by us on Ctrl-C: not a result
    std::string kind = r.ok() ? run::VerdictKindName(r->verdict.kind) : "error";
    // SIGKILL that is not our timeout: killed from outside (or the OOM killer).
    bool killed = r.ok() && r->verdict.kind == run::VerdictKind::kCrash && r->verdict.detail == "SIGKILL";
    if (killed) kind = "killed";
    const bool expected = r.ok() && !killed && !r->expected_reason.empty();
    if (expected) kind = "expected";
    absl::StatusOr<report::FindingMeta> meta;
    if (r.ok() && !killed && report::IsFinding(*r)) {
      meta = store_.Record(*r, item.text, item.strategy->label);
      if (!meta.ok() && o_.on_error) o_.on_error(meta.status().ToString());
    }
    MutexLock lock(&mu_);
    ++summary_.scenarios;
    StrategyStats& st = summary_.per_strategy[item.strategy->label];
    ++st.scenarios;
    ++st.verdicts[kind];
    if (expected) {
      ++summary_.expected;
      ++summary_.expected_by_verdict[r->verdict.ToString()];
    }
    if (r.ok()) {
      for (const run::StepRecord& s : r->steps) {
        if (s.kind == "destroy" && s.status == "ok" && s.duration_us >= 0) st.teardown_ms.push_back(s.duration_us / 1000.0);
      }
      for (const run::CancelRecord& c : r->cancels) {
        ++st.cancel_outcomes[c.outcome];
        if (c.latency_us >= 0) st.cancel_ms.push_back(c.latency_us / 1000.0);
      }
    }
    if (meta.ok()) {
      auto it = finding_index_.find(meta->signature);
      if (it == finding_index_.end()) {
        FindingLine f;
        f.signature = meta->signature;
        f.verdict = meta->verdict;
        f.step = meta->step;
        f.folder = store_.Folder(meta->signature);
        f.known = meta->known;
        f.new_here = meta->count == 1;
        f.cause = meta->cause.empty() ? meta->signature : meta->cause;
        f.cause_title = meta->cause_title.empty() ? meta->verdict : meta->cause_title;
        f.finding_class = meta->finding_class.empty() ? (meta->known ? "known" : "new") : meta->finding_class;
        finding_index_[meta->signature] = summary_.findings.size();
        summary_.findings.push_back(f);
        it = finding_index_.find(meta->signature);
      }
      FindingLine& f = summary_.findings[it->second];
      f.count = meta->count;
      f.strategies = meta->strategies;
    }
  }
}

void Campaign::Progress() {
  while (true) {
    {
      MutexLock lock(&mu_);
      absl::Time until = absl::Now() + absl::Seconds(1);
      while (!done_ && absl::Now() < until) cv_.WaitWithDeadline(&mu_, until);
      if (done_) break;
    }
    std::string line;
    {
      MutexLock lock(&mu_);
      double secs = absl::ToDoubleSeconds(absl::Now() - start_);
      std::map<std::string, int64_t> by_kind;
      for (const auto& [label, st] : summary_.per_strategy) {
        for (const auto& [k, n] : st.verdicts) by_kind[k] += n;
      }
      int fresh = 0;
      for (const FindingLine& f : summary_.findings) fresh += f.new_here && !f.known;
      line = absl::StrFormat("[%02d:%02d] %d scenarios (%.1f/s) |", static_cast<int>(secs) / 60,
                             static_cast<int>(secs) % 60, summary_.scenarios, summary_.scenarios / std::max(secs, 1e-3));
      for (const char* k : {"fatal", "crash", "sanitizer", "hang", "leak", "killed", "expected"}) {
        absl::StrAppend(&line, " ", k, " ", by_kind[k]);
      }
      absl::StrAppend(&line, " | findings ", summary_.findings.size(), " (", fresh, " new)");
    }
    if (o_.on_progress) o_.on_progress(line);
  }
}

CampaignSummary Campaign::Run() {
  end_ = start_ + absl::Seconds(o_.minutes * 60);
  std::error_code ec;
  fs::create_directories(fs::path(o_.out_dir) / "work", ec);
  if (!o_.corpus_dir.empty() && fs::is_directory(o_.corpus_dir, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(o_.corpus_dir, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".scn") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    MutexLock lock(&mu_);
    for (const fs::path& p : files) {
      absl::StatusOr<std::string> text = report::ReadFile(p.string());
      if (!text.ok()) continue;
      absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(*text, p.string());
      // Known findings and scenarios that end the process are replayed elsewhere.
      if (s.ok()) corpus_.emplace_back(p.string(), *s);
    }
  }
  {
    MutexLock lock(&mu_);
    summary_.seed = o_.seed;
    for (const CampaignStrategy& cs : o_.strategies) summary_.per_strategy[cs.label];
  }
  std::thread progress([this] { Progress(); });
  std::vector<std::thread> jobs;
  for (int j = 0; j < o_.jobs; ++j) jobs.emplace_back([this, j] { Job(j); });
  // Ctrl-C: stop dispatching and kill the children now running.
  std::thread killer([this] {
    while (true) {
      {
        MutexLock lock(&mu_);
        if (done_) return;
      }
      if (o_.stop && o_.stop->load()) {
        KillAllChildren();
        return;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
  });
  for (std::thread& t : jobs) t.join();
  {
    MutexLock lock(&mu_);
    done_ = true;
    cv_.SignalAll();
  }
  killer.join();
  progress.join();
  MutexLock lock(&mu_);
  summary_.seconds = absl::ToDoubleSeconds(absl::Now() - start_);
  summary_.interrupted = o_.stop && o_.stop->load();
  return summary_;
}

}  // namespace

absl::StatusOr<std::vector<CampaignStrategy>> ParseStrategies(const std::string& list) {
  std::vector<CampaignStrategy> out;
  const std::string expanded = absl::StripAsciiWhitespace(list) == "all" ? scenario::AllStrategyList() : list;
  for (absl::string_view item : absl::StrSplit(expanded, ',', absl::SkipWhitespace())) {
    std::string label(absl::StripAsciiWhitespace(item));
    absl::StatusOr<scenario::Scenario> s =
        scenario::ParseScenario(absl::StrCat("strategy ", label, "\n"), "--strategies");
    if (!s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("bad strategy '", label, "': ", s.status().message()));
    }
    out.push_back({label, s->strategy});
  }
  if (out.empty()) return absl::InvalidArgumentError("--strategies needs at least one strategy");
  return out;
}

CampaignSummary RunCampaign(const CampaignOptions& options) { return Campaign(options).Run(); }

std::string FormatSummary(const CampaignSummary& s) {
  std::string out = absl::StrFormat("\ncampaign: %d scenarios in %.0f s (%.1f/s), seed %d%s\n\n", s.scenarios,
                                    s.seconds, s.scenarios / std::max(s.seconds, 1e-3), s.seed,
                                    s.interrupted ? ", interrupted" : "");
  const char* kinds[] = {"ok",    "error",     "skipped", "leak",    "hang",
                         "fatal", "crash", "sanitizer", "killed", "expected"};
  absl::StrAppend(&out, absl::StrFormat("%-34s %9s", "strategy", "scenarios"));
  for (const char* k : kinds) absl::StrAppend(&out, absl::StrFormat(" %9s", k));
  absl::StrAppend(&out, "   teardown p50     p99   cancel p50 (n)\n");
  for (const auto& [label, st] : s.per_strategy) {
    absl::StrAppend(&out, absl::StrFormat("%-34s %9d", label, st.scenarios));
    for (const char* k : kinds) {
      auto it = st.verdicts.find(k);
      absl::StrAppend(&out, absl::StrFormat(" %9d", it == st.verdicts.end() ? 0 : it->second));
    }
    if (st.teardown_ms.empty()) {
      absl::StrAppend(&out, "            -          -");
    } else {
      absl::StrAppend(&out, absl::StrFormat("   %7.2f ms %7.2f ms", Percentile(st.teardown_ms, 0.50),
                                            Percentile(st.teardown_ms, 0.99)));
    }
    if (st.cancel_ms.empty()) {
      absl::StrAppend(&out, "            -\n");
    } else {
      absl::StrAppend(&out, absl::StrFormat("   %7.2f ms (%d)\n", Percentile(st.cancel_ms, 0.50), st.cancel_ms.size()));
    }
  }
  std::vector<CauseLine> causes = GroupByCause(s.findings);
  int fresh = 0, known = 0, limitation = 0;
  for (const CauseLine& c : causes) {
    if (c.finding_class == "new") ++fresh;
    else if (c.finding_class == "limitation") ++limitation;
    else ++known;
  }
  // In words first: what a core developer would act on.
  std::vector<std::string> words;
  words.push_back(absl::StrFormat("%d new CPython bug%s", fresh, fresh == 1 ? "" : "s"));
  if (known) words.push_back(absl::StrFormat("%d known", known));
  if (limitation) words.push_back(absl::StrFormat("%d documented limitation%s", limitation, limitation == 1 ? "" : "s"));
  if (s.expected) words.push_back(absl::StrFormat("%d expected outcome%s not counted", s.expected, s.expected == 1 ? "" : "s"));
  absl::StrAppend(&out, "\n", absl::StrJoin(words, ", "), "\n");
  absl::StrAppend(&out, absl::StrFormat("root causes: %d (from %d raw signatures)\n", causes.size(), s.findings.size()));
  if (s.expected > 0) {
    std::string by;
    for (const auto& [verdict, n] : s.expected_by_verdict) absl::StrAppend(&by, by.empty() ? "" : ", ", n, "x ", verdict);
    absl::StrAppend(&out, absl::StrFormat("expected outcomes (what the scenarios caused): %s\n", by));
  }
  for (const CauseLine& c : causes) {
    absl::StrAppend(&out, absl::StrFormat("  %s  %-14s %s  x%d %s\n", c.cause, c.finding_class, c.title.substr(0, 90),
                                          c.count, absl::StrJoin(c.strategies, ",")));
    for (const FindingLine* f : c.signatures) {
      absl::StrAppend(&out, absl::StrFormat("      %s  %-40s %-8s x%-5d replay: endgame replay %s/%s\n",
                                            f->signature, f->verdict.substr(0, 40), f->step, f->count, f->folder,
                                            report::kScenarioFile));
    }
  }
  return out;
}

std::string SummaryJson(const CampaignSummary& s) {
  JsonWriter j;
  j.BeginObject();
  j.Key("seconds"); j.Double(s.seconds);
  j.Key("scenarios"); j.Int(s.scenarios);
  j.Key("seed"); j.Int(static_cast<int64_t>(s.seed));
  j.Key("interrupted"); j.Bool(s.interrupted);
  j.Key("strategies");
  j.BeginArray();
  for (const auto& [label, st] : s.per_strategy) {
    j.BeginObject();
    j.Key("label"); j.String(label);
    j.Key("scenarios"); j.Int(st.scenarios);
    j.Key("verdicts");
    j.BeginObject();
    for (const auto& [k, n] : st.verdicts) { j.Key(k); j.Int(n); }
    j.EndObject();
    j.Key("teardown_ms");
    j.BeginArray();
    for (double v : st.teardown_ms) j.Double(v);
    j.EndArray();
    j.Key("cancel_ms");
    j.BeginArray();
    for (double v : st.cancel_ms) j.Double(v);
    j.EndArray();
    if (!st.cancel_ms.empty()) {
      j.Key("cancel_p50_ms");
      j.Double(Percentile(st.cancel_ms, 0.50));
    }
    j.Key("cancel_outcomes");
    j.BeginObject();
    for (const auto& [k, n] : st.cancel_outcomes) { j.Key(k); j.Int(n); }
    j.EndObject();
    j.EndObject();
  }
  j.EndArray();
  j.Key("expected");
  j.Int(s.expected);
  j.Key("expected_by_verdict");
  j.BeginObject();
  for (const auto& [verdict, n] : s.expected_by_verdict) { j.Key(verdict); j.Int(n); }
  j.EndObject();
  j.Key("findings");
  j.BeginArray();
  for (const FindingLine& f : s.findings) {
    j.BeginObject();
    j.Key("signature"); j.String(f.signature);
    j.Key("verdict"); j.String(f.verdict);
    j.Key("step"); j.String(f.step);
    j.Key("count"); j.Int(f.count);
    j.Key("strategies");
    j.BeginArray();
    for (const std::string& st : f.strategies) j.String(st);
    j.EndArray();
    j.Key("known"); j.Bool(f.known);
    j.Key("new"); j.Bool(f.new_here);
    j.Key("folder"); j.String(f.folder);
    j.Key("cause"); j.String(f.cause);
    j.Key("class"); j.String(f.finding_class);
    j.EndObject();
  }
  j.EndArray();
  j.Key("causes");
  j.BeginArray();
  for (const CauseLine& c : GroupByCause(s.findings)) {
    j.BeginObject();
    j.Key("cause"); j.String(c.cause);
    j.Key("title"); j.String(c.title);
    j.Key("class"); j.String(c.finding_class);
    j.Key("count"); j.Int(c.count);
    j.Key("folder"); j.String(c.signatures.front()->folder);  // the first signature's: triage it
    j.Key("signatures");
    j.BeginArray();
    for (const FindingLine* f : c.signatures) j.String(f->signature);
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.str() + "\n";
}

std::vector<CauseLine> GroupByCause(const std::vector<FindingLine>& findings) {
  std::vector<CauseLine> out;
  std::map<std::string, size_t> at;
  for (const FindingLine& f : findings) {
    const std::string key = f.cause.empty() ? f.signature : f.cause;
    auto it = at.find(key);
    if (it == at.end()) {
      it = at.emplace(key, out.size()).first;
      CauseLine c;
      c.cause = key;
      c.title = f.cause_title.empty() ? f.verdict : f.cause_title;
      c.finding_class = f.finding_class.empty() ? (f.known ? "known" : "new") : f.finding_class;
      out.push_back(c);
    }
    CauseLine& c = out[it->second];
    c.signatures.push_back(&f);
    c.count += f.count;
    // A known signature makes the cause known.
    if (absl::StartsWith(f.finding_class, "known") && !absl::StartsWith(c.finding_class, "known")) c.finding_class = f.finding_class;
    for (const std::string& st : f.strategies) {
      if (std::find(c.strategies.begin(), c.strategies.end(), st) == c.strategies.end()) c.strategies.push_back(st);
    }
  }
  return out;
}

}  // namespace endgame::stress
