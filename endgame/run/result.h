// File: endgame/run/result.h
//
// What running a scenario produced: the verdict with its evidence, one record
// per step, oracle figures, stacks and the signature. Serialized for `run
// --json`, the child protocol and finding folders.
#ifndef ENDGAME_RUN_RESULT_H_
#define ENDGAME_RUN_RESULT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "endgame/run/verdict.h"

namespace endgame::run {

struct StepRecord {
  int index = 0;            // 0-based; -1 for the end-of-scenario drain
  std::string kind;         // spawn, exec, ..., drain
  std::string text;         // the step in canonical text
  int64_t start_us = 0;     // from the scenario's start
  int64_t duration_us = -1; // -1 while running
  std::string status;       // ok | started | error <Type>: msg | timeout | skipped: why | abandoned | running
};

// One cancel step that found its task still running, and how long the task
// took to stop (measured by the conductor, which issues the cancel).
struct CancelRecord {
  int step = 0;     // index of the cancel step
  std::string via;  // async_exc | flag | abandon
  // "ended": latency_us runs from the cancel step's start to the task's end
  // (its exec returned, or its future completed); "abandoned" (via=abandon):
  // to the end of the step, when the conductor stopped waiting for it;
  // "running": the task had not ended by the drain (latency_us is -1).
  std::string outcome;
  int64_t latency_us = -1;
};

struct OracleRecord {
  std::string name;       // threads, fds, interpreters, thread_states, refs, blocks, rss_slope, malloc_slope
  int64_t before = 0;
  int64_t after = 0;
  int64_t delta = 0;      // after - before (threads: the ones not in before), or the slope per cycle for *_slope
  std::string detail;     // e.g. which threads or fds
  bool leak = false;      // this oracle produced a leak verdict
};

struct RunResult {
  Verdict verdict;
  std::string signature;
  std::string guilty_step;  // kind of the step the verdict is about ("" for ok)
  int guilty_index = -1;
  std::string guilty_thread;  // for hangs: name (tid)
  std::vector<StepRecord> steps;
  std::vector<OracleRecord> oracles;
  std::vector<CancelRecord> cancels;
  std::string stacks;        // all-thread stacks (hangs, crashes)
  std::string expected;      // the scenario's expect line, if any
  bool expectation_met = true;
  // Class "expected" when set: what the scenario itself caused (an abandoned
  // task's leftovers, a wait on a task that never ends), with the reason.
  // Such a result is not a finding (run/expected.h, report::IsFinding).
  std::string expected_reason;
  bool poisoned = false;     // threads still run inside this process: it must not run more scenarios
  int cycles = 1;
  std::string python;        // CPython version and build
  // What the conductor saw that a finding's cause depends on, one line each:
  // kDestroyWhileRunning "... interpreter N while exec task(s) T still ran in
  // it or were still to start".
  std::vector<std::string> notes;
};

// Note: a destroy ran while exec tasks of the scenario in that interpreter had
// not ended, running or still to start (on the C API, their thread states are
// destroyed under them, or they enter the freed interpreter).
inline constexpr char kDestroyWhileRunning[] = "destroy-while-running";

// "expected" (expected_reason set), "finding" (a fatal error, crash,
// sanitizer report, hang or leak) or "none".
const char* OutcomeClass(const RunResult& result);

std::string ToJson(const RunResult& result);
absl::StatusOr<RunResult> FromJson(const std::string& json);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_RESULT_H_
