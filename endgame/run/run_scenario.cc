// RunScenario() (conductor.h): one Conductor::Run() per --repeat cycle. A run
// checks the requirements, takes the oracles' baseline, makes the strategy,
// walks the steps (conductor.cc), drains, runs the oracles and composes the
// verdict; the cycles add the memory slopes and compose it once more.
#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "endgame/base/proc.h"
#include "endgame/base/signals.h"
#include "endgame/py/runtime.h"
#include "endgame/run/compose_verdict.h"
#include "endgame/run/conductor.h"
#include "endgame/run/expected.h"
#include "endgame/run/hang_report.h"
#include "endgame/run/internal/conductor.h"
#include "endgame/run/oracles.h"
#include "endgame/run/requirements.h"
#include "endgame/run/snippet_source.h"
#include "endgame/scenario/names.h"
#include "endgame/scenario/snippets.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/text.h"

namespace endgame::run {
namespace internal {

void Conductor::BeginStep(int index, const std::string& kind, const std::string& text) {
  StepRecord r;
  r.index = index;
  r.kind = kind;
  r.text = text;
  r.start_us = SinceStartUs();
  r.status = StepOutcome::Of(StepOutcome::Kind::kRunning).ToText();
  {
    MutexLock lock(&mu_);
    result_.steps.push_back(r);
  }
  if (options_.on_step) options_.on_step(r);
  int64_t deadline_ms = scenario_.deadline_ms;
  watchdog_->Arm({index, kind, absl::Now() + absl::Milliseconds(deadline_ms), conductor_tid_, "conductor"});
}

void Conductor::EndStep(const StepOutcome& outcome) {
  watchdog_->Disarm();
  StepRecord r;
  {
    MutexLock lock(&mu_);
    StepRecord& last = result_.steps.back();
    last.duration_us = SinceStartUs() - last.start_us;
    last.status = outcome.ToText();
    r = last;
    // Errors the APIs reported (not the snippets' own exceptions) give the
    // `error` verdict; a cancelled exec's exception is expected.
    // A nested exec's error is the inner _interpreters.exec's.
    // So is os.fork()'s refusal (RuntimeError in an isolated interpreter).
    const scenario::Step* exec = r.kind == "exec" && r.index >= 0 && r.index < static_cast<int>(scenario_.steps.size())
                                     ? &scenario_.steps[r.index]
                                     : nullptr;
    bool api_step = r.kind == "spawn" || r.kind == "destroy" || r.kind == "gc" || r.kind == "queue" ||
                    r.kind == "channel" || r.kind == "close" || r.kind == "put" || r.kind == "get" ||
                    r.kind == "share" || r.kind == "call" || r.kind == "fork" ||
                    (exec != nullptr && (scenario::NestedTarget(exec->snippet) != nullptr ||
                                         exec->snippet.kind == scenario::SnippetKind::kFork));
    // A fork child that died is not an error of this process: its own evidence.
    Verdict child;
    if (outcome.kind == StepOutcome::Kind::kError && NoteForkChildLocked(r.index, outcome, &child)) {
      last.status = absl::StrCat("error ", kForkChildError, ": ", child.ToString());
      r.status = last.status;
    } else if (!first_error_ && outcome.kind == StepOutcome::Kind::kError && api_step) {
      first_error_ = StepError{r.kind, r.index, outcome.ErrorType()};
    }
  }
  if (options_.on_step) options_.on_step(r);
}

bool Conductor::NoteForkChildLocked(int step_index, const StepOutcome& outcome, Verdict* verdict) {
  std::optional<ForkChildEvidence> f = ForkChildOf(outcome.detail);
  if (!f) return false;
  // A wait (or the drain) reports a fork task's end: the exec that defined it is guilty.
  if (step_index >= 0 && step_index < static_cast<int>(scenario_.steps.size()) &&
      scenario_.steps[step_index].kind != scenario::StepKind::kExec &&
      scenario_.steps[step_index].kind != scenario::StepKind::kFork) {
    const std::string& task = scenario_.steps[step_index].task;
    step_index = -1;
    for (size_t i = 0; i < scenario_.steps.size() && !task.empty(); ++i) {
      if (scenario_.steps[i].kind == scenario::StepKind::kExec && scenario_.steps[i].task == task) {
        step_index = static_cast<int>(i);
      }
    }
  }
  // Only a fork step's or fork snippet's error is a fork child's (a `code`
  // snippet may raise anything).
  if (step_index < 0 || step_index >= static_cast<int>(scenario_.steps.size())) return false;
  const scenario::Step& forked = scenario_.steps[step_index];
  if (forked.kind != scenario::StepKind::kFork && forked.snippet.kind != scenario::SnippetKind::kFork) return false;
  f->step_index = step_index;
  if (forked.kind == scenario::StepKind::kFork) f->step_kind = "fork";
  if (verdict != nullptr) *verdict = f->verdict;
  if (!fork_child_) {
    absl::StrAppend(&result_.stacks, result_.stacks.empty() ? "" : "\n", "fork child's stderr (",
                    forked.kind == scenario::StepKind::kFork ? "fork" : "exec", " step ", step_index, "):\n",
                    f->stderr_text);
    fork_child_ = std::move(*f);
  }
  return true;
}

absl::Status Conductor::MakeStrategy() {
  absl::StatusOr<std::unique_ptr<strategy::Strategy>> s;
  const scenario::StrategyInfo* info = scenario::InfoOf(spec_);
  if (info != nullptr && info->runtime == scenario::StrategyRuntime::kPython) {
    py::Attached attached(*main_);
    s = strategy::MakeStrategy(spec_);
  } else {
    s = strategy::MakeStrategy(spec_);
  }
  if (!s.ok()) return s.status();
  strategy_ = std::move(*s);
  return absl::OkStatus();
}

void Conductor::RunOracles(const Baseline& before) {
  Baseline after = TakeAfter(before, finalized_ ? nullptr : main_.get());
  Exclude(before, Exclusions{lingering_, MappedFiles()}, &after);
  std::vector<OracleRecord> records = LeakOracles(before, after, finalized_);
  MutexLock lock(&mu_);
  result_.oracles.insert(result_.oracles.end(), records.begin(), records.end());
}

void Conductor::JudgeAndDestroyQueues() {
  if (queues_.empty() || finalized_) return;
  std::vector<ScenarioQueue> queues;
  for (auto& [name, q] : queues_) queues.push_back(q);
  std::vector<OracleRecord> records = run::JudgeAndDestroyQueues(queues, *main_);
  {
    MutexLock lock(&mu_);
    result_.oracles.insert(result_.oracles.end(), records.begin(), records.end());
  }
  queues_.clear();
}

Ran Conductor::Run() {
  const py::Capabilities& caps = HostCapabilities();
  {
    MutexLock lock(&mu_);
    result_.python = absl::StrCat(caps.version, " ", caps.build);
    ApplyExpectation(scenario_, &result_);
  }
  Ran out;
  out.result.python = result_.python;
  out.evidence.unmet = Unmet(scenario_, caps);
  if (out.evidence.unmet.empty() && !options_.on_exit && scenario::ExitStepOf(scenario_) != nullptr) {
    out.evidence.unmet = "exit ends the process: it runs in a supervised child only";
  }
  if (!out.evidence.unmet.empty()) {
    ApplyVerdict(ComposeVerdict(out.evidence), &out.result);
    return out;
  }
  main_ = std::make_unique<py::MainThreadState>();
  // The baseline excludes the watchdog's own thread: it is gone again before the oracles run.
  Baseline before;
  if (options_.oracles) before = TakeBaseline(*main_);
  const HangReportOptions hang_options{options_.python_gdb_script, options_.on_hang};
  watchdog_ = std::make_unique<Watchdog>([this, hang_options](const Watchdog::Armed& a) {
    scenario::Scenario ran = scenario_;  // expected outcomes are judged with the strategy that ran
    ran.strategy = spec_;
    auto so_far = [this] {
      MutexLock lock(&mu_);
      return result_;
    };
    ReportHang(a, *dog_, so_far, ran, hang_options);
  });
  dog_ = watchdog_.get();
  if (absl::Status s = MakeStrategy(); !s.ok()) {
    // A Python strategy that cannot run here (a missing library or CPython
    // feature: skipped), or a user's module that is missing or raised.
    watchdog_.reset();
    main_.reset();
    (absl::IsUnimplemented(s) ? out.evidence.strategy_skipped : out.evidence.strategy_error) = std::string(s.message());
    ApplyVerdict(ComposeVerdict(out.evidence), &out.result);
    return out;
  }
  // The fd baseline is taken once the strategy is made: what its setup opens
  // is its own (an fd on a mapped library, such as libffi's after trio
  // imports ctypes, is left out in RunOracles anyway). Threads keep the
  // earlier baseline, so a thread a strategy starts and never stops counts.
  if (options_.oracles) before.resources.fds = TakeBaseline(*main_).resources.fds;
  start_ = absl::Now();

  for (size_t i = 0; i < scenario_.steps.size(); ++i) {
    const Step& st = scenario_.steps[i];
    current_step_ = static_cast<int>(i);
    BeginStep(static_cast<int>(i), std::string(scenario::StepWord(st)), scenario::PrintStep(st));
    bool async = !st.task.empty();
    if (st.delay_us > 0 && !async) absl::SleepFor(absl::Microseconds(st.delay_us));
    EndStep(RunStep(st));
  }
  Drain();
  JudgeAndDestroyQueues();
  watchdog_.reset();
  if (options_.oracles) RunOracles(before);
  main_.reset();

  MutexLock lock(&mu_);
  out.result = result_;
  out.evidence.oracles = result_.oracles;
  out.evidence.error = first_error_;
  out.evidence.fork_child = fork_child_;
  ApplyVerdict(ComposeVerdict(out.evidence), &out.result);
  return out;
}

}  // namespace internal

RunResult RunScenario(const scenario::Scenario& scenario, const RunOptions& options) {
  // ThreadSanitizer starts a background thread at the process's first thread
  // creation; start (and join) one thread before any baseline is taken so
  // that the thread oracle does not count it.
  static std::once_flag first_thread;
  std::call_once(first_thread, [] { std::thread([] {}).join(); });
  GuardForkChildren();  // a `fork` snippet's child runs nothing of the harness
  const bool ends_early = !scenario.steps.empty() && scenario::EndsScenario(scenario.steps.back().kind);
  int cycles = ends_early ? 1 : std::max(1, options.repeat);
  internal::Ran worst;
  std::vector<double> rss, heap;
  int done = 0;
  for (int c = 0; c < cycles; ++c) {
    internal::Conductor conductor(scenario, options);
    internal::Ran r = conductor.Run();
    const bool last = r.result.poisoned || r.result.verdict.kind == VerdictKind::kSkipped;
    if (c == 0 || r.result.verdict.Severity() > worst.result.verdict.Severity()) worst = std::move(r);
    if (cycles >= 10) {  // slopes need cycles; mallinfo2 is not free on a fragmented heap
      rss.push_back(static_cast<double>(RssBytes()));
      heap.push_back(static_cast<double>(mallinfo2().uordblks));
    }
    ++done;
    if (last) break;
  }
  worst.result.cycles = done;
  if (rss.size() >= 10) {
    std::vector<OracleRecord> slopes = SlopeOracles(rss, heap, DefaultSlopeOptions(options.slope_threshold_bytes));
    worst.result.oracles.insert(worst.result.oracles.end(), slopes.begin(), slopes.end());
    worst.evidence.oracles.insert(worst.evidence.oracles.end(), slopes.begin(), slopes.end());
    ApplyVerdict(ComposeVerdict(worst.evidence), &worst.result);
  }
  ApplyExpectation(scenario, &worst.result);
  scenario::Scenario ran = scenario;
  if (options.strategy_override) ran.strategy = *options.strategy_override;
  ClassifyExpected(ran, &worst.result);
  return worst.result;
}

}  // namespace endgame::run
