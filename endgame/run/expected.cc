#include "endgame/run/expected.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/text.h"

namespace endgame::run {
namespace {

using scenario::CancelVia;
using scenario::Scenario;
using scenario::SnippetKind;
using scenario::Step;
using scenario::StepKind;

// Drain status when abandoned tasks still ran (conductor.cc writes it).
constexpr char kAbandonedLeftRunning[] = "abandoned tasks left running";

std::string Quoted(const Step& st) { return absl::StrCat("`", scenario::PrintStep(st), "`"); }

// Whether an exec's snippet never ends by itself, and which cancels stop it.
struct Endless {
  bool endless = false;
  bool async_exc_stops = false;
  bool flag_stops = false;
};

Endless EndlessOf(const Step& st) {
  if (st.kind != StepKind::kExec || st.snippet.ms != 0) return {};
  switch (st.snippet.kind) {
    case SnippetKind::kLockWait: return {true, false, false};  // blocked in acquire(): no bytecode runs
    case SnippetKind::kBusy: return {true, true, false};
    case SnippetKind::kBusyPoll: return {true, true, true};
    default: return {};
  }
}

// Whether a cancel of `via` stops an endless snippet.
bool Stops(const Endless& e, CancelVia via) {
  return (via == CancelVia::kAsyncExc && e.async_exc_stops) || (via == CancelVia::kFlag && e.flag_stops);
}

// Where a job runs: "" on a thread of its own (dedicated, destroy-thread, the
// conductor), else the cache pool it queues on.
std::string Pool(const Scenario& s, const Step& st, int* workers) {
  *workers = 1;
  if (st.kind == StepKind::kDestroy) {
    if (st.from != scenario::DestroyFrom::kWorker) return "";
    if (s.strategy.kind != scenario::StrategyKind::kCache) return "";
    *workers = s.strategy.workers;
    return "strategy";
  }
  if (st.kind != StepKind::kExec) return "";
  switch (st.on) {
    case scenario::ExecOn::kConductor:
    case scenario::ExecOn::kDedicated:
      return "";
    case scenario::ExecOn::kCache:
      if (s.strategy.kind == scenario::StrategyKind::kCache) break;
      return "extra cache";  // the conductor's extra cache has one worker
    case scenario::ExecOn::kStrategy:
      if (s.strategy.kind != scenario::StrategyKind::kCache) return "";
      break;
  }
  *workers = s.strategy.workers;
  return "strategy";
}

class Analysis {
 public:
  explicit Analysis(const Scenario& s) : s_(s) {}

  // Why the exec at `i` still runs when step `at` begins, or "".
  std::string StillRuns(size_t i, size_t at) const {
    const Step& st = s_.steps[i];
    Endless e = EndlessOf(st);
    if (!e.endless) return "";
    for (size_t j = i + 1; j < at && j < s_.steps.size(); ++j) {
      const Step& c = s_.steps[j];
      if (st.task.empty()) break;
      if ((c.kind == StepKind::kExec || c.kind == StepKind::kDestroy) && c.task == st.task) break;  // renamed
      if (c.kind == StepKind::kCancel && c.task == st.task && Stops(e, c.via)) return "";
    }
    const char* stoppers = e.flag_stops        ? "only a cancel via=async_exc or via=flag"
                           : e.async_exc_stops ? "only a cancel via=async_exc"
                                               : "no cancel";
    return absl::StrCat(Quoted(st), ", which never ends (", stoppers, " stops it, and none came before)");
  }

  // Why the job (exec or destroy) at `i` cannot end before step `at`, or "".
  std::string Blocked(size_t i, size_t at) const {
    const Step& st = s_.steps[i];
    if (st.kind == StepKind::kExec) {
      std::string r = StillRuns(i, at);
      if (!r.empty()) return r;
    }
    if (st.kind == StepKind::kDestroy) {
      std::string r = DestroyBlocked(i, at);
      if (!r.empty()) return r;
    }
    return Queued(i, at);
  }

