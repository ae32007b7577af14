// File: endgame/run/oracles.h
//
// The leak oracles: what a scenario left behind after the drain, against a
// baseline taken before it ran. Threads (by identity), fds (by number),
// interpreters and main-interpreter thread states are judged; refs, blocks
// and RSS of a single run are figures only; over --repeat cycles the RSS and
// malloc slopes are judged; the scenario's own queues are judged by
// queue_oracle.h and checked to be gone after their destroy.
//
// Taking counters (TakeBaseline, TakeAfter, JudgeAndDestroyQueues) touches
// the process; the arithmetic (Exclude, LeakOracles, QueuesGone,
// SlopeOracles) is pure.
//
// Example:
//   Baseline before = TakeBaseline(&main);
//   ... run the scenario, drain ...
//   Baseline after = TakeAfter(before, &main);
//   Exclude(before, {lingering, MappedFiles()}, &after);
//   std::vector<OracleRecord> records = LeakOracles(before, after, /*finalized=*/false);
#ifndef ENDGAME_RUN_ORACLES_H_
#define ENDGAME_RUN_ORACLES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "endgame/base/proc.h"
#include "endgame/py/interp.h"
#include "endgame/py/thread_state.h"
#include "endgame/run/result.h"
#include "endgame/run/task.h"
#include "endgame/scenario/scenario.h"

namespace endgame::run {

// The counters the oracles compare.
struct Baseline {
  ResourceSnapshot resources;
  int interpreters = 0;
  int main_tstates = 0;
  py::MemoryCounters memory;
};

// This process's threads, fds and RSS, and, attached to `main`, its
// interpreters, main-interpreter thread states and memory counters.
Baseline TakeBaseline(py::MainThreadState& main);

// The counters after the drain; without Python ones when `main` is null
// (after `finalize`). A joined thread can stay listed in /proc/self/task for
// a moment after pthread_join returns: up to 200 ms are given for threads new
// since `before` to go.
Baseline TakeAfter(const Baseline& before, py::MainThreadState* main);

// What is not the scenario's: the threads of a Python strategy that end by
// themselves (idle pool workers, each with a main-interpreter thread state),
// and fds open on a file mapped into the process (a loaded library's own).
struct Exclusions {
  std::vector<int64_t> lingering;   // thread ids
  std::vector<std::string> mapped;  // sorted paths (MappedFiles())
};
// Removes from `after` the excluded threads (and their thread states) and
// fds that `before` does not have.
void Exclude(const Baseline& before, const Exclusions& excluded, Baseline* after);

// The records, in order: threads, fds, and unless `finalized` interpreters,
// thread_states, refs (debug builds), blocks; then rss. Threads, fds,
// interpreters and thread states that grew are leaks; the rest are figures.
std::vector<OracleRecord> LeakOracles(const Baseline& before, const Baseline& after, bool finalized);

// One queue the scenario created: its id and its puts and gets with their
// tasks (nullptr: the step did not start one), in step order.
struct ScenarioQueue {
  std::string name;
  int64_t qid = -1;
  scenario::Unbound unbound = scenario::Unbound::kReplace;
  std::vector<std::pair<bool, std::shared_ptr<TaskState>>> ops;  // (is put, task)
  bool channel = false;  // qid is a channel's id (`_interpchannels`)
};
// Attached to `main`: a queue_items record for each queue that can be judged
// (JudgeQueue), each queue destroyed, and the `queues` record of those that
// still exist after it.
std::vector<OracleRecord> JudgeAndDestroyQueues(const std::vector<ScenarioQueue>& queues,
                                                py::MainThreadState& main);
// The `queues` record: `open` of `created` queues still exist after their destroy.
OracleRecord QueuesGone(int64_t created, int64_t open);

// Judging the memory series of --repeat cycles.
struct SlopeOptions {
  int64_t threshold_bytes = 64 * 1024;  // bytes per cycle above which a slope is a leak
  bool judge = true;                    // false: figures only (sanitizers grow RSS by design)
  bool system_malloc = false;           // PYTHONMALLOC=malloc: mallinfo2 sees Python's heap
};
// The options of this process: judged unless built with a sanitizer (ASan's
// quarantine and TSan's shadow memory grow RSS by design), system_malloc from
// PYTHONMALLOC.
SlopeOptions DefaultSlopeOptions(int64_t threshold_bytes);
// rss_slope and malloc_slope over the RSS and heap in use after each cycle
// (at least 10 each), without their warm-up (WithoutWarmup).
std::vector<OracleRecord> SlopeOracles(const std::vector<double>& rss, const std::vector<double>& heap,
                                       const SlopeOptions& options);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_ORACLES_H_
