#include "endgame/run/oracles.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "endgame/base/stats.h"
#include "endgame/py/queues.h"
#include "endgame/run/queue_oracle.h"
#include "endgame/run/step_outcome.h"

namespace endgame::run {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitizedBuild = true;
#else
constexpr bool kSanitizedBuild = false;
#endif
#else
constexpr bool kSanitizedBuild = false;
#endif

}  // namespace

Baseline TakeBaseline(py::MainThreadState& main) {
  Baseline b;
  b.resources = Snapshot();
  py::Attached attached(main);
  b.interpreters = py::InterpreterCount();
  b.main_tstates = py::MainThreadStateCount();
  b.memory = py::MainMemoryCounters();
  return b;
}

Baseline TakeAfter(const Baseline& before, py::MainThreadState* main) {
  Baseline after;
  after.resources = Snapshot();
  // Joined threads the kernel has not reaped yet; threads still running stay.
  for (int i = 0; i < 200 && !Diff(before.resources, after.resources).new_threads.empty(); ++i) {
    absl::SleepFor(absl::Milliseconds(1));
    after.resources = Snapshot();
  }
  if (main != nullptr) {
    py::Attached attached(*main);
    after.interpreters = py::InterpreterCount();
    after.main_tstates = py::MainThreadStateCount();
    after.memory = py::MainMemoryCounters();
  }
  return after;
}

void Exclude(const Baseline& before, const Exclusions& x, Baseline* after) {
  // A Python strategy's idle workers that end by themselves (trio's cache:
  // 10 s) are not leaks; each also holds a main-interpreter thread state.
  if (!x.lingering.empty()) {
    int lingering_alive = 0;
    std::vector<ThreadInfo> kept;
    for (const ThreadInfo& t : after->resources.threads) {
      bool idle = std::find(x.lingering.begin(), x.lingering.end(), static_cast<int64_t>(t.tid)) != x.lingering.end();
      bool old = false;
      for (const ThreadInfo& b : before.resources.threads) old |= b.tid == t.tid;
      if (idle && !old) {
        ++lingering_alive;
      } else {
        kept.push_back(t);
      }
    }
    after->resources.threads = std::move(kept);
    after->main_tstates -= lingering_alive;
  }
  // An fd opened on a library mapped into the process is the library's, for
  // the life of the process (libffi opens its own .so for its trampolines
  // when a scenario imports ctypes): not the scenario's leak.
  std::vector<FdInfo> kept;
  for (const FdInfo& f : after->resources.fds) {
    bool old = std::any_of(before.resources.fds.begin(), before.resources.fds.end(),
                           [&](const FdInfo& b) { return b.fd == f.fd && b.target == f.target; });
    if (old || !std::binary_search(x.mapped.begin(), x.mapped.end(), f.target)) kept.push_back(f);
  }
  after->resources.fds = std::move(kept);
}

std::vector<OracleRecord> LeakOracles(const Baseline& before, const Baseline& after, bool finalized) {
  ResourceDelta delta = Diff(before.resources, after.resources);
  std::string threads_detail, fds_detail;
  for (const ThreadInfo& t : delta.new_threads) absl::StrAppend(&threads_detail, t.tid, " \"", t.name, "\" ");
  for (const FdInfo& f : delta.new_fds) absl::StrAppend(&fds_detail, f.fd, " ", f.target, " ");
  std::vector<OracleRecord> out;
  auto add = [&](const char* name, int64_t b, int64_t a, std::string detail, bool can_leak) {
    out.push_back(OracleRecord{name, b, a, a - b, std::move(detail), can_leak && a > b});
  };
  // Threads are counted by identity: a baseline thread that ended (the
  // kernel reaps a joined thread a moment after its joiner wakes, so the
  // thread RunScenario starts first can still be listed) does not hide a
  // new one that stays. Fds are counted by number: a pipe replaced by
  // another is not a leak.
  const int64_t fresh = static_cast<int64_t>(delta.new_threads.size());
  out.push_back({"threads", static_cast<int64_t>(before.resources.threads.size()),
                 static_cast<int64_t>(after.resources.threads.size()), fresh, threads_detail, fresh > 0});
  add("fds", static_cast<int64_t>(before.resources.fds.size()), static_cast<int64_t>(after.resources.fds.size()),
      fds_detail, true);
  if (!finalized) {
    add("interpreters", before.interpreters, after.interpreters, "", true);
    add("thread_states", before.main_tstates, after.main_tstates, "main interpreter", true);
    if (before.memory.total_refs >= 0) {
      // Single-run deltas are figures, not verdicts: caches warm up. --repeat gives slopes.
      add("refs", before.memory.total_refs, after.memory.total_refs, "sys.gettotalrefcount()", false);
    }
    add("blocks", before.memory.allocated_blocks, after.memory.allocated_blocks, "sys.getallocatedblocks()", false);
  }
  add("rss", before.resources.rss_bytes, after.resources.rss_bytes, "bytes", false);
  return out;
}