  // Why a job at `i` never gets a worker: every worker of its cache holds an
  // endless job submitted before it.
  std::string Queued(size_t i, size_t at) const {
    int workers = 1;
    std::string pool = Pool(s_, s_.steps[i], &workers);
    if (pool.empty()) return "";
    std::vector<std::string> holders;
    for (size_t k = 0; k < i; ++k) {
      int w = 1;
      if (s_.steps[k].kind != StepKind::kExec || Pool(s_, s_.steps[k], &w) != pool) continue;
      std::string r = StillRuns(k, at);
      if (!r.empty()) holders.push_back(r);
    }
    if (holders.empty() || static_cast<int>(holders.size()) < workers) return "";
    return absl::StrCat(Quoted(s_.steps[i]), " is queued behind ", holders.front(),
                        workers == 1 ? ", on the only worker of its cache"
                                     : absl::StrCat(", and ", holders.size() - 1, " more, on all ", workers,
                                                    " workers of its cache"));
  }

  // Why destroying the interpreter at step `i` waits forever: a task inside it never ends.
  std::string DestroyBlocked(size_t i, size_t at) const {
    const std::string& interp = s_.steps[i].interp;
    size_t from = 0;
    for (size_t k = 0; k < i; ++k) {
      if (s_.steps[k].kind == StepKind::kSpawn && s_.steps[k].interp == interp) from = k;
    }
    for (size_t k = from; k < i; ++k) {
      if (s_.steps[k].kind != StepKind::kExec || s_.steps[k].interp != interp) continue;
      std::string r = StillRuns(k, at);
      if (!r.empty()) return absl::StrCat(Quoted(s_.steps[i]), " waits for ", r);
    }
    return "";
  }

  // The job a task name refers to at step `at`, or -1.
  int TaskJob(const std::string& task, size_t at) const {
    int found = -1;
    for (size_t k = 0; k < at && k < s_.steps.size(); ++k) {
      const Step& st = s_.steps[k];
      if ((st.kind == StepKind::kExec || st.kind == StepKind::kDestroy) && st.task == task) found = static_cast<int>(k);
    }
    return found;
  }

  bool AbandonedBefore(const std::string& task, size_t at) const {
    for (size_t k = 0; k < at && k < s_.steps.size(); ++k) {
      const Step& st = s_.steps[k];
      if (st.kind == StepKind::kCancel && st.task == task && st.via == CancelVia::kAbandon) return true;
    }
    return false;
  }

