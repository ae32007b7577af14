// File: endgame/scenario/fuzz_shape.h
//
// What each engine fuzz target (fuzz/, DESIGN.md §4) does to a decoded
// scenario before running it in-process, and the mutation mix it asks for.
// Shaping is pure and deterministic, so `endgame decode --target T` prints
// exactly the scenario a target ran for a crash artifact.
//
// Every target: drops `finalize` (and what follows it: Python is initialized
// once per fuzzing process) and `expect` (the target judges the verdict
// itself), and clamps durations so one input stays well below libFuzzer's
// -timeout; a snippet that runs until cancelled (busy, busy_poll, lock_wait
// with ms=0) keeps running forever only when a later cancel can stop it.
// Then per target:
//   lifecycle      nothing more: every step kind, driver and strategy.
//   strategy_diff  nothing more; the target runs it under cache and dedicated.
//   destroy_race   drops gc; keeps every other step, queue and channel
//                  traffic, close, share and call included.
//   interp_config  drops cancel and sleep; keeps every other step.
// No target drops the surface steps (queue, channel, put, get, close, share,
// call) or the snippets raise_with, nested, raw_thread and atexit.
// The mutator of strategy_diff and destroy_race draws no `fork` (a process
// per fork, nothing for those targets to compare or race); lifecycle and
// interp_config (where it meets `fork=`) do. Every target runs a `fork` in an
// interpreter that allows it (legacy, fork=1) as `noop`: there the child
// dies on every CPython measured (known afd4becde09a), which would stop every
// such input at that one finding; refused forks run. A `fork` step (the main
// interpreter forks) runs only while no subinterpreter may be alive: with one
// alive (spawned, and not surely destroyed since: a destroy is sure once no
// task of its interpreter may still run) its child dies
// on every CPython measured (gh-139759), and it runs as a sleep of its ms;
// only lifecycle's mutator draws fork steps. Likewise a `put` of a
// queue handle (`value=queue:Q`) runs as a put of `none`: a handle item still
// queued when its putter is destroyed deadlocks the destroy on every CPython
// measured (a known finding), and the drain destroys every putter; `share`
// and `call` keep their handles. A spawn's `gil="TEXT"` keeps only its
// UTF-8 prefix: a lone surrogate crashes 3.13.15's new_config (gh-148798,
// fixed in 3.14.10), the CPython of the fuzz build.
//
// Example:
//   Scenario s = ShapeForFuzzing(DecodeScenario(data, size), FuzzTarget::kDestroyRace);
#ifndef ENDGAME_SCENARIO_FUZZ_SHAPE_H_
#define ENDGAME_SCENARIO_FUZZ_SHAPE_H_

#include <cstdint>
#include <string_view>

#include "endgame/scenario/generator.h"
#include "endgame/scenario/scenario.h"

namespace endgame::scenario {

enum class FuzzTarget { kLifecycle, kStrategyDiff, kDestroyRace, kInterpConfig };

// "lifecycle", "strategy_diff", "destroy_race", "interp_config".
const char* FuzzTargetName(FuzzTarget target);
bool ParseFuzzTarget(std::string_view name, FuzzTarget* target);

struct FuzzLimits {
  // The header's per-step deadline: at least min (a tiny deadline_ms makes
  // every slow step look stuck), at most max (below libFuzzer's -timeout).
  int64_t min_deadline_ms = 1000;
  int64_t max_deadline_ms = 5000;
  int64_t max_ms = 200;            // every ms= and timeout_ms=
  int64_t max_delay_us = 20000;    // delay_us
  int64_t max_bound_ms = 1000;     // every strategy argument in ms (dedicated bound_ms, ...)
  int max_workers = 4;             // every strategy argument that counts (workers=)
  int64_t max_compute_n = 200000;
  int64_t max_alloc_kb = 8192;
  int64_t max_recurse_depth = 500;
  int64_t max_files = 16;
  int64_t max_threads = 4;
};

// A valid scenario (passes CheckScenario).
Scenario ShapeForFuzzing(const Scenario& scenario, FuzzTarget target, const FuzzLimits& limits = {});

// The structural mutator's mix for a target (LLVMFuzzerCustomMutator).
GeneratorOptions FuzzMutatorOptions(FuzzTarget target);

}  // namespace endgame::scenario

#endif  // ENDGAME_SCENARIO_FUZZ_SHAPE_H_
