#include "endgame/report/minimize.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "endgame/scenario/check.h"
#include "endgame/scenario/snippets.h"

namespace endgame::report {
namespace {

using scenario::Scenario;
using scenario::Step;

class Minimizer {
 public:
  Minimizer(const StillFails& f, const std::function<void(const std::string&)>& log, MinimizeStats* stats)
      : still_fails_(f), log_(log), stats_(stats) {}

  // Runs `candidate` when it is valid and differs from `best`; keeps it when
  // it still fails.
  bool Try(Scenario* best, Scenario candidate, const std::string& what) {
    if (candidate == *best || !scenario::CheckScenario(candidate).ok()) return false;
    ++stats_->tested;
    if (!still_fails_(candidate)) return false;
    ++stats_->accepted;
    *best = std::move(candidate);
    if (log_) log_(absl::StrCat("kept: ", what, " (", best->steps.size(), " steps)"));
    return true;
  }

  // ddmin over the step list: remove chunks, halving the chunk size.
  void Steps(Scenario* best) {
    size_t n = 2;
    while (best->steps.size() >= 2) {
      size_t size = best->steps.size();
      size_t chunk = (size + n - 1) / n;
      bool reduced = false;
      for (size_t start = 0; start < size && !reduced; start += chunk) {
        Scenario c = *best;
        c.steps.erase(c.steps.begin() + start, c.steps.begin() + std::min(size, start + chunk));
        reduced = Try(best, std::move(c), absl::StrCat("steps ", start, "..", std::min(size, start + chunk) - 1, " removed"));
      }
      if (reduced) {
        n = std::max<size_t>(n - 1, 2);
      } else if (chunk == 1) {
        break;
      } else {
        n = std::min(size, n * 2);
      }
    }
  }

  // One simplification per candidate, for each step.
  void Arguments(Scenario* best) {
    for (size_t i = 0; i < best->steps.size(); ++i) {
      auto variant = [&](const std::string& what, const std::function<void(Step&)>& change) {
        Scenario c = *best;
        change(c.steps[i]);
        Try(best, std::move(c), absl::StrCat("step ", i, ": ", what));
      };
      variant("delay_us=0", [](Step& s) { s.delay_us = 0; });
      variant("default snippet arguments", [](Step& s) {
        std::string text = s.snippet.text;
        s.snippet = scenario::DefaultSnippet(s.snippet.kind);
        if (s.snippet.kind == scenario::SnippetKind::kCode) s.snippet.text = text;
      });
      variant("on=strategy", [](Step& s) { s.on = scenario::ExecOn::kStrategy; });
      variant("no timeout", [](Step& s) { s.timeout_ms = 0; });
      variant("config flags at their base", [](Step& s) {
        scenario::InterpConfig base;
        base.base = s.config.base;
        s.config = base;
      });
      variant("isolated config", [](Step& s) { s.config = scenario::InterpConfig(); });
      variant("destroy from the conductor", [](Step& s) { s.from = scenario::DestroyFrom::kConductor; });
      variant("default destroy route", [](Step& s) { s.destroy_via = scenario::DestroyVia::kAuto; });
      variant("synchronous", [](Step& s) {
        if (s.kind == scenario::StepKind::kExec || s.kind == scenario::StepKind::kDestroy) s.task.clear();
      });
      variant("shorter sleep", [](Step& s) { s.ms /= 2; });
    }
  }

  void Header(Scenario* best) {
    // The reproducers model cache and dedicated only: a finding that keeps
    // its cause under one of them gets a repro.py / repro.c.
    if (best->strategy.kind == scenario::StrategyKind::kPython) {
      for (scenario::StrategyKind kind : {scenario::StrategyKind::kCache, scenario::StrategyKind::kDedicated}) {
        Scenario c = *best;
        c.strategy = scenario::StrategySpec();
        c.strategy.kind = kind;
        if (Try(best, c, kind == scenario::StrategyKind::kCache ? "strategy cache" : "strategy dedicated")) break;
      }
    }
    Scenario c = *best;
    c.strategy.workers = 1;
    Try(best, c, "workers=1");
    c = *best;
    c.name.clear();
    Try(best, c, "no name");
  }

 private:
  const StillFails& still_fails_;
  const std::function<void(const std::string&)>& log_;
  MinimizeStats* stats_;
};

}  // namespace

Scenario Minimize(const Scenario& start, const StillFails& still_fails,
                  const std::function<void(const std::string&)>& log, MinimizeStats* stats) {
  MinimizeStats local;
  if (stats == nullptr) stats = &local;
  Minimizer m(still_fails, log, stats);
  Scenario best = start;
  for (Step& s : best.steps) s.pos = {};
  m.Steps(&best);
  m.Arguments(&best);
  m.Steps(&best);  // simpler steps can make more of them removable
  m.Header(&best);
  return best;
}

}  // namespace endgame::report