  std::string Hang(const RunResult& r) const {
    const size_t n = s_.steps.size();
    if (r.guilty_step == "drain" || r.guilty_index < 0 || static_cast<size_t>(r.guilty_index) >= n) {
      if (r.guilty_step != "drain") return "";
      // The drain joins every task that was not abandoned.
      for (size_t k = 0; k < n; ++k) {
        const Step& st = s_.steps[k];
        if (st.task.empty() || (st.kind != StepKind::kExec && st.kind != StepKind::kDestroy)) continue;
        if (TaskJob(st.task, n) != static_cast<int>(k) || AbandonedBefore(st.task, n)) continue;
        std::string why = Blocked(k, n);
        if (!why.empty()) return absl::StrCat("the end-of-scenario drain joins ", why);
      }
      return "";
    }
    const size_t i = static_cast<size_t>(r.guilty_index);
    const Step& st = s_.steps[i];
    switch (st.kind) {
      case StepKind::kWait: {
        if (st.timeout_ms > 0 && st.timeout_ms < s_.deadline_ms) return "";
        int job = TaskJob(st.task, i);
        if (job < 0) return "";
        std::string why = Blocked(static_cast<size_t>(job), i);
        if (!why.empty()) return absl::StrCat(Quoted(st), " waits for ", why);
        return LongerThanDeadline(static_cast<size_t>(job), i, r);
      }
      case StepKind::kExec: {
        if (!st.task.empty()) return "";
        std::string why = Blocked(i, i);
        if (!why.empty()) return why;
        if (st.snippet.ms >= s_.deadline_ms && RunsFullTime(st)) {
          return absl::StrCat(Quoted(st), " runs ", st.snippet.ms, " ms, longer than deadline_ms ", s_.deadline_ms);
        }
        return "";
      }
      case StepKind::kDestroy:
        return st.task.empty() ? Blocked(i, i) : "";
      case StepKind::kExit: {
        // Py_Exit's threading shutdown joins the main interpreter's
        // non-daemon threads: a Python strategy's (a ThreadPoolExecutor's
        // workers) still in an exec that never ends, abandoned or not.
        // Nothing joins the C++ strategies' threads.
        if (s_.strategy.kind != scenario::StrategyKind::kPython) return "";
        for (size_t k = 0; k < i; ++k) {
          const Step& e = s_.steps[k];
          if (e.kind != StepKind::kExec || e.task.empty() || e.on != scenario::ExecOn::kStrategy) continue;
          std::string why = StillRuns(k, i);
          if (!why.empty()) {
            return absl::StrCat(Quoted(st), " joins the strategy's threads (threading's shutdown), and ", why);
          }
        }
        return "";
      }
      case StepKind::kSleep:
      case StepKind::kFork:  // the conductor waits for the child, which sleeps ms
        if (st.ms >= s_.deadline_ms) {
          return absl::StrCat(Quoted(st), " is longer than deadline_ms ", s_.deadline_ms);
        }
        return "";
      default:
        return "";
    }
  }

 private:
  // Snippets whose ms= is how long they take (no cancel shortens a sync exec).
  static bool RunsFullTime(const Step& st) {
    switch (st.snippet.kind) {
      case SnippetKind::kSleep:
      case SnippetKind::kBusy:
      case SnippetKind::kBusyPoll:
      case SnippetKind::kLockWait:
      case SnippetKind::kFork:  // the parent waits for the child, which sleeps ms
        return true;
      default:
        return false;
    }
  }

  // A wait at `at` on the exec at `job` whose own ms= ends after the wait's
  // deadline, from the step start times the run recorded.
  std::string LongerThanDeadline(size_t job, size_t at, const RunResult& r) const {
    const Step& st = s_.steps[job];
    if (st.kind != StepKind::kExec || !RunsFullTime(st) || st.snippet.ms == 0) return "";
    for (size_t j = job + 1; j < at; ++j) {
      const Step& c = s_.steps[j];
      if (c.kind == StepKind::kCancel && c.task == st.task && c.via != CancelVia::kAbandon) return "";
    }
    int64_t exec_start = -1, wait_start = -1;
    for (const StepRecord& rec : r.steps) {
      if (rec.index == static_cast<int>(job)) exec_start = rec.start_us;
      if (rec.index == static_cast<int>(at)) wait_start = rec.start_us;
    }
    if (exec_start < 0 || wait_start < 0) return "";
    int64_t ends_us = exec_start + st.delay_us + st.snippet.ms * 1000;
    if (ends_us <= wait_start + s_.deadline_ms * 1000) return "";
    return absl::StrCat(Quoted(s_.steps[at]), " waits for ", Quoted(st), ", which runs ", st.snippet.ms,
                        " ms: it ends after the wait's deadline_ms ", s_.deadline_ms);
  }

