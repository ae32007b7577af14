#include "endgame/scenario/fuzz_shape.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "endgame/scenario/check.h"
#include "endgame/scenario/internal/lexer.h"
#include "endgame/scenario/snippets.h"
#include "endgame/scenario/strategies.h"

namespace endgame::scenario {
namespace {

int64_t Clamp(int64_t v, int64_t hi) { return std::min(v, hi); }

void ClampSnippet(Snippet* s, const FuzzLimits& l) {
  s->ms = Clamp(s->ms, l.max_ms);
  s->kb = Clamp(s->kb, l.max_alloc_kb);
  s->depth = Clamp(s->depth, l.max_recurse_depth);
  switch (s->kind) {
    case SnippetKind::kCompute: s->n = Clamp(s->n, l.max_compute_n); break;
    case SnippetKind::kThread:
    case SnippetKind::kRawThread: s->n = Clamp(s->n, l.max_threads); break;
    case SnippetKind::kFiles: s->n = Clamp(s->n, l.max_files); break;
    default: break;
  }
}

// `busy`, `busy_poll` and `lock_wait` with ms=0 run until cancelled. Under a
// fuzzer that is only meaningful for an asynchronous exec that a later
// cancel can stop (busy: async_exc; busy_poll: flag or async_exc; lock_wait:
// nothing but abandon, which leaves it running); otherwise the input is a
// hang of its own making, so the snippet gets a finite duration.
bool StoppableForever(const std::vector<Step>& steps, size_t index) {
  const Step& exec = steps[index];
  if (exec.task.empty() || exec.snippet.kind == SnippetKind::kLockWait) return false;
  for (size_t i = index + 1; i < steps.size(); ++i) {
    const Step& st = steps[i];
    if (st.task != exec.task) continue;
    if (st.kind == StepKind::kWait && st.timeout_ms == 0) return false;  // waits forever first
    if (st.kind != StepKind::kCancel) continue;
    if (st.via == CancelVia::kAsyncExc) return true;
    if (st.via == CancelVia::kFlag && exec.snippet.kind == SnippetKind::kBusyPoll) return true;
  }
  return false;
}

bool RunsUntilCancelled(const Snippet& s) {
  return s.ms == 0 && (s.kind == SnippetKind::kBusy || s.kind == SnippetKind::kBusyPoll ||
                       s.kind == SnippetKind::kLockWait);
}

bool Keeps(FuzzTarget target, StepKind kind) {
  switch (target) {
    case FuzzTarget::kDestroyRace: return kind != StepKind::kGc;
    case FuzzTarget::kInterpConfig: return kind != StepKind::kCancel && kind != StepKind::kSleep;
    default: return true;
  }
}

// Whether an interpreter of config `c` lets os.fork() through: legacy unless
// fork=0, isolated only with fork=1.
bool AllowsFork(const InterpConfig& c) {
  return c.fork == 1 || (c.fork == -1 && c.base == InterpConfig::Base::kLegacy);
}

}  // namespace

const char* FuzzTargetName(FuzzTarget target) {
  switch (target) {
    case FuzzTarget::kLifecycle: return "lifecycle";
    case FuzzTarget::kStrategyDiff: return "strategy_diff";
    case FuzzTarget::kDestroyRace: return "destroy_race";
    case FuzzTarget::kInterpConfig: return "interp_config";
  }
  return "?";
}

bool ParseFuzzTarget(std::string_view name, FuzzTarget* target) {
  for (FuzzTarget t : {FuzzTarget::kLifecycle, FuzzTarget::kStrategyDiff, FuzzTarget::kDestroyRace,
                       FuzzTarget::kInterpConfig}) {
    if (name == FuzzTargetName(t)) {
      *target = t;
      return true;
    }
  }
  return false;
}

Scenario ShapeForFuzzing(const Scenario& scenario, FuzzTarget target, const FuzzLimits& limits) {
  Scenario s = scenario;
  s.expect.reset();
  s.deadline_ms = std::clamp<int64_t>(s.deadline_ms, std::min(limits.min_deadline_ms, limits.max_deadline_ms),
                                      limits.max_deadline_ms);
  // Every strategy's arguments, by what they count (strategies.h).
  if (const StrategyInfo* info = InfoOf(s.strategy); info != nullptr && !info->user_module) {
    for (const StrategyArg& a : info->args) {
      int64_t v = StrategyArgValue(s.strategy, a.key);
      if (a.unit == ArgUnit::kCount) v = std::clamp<int64_t>(v, a.min, std::max<int64_t>(a.min, limits.max_workers));
      if (a.unit == ArgUnit::kMs) v = Clamp(v, limits.max_bound_ms);
      SetStrategyArg(&s.strategy, a.key, v);
    }
  }
  std::vector<Step> steps;
  for (const Step& step : scenario.steps) {
    if (EndsScenario(step.kind)) break;
    if (!Keeps(target, step.kind)) continue;
    Step st = step;
    st.ms = Clamp(st.ms, limits.max_ms);
    st.timeout_ms = Clamp(st.timeout_ms, limits.max_ms);
    st.delay_us = Clamp(st.delay_us, limits.max_delay_us);
    ClampSnippet(&st.snippet, limits);
    steps.push_back(std::move(st));
  }
  std::map<std::string, InterpConfig> config;  // each interpreter's latest spawn
  // Which interpreters may be alive at each step: spawned, and not surely
  // destroyed since. A destroy is sure only when no task of its interpreter
  // (an exec, put, get or another destroy) may still run: one still running
  // makes a synchronous destroy fail ("interpreter running"), and a destroy
  // task is done only once a wait without timeout_ms waited for it.
  std::set<std::string> alive;
  std::map<std::string, std::set<std::string>> running;  // interpreter -> its tasks not surely done
  std::map<std::string, std::pair<std::string, bool>> task_of;  // task -> (interpreter, is a destroy)
  for (size_t i = 0; i < steps.size(); ++i) {
    Step& st = steps[i];
    if (st.kind == StepKind::kSpawn) alive.insert(st.interp);
    if (st.kind == StepKind::kDestroy && st.task.empty() && running[st.interp].empty()) alive.erase(st.interp);
    if (!st.task.empty() && st.kind != StepKind::kWait && st.kind != StepKind::kCancel) {
      running[st.interp].insert(st.task);
      task_of[st.task] = {st.interp, st.kind == StepKind::kDestroy};
    }
    if (st.kind == StepKind::kWait && st.timeout_ms == 0 && task_of.count(st.task)) {
      const auto& [interp, destroys] = task_of[st.task];
      running[interp].erase(st.task);
      if (destroys && running[interp].empty()) alive.erase(interp);
    }
    // os.fork() in the main interpreter with a subinterpreter alive (or being
    // destroyed) kills the child on every CPython measured (gh-139759, open;
    // tests/surface/fork_main_*.scn), so every such input would stop there:
    // it runs as a sleep of its ms. A fork with none alive runs.
    if (st.kind == StepKind::kFork && !alive.empty()) {
      st.kind = StepKind::kSleep;  // interp_config keeps no sleep: the step goes (Keeps)
      continue;
    }
    // A gil="TEXT" that is not UTF-8 is a lone surrogate for new_config(),
    // on which 3.13.15 crashes (gh-148798; fixed in 3.14.10): the fuzz build
    // is 3.13, so every such input would stop there. Its UTF-8 prefix stays.
    if (st.kind == StepKind::kSpawn && st.config.gil_text) {
      const std::string& g = *st.config.gil_text;
      size_t i = 0;
      while (i < g.size()) {
        const size_t n = static_cast<unsigned char>(g[i]) < 0x80 ? 1 : internal::Utf8SequenceLength(g, i);
        if (n == 0) break;
        i += n;
      }
      st.config.gil_text->resize(i);
    }
    if (st.kind == StepKind::kSpawn) config[st.interp] = st.config;
    if (st.kind == StepKind::kExec && RunsUntilCancelled(st.snippet) && !StoppableForever(steps, i)) {
      st.snippet.ms = limits.max_ms;
    }
    // A fork where CPython lets it through kills the child on every CPython
    // measured (known finding afd4becde09a), so every such input would stop
    // at that one finding: it runs as a noop. Where CPython refuses the fork
    // (RuntimeError) it runs, and its child, if a fix lets one live, too.
    if (st.kind == StepKind::kExec && st.snippet.kind == SnippetKind::kFork && AllowsFork(config[st.interp])) {
      st.snippet = DefaultSnippet(SnippetKind::kNoop);
    }
    // A queue handle put as an item deadlocks its putter's destroy while the
    // item is still queued, the drain's too (known finding, on every CPython
    // measured; corpus/known/): most such inputs would stop there. The put
    // runs with `none`; share and call keep their handles (no item).
    if (st.kind == StepKind::kPut && st.value.kind == Value::Kind::kQueue) st.value = Value{};
  }
  steps.erase(std::remove_if(steps.begin(), steps.end(), [&](const Step& st) { return !Keeps(target, st.kind); }),
              steps.end());
  s.steps = std::move(steps);
  // Dropping steps can orphan a later step (a wait on a dropped task cannot
  // happen: only cancel, sleep and gc are dropped, none defines a name), but
  // repair keeps the contract whatever the projection becomes.
  RepairScenario(&s);
  return s;
}

GeneratorOptions FuzzMutatorOptions(FuzzTarget target) {
  GeneratorOptions o;
  o.max_ms = 200;
  o.max_delay_us = 20000;
  o.deadline_ms = 5000;
  switch (target) {
    case FuzzTarget::kLifecycle:
      // Forks with no subinterpreter alive run; the rest sleep (ShapeForFuzzing).
      o.step_weights[static_cast<int>(StepKind::kFork)] = 1;
      break;
    case FuzzTarget::kStrategyDiff:
      // A fork's child dies (or not) alike under cache and dedicated: no
      // difference to find, a process per input to pay.
      o.snippet_weights[static_cast<int>(SnippetKind::kFork)] = 0;
      break;
    case FuzzTarget::kDestroyRace:
      o.snippet_weights[static_cast<int>(SnippetKind::kFork)] = 0;  // as strategy_diff
      // spawn exec wait cancel destroy sleep gc finalize queue put get share
      // call close: queue and channel traffic, closes, shares and calls race
      // the destroys too (half of the queues are channels).
      o.step_weights = {3, 8, 2, 5, 6, 1, 0, 0, 1, 3, 3, 2, 2, 1};
      o.channel_percent = 50;
      o.async_percent = 70;
      o.destroy_args_percent = 60;
      o.delay_percent = 60;
      break;
    case FuzzTarget::kInterpConfig:
      o.step_weights = {6, 5, 2, 0, 4, 0, 1, 0, 0, 0, 0, 1, 1, 0};
      o.config_flag_percent = 50;
      o.legacy_percent = 50;
      break;
  }
  return o;
}

}  // namespace endgame::scenario