std::vector<OracleRecord> JudgeAndDestroyQueues(const std::vector<ScenarioQueue>& queues,
                                                py::MainThreadState& main) {
  std::vector<OracleRecord> out;
  py::Attached attached(main);
  // Only the scenario's own queues: a strategy keeps queues of its own
  // (InterpreterPoolExecutor's), as it keeps threads (c1ccf1e604cb, "leak of
  // a queue" x50 under interpreter_pool, was that).
  int64_t open = 0;
  for (const ScenarioQueue& q : queues) {
    // A task that did not end, or was abandoned, has no final status: ""
    // (JudgeQueue leaves such a queue unjudged).
    QueueTally tally{q.name, q.unbound, {}, {}, 0, false, false};
    for (const auto& [put, task] : q.ops) {
      (put ? tally.puts : tally.gets)
          .push_back(task == nullptr                      ? "skipped: not started"
                     : !task->done() || task->abandoned() ? ""
                                                          : OutcomeOf(task->status()).ToText());
    }
    if (q.channel) {
      tally.channel = true;
      absl::StatusOr<py::ChannelState> state = py::GetChannelState(q.qid);
      if (state.ok()) {
        tally.left = state->count;
        tally.closed = state->closed;
        if (std::optional<OracleRecord> r = JudgeQueue(tally)) out.push_back(*r);
      }
      (void)py::DestroyChannel(q.qid);
      absl::StatusOr<bool> exists = py::ChannelExists(q.qid);
      open += exists.ok() && *exists;
      continue;
    }
    absl::StatusOr<int64_t> left = py::QueueCount(q.qid);
    if (left.ok()) {
      tally.left = *left;
      if (std::optional<OracleRecord> r = JudgeQueue(tally)) out.push_back(*r);
    }
    (void)py::DestroyQueue(q.qid);
    absl::StatusOr<bool> exists = py::QueueExists(q.qid);
    open += exists.ok() && *exists;
  }
  out.push_back(QueuesGone(static_cast<int64_t>(queues.size()), open));
  return out;
}

OracleRecord QueuesGone(int64_t created, int64_t open) {
  OracleRecord r;
  r.name = "queues";
  r.before = created;
  r.after = open;
  r.delta = open;
  r.detail = absl::StrCat(open, " of the scenario's ", created, " queue(s) still exist after their destroy");
  r.leak = open > 0;
  return r;
}

SlopeOptions DefaultSlopeOptions(int64_t threshold_bytes) {
  SlopeOptions o;
  o.threshold_bytes = threshold_bytes;
  o.judge = !kSanitizedBuild;
  const char* py_malloc = std::getenv("PYTHONMALLOC");
  o.system_malloc = py_malloc && absl::StartsWith(py_malloc, "malloc");
  return o;
}

std::vector<OracleRecord> SlopeOracles(const std::vector<double>& rss, const std::vector<double>& heap,
                                       const SlopeOptions& o) {
  const std::vector<double> r = WithoutWarmup(rss), h = WithoutWarmup(heap);
  const double rs = Slope(r), hs = Slope(h);
  std::vector<OracleRecord> out;
  out.push_back({"rss_slope", static_cast<int64_t>(r.front()), static_cast<int64_t>(r.back()),
                 static_cast<int64_t>(rs), absl::StrCat("bytes/cycle over ", r.size(), " cycles"),
                 o.judge && rs > o.threshold_bytes});
  out.push_back({"malloc_slope", static_cast<int64_t>(h.front()), static_cast<int64_t>(h.back()),
                 static_cast<int64_t>(hs),
                 absl::StrCat("bytes/cycle in use (mallinfo2)",
                              o.system_malloc ? ", PYTHONMALLOC=malloc" : ", pymalloc arenas not seen"),
                 o.judge && o.system_malloc && hs > o.threshold_bytes});
  return out;
}

}  // namespace endgame::run