  const Scenario& s_;
};

// A `code` snippet that ran and opens raw file descriptors (os.pipe(),
// os.open(), ...): teardown closes file objects, but nothing closes a bare
// int, so an fd leak after it is the scenario's own (e9b7c0d0d708, "leak fd
// +2" from `r, w = os.pipe()`, was filed as new by the campaign of 2026-12-03).
std::string RawFds(const Scenario& s, const RunResult& r) {
  static constexpr const char* kCalls[] = {"os.pipe(", "os.open(", "os.dup(", "os.dup2(", "os.openpty(",
                                           "os.eventfd(", "os.memfd_create(", "os.pidfd_open("};
  for (const StepRecord& rec : r.steps) {
    if (rec.kind != "exec" || rec.index < 0 || static_cast<size_t>(rec.index) >= s.steps.size()) continue;
    const Step& st = s.steps[rec.index];
    if (st.kind != StepKind::kExec || st.snippet.kind != scenario::SnippetKind::kCode) continue;
    for (const char* call : kCalls) {
      if (absl::StrContains(st.snippet.text, call)) {
        return absl::StrCat(Quoted(st), " opens raw file descriptors (", call,
                            "...), which nothing closes at teardown: teardown closes file objects, not ints");
      }
    }
  }
  return "";
}

// `finalize` under a Python strategy: Py_FinalizeEx ends the runtime under
// the strategy's own threads (trio's loop and cache workers, a pool's
// workers), and after it no Python is left to stop them.
std::string FinalizedUnderPythonStrategy(const Scenario& s, const RunResult& r) {
  const scenario::StrategyInfo* info = scenario::InfoOf(s.strategy);
  if (info == nullptr || info->runtime != scenario::StrategyRuntime::kPython) return "";
  for (const StepRecord& rec : r.steps) {
    if (rec.kind == "finalize" && rec.status == "ok") {
      return absl::StrCat("`finalize` ended the runtime under strategy ", scenario::StrategyWord(s.strategy),
                          ", whose own threads nothing can stop after Py_FinalizeEx");
    }
  }
  return "";
}

std::string Leak(const Scenario& s, const RunResult& r) {
  const std::string& d = r.verdict.detail;
  if (absl::StartsWith(d, "thread ")) {
    if (std::string why = FinalizedUnderPythonStrategy(s, r); !why.empty()) return why;
  }
  if (absl::StartsWith(d, "fd ")) {
    if (std::string why = RawFds(s, r); !why.empty()) return why;
  }
  if (!(absl::StartsWith(d, "thread ") || absl::StartsWith(d, "fd ") || absl::StartsWith(d, "interpreter ") ||
        absl::StartsWith(d, "tstate "))) {
    return "";
  }
  bool left_running = false;
  for (const StepRecord& rec : r.steps) {
    if (rec.kind == "drain" && absl::StrContains(rec.status, kAbandonedLeftRunning)) left_running = true;
  }
  if (!left_running) return "";
  for (const StepRecord& rec : r.steps) {
    if (rec.kind != "cancel" || rec.status != "ok: abandoned" || rec.index < 0 ||
        static_cast<size_t>(rec.index) >= s.steps.size()) {
      continue;
    }
    const Step& c = s.steps[rec.index];
    return absl::StrCat(Quoted(c), " left task ", c.task,
                        " running on purpose: its thread, its interpreter, their thread states and files stay "
                        "behind");
  }
  return "";
}

}  // namespace

std::string ExpectedReason(const Scenario& s, const RunResult& r) {
  switch (r.verdict.kind) {
    case VerdictKind::kLeak: return Leak(s, r);
    case VerdictKind::kHang: return Analysis(s).Hang(r);
    default: return "";
  }
}

void ClassifyExpected(const Scenario& s, RunResult* r) {
  if (r->expected_reason.empty()) r->expected_reason = ExpectedReason(s, *r);
}

void ApplyExpectation(const Scenario& s, RunResult* r) {
  r->expected.clear();
  r->expectation_met = true;
  if (!s.expect) return;
  r->expected = s.expect->verdict;
  if (!s.expect->detail.empty()) absl::StrAppend(&r->expected, " ", s.expect->detail);
  r->expectation_met =
      s.expect->verdict == VerdictKindName(r->verdict.kind) && absl::StrContains(r->verdict.detail, s.expect->detail);
}

}  // namespace endgame::run
