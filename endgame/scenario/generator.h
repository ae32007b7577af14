// File: endgame/scenario/generator.h
//
// A seeded random generator of valid scenarios with a tunable mix, for stress
// campaigns, benchmarks and tests. Deterministic for a seed on every platform
// (it draws from std::mt19937_64 without std:: distributions).
//
// Example:
//   GeneratorOptions opts;
//   opts.step_weights[static_cast<int>(StepKind::kDestroy)] = 10;  // more destroys
//   opts.dedicated_percent = 100;                                  // only `dedicated`
//   std::mt19937_64 rng(seed);
//   Scenario s = Generate(opts, rng);  // passes CheckScenario
#ifndef ENDGAME_SCENARIO_GENERATOR_H_
#define ENDGAME_SCENARIO_GENERATOR_H_

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "endgame/scenario/scenario.h"

namespace endgame::scenario {

inline constexpr int kNumStepKinds = 16;     // StepKind::kSpawn .. kFork
inline constexpr int kNumSnippetKinds = 19;  // SnippetKind::kNoop .. kFork

// The mix. Percentages are 0..100; weights are relative (0 disables).
struct GeneratorOptions {
  // Steps per scenario, drawn uniformly from [min_steps, max_steps] (clamped
  // to kMaxSteps); steps that cannot be valid at their point are skipped.
  int min_steps = 1;
  int max_steps = 24;
  // Step kinds, in StepKind order: spawn exec wait cancel destroy sleep gc
  // finalize queue put get share call close exit fork (close: of a channel,
  // when there is one; exit ends a scenario, so exit_percent below gives its
  // share; fork, a process per fork, only while an interpreter is usable:
  // fork_percent below gives its default share).
  std::array<int, kNumStepKinds> step_weights = {3, 8, 3, 2, 3, 1, 1, 0, 1, 2, 2, 1, 1, 1, 0, 0};
  // Snippets, in SnippetKind order: noop compute sleep busy busy_poll thread
  // import alloc files lock_wait raise recurse atexit del_cycle code raise_with
  // nested raw_thread fork (a process per fork: the smallest weight).
  std::array<int, kNumSnippetKinds> snippet_weights = {4, 2, 3, 3, 3, 2, 2, 1, 1, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1};
  int async_percent = 50;         // exec and destroy steps with `as T`
  int on_override_percent = 15;   // exec steps with on= (never conductor with `as`)
  int destroy_args_percent = 30;  // destroy steps with via= / from=
  int delay_percent = 20;         // steps with delay_us
  int64_t max_delay_us = 2000;
  int default_arg_percent = 50;          // snippet arguments left at their default
  int legacy_percent = 20;               // spawn legacy
  int config_flag_percent = 10;          // each spawn flag (gil=, threads=, ...) set
  int gil_text_percent = 3;              // spawn gil="TEXT", an odd value (internal::OddGilTexts())
  int interpreters_driver_percent = 30;  // driver interpreters (else capi)
  int dedicated_percent = 50;            // strategy dedicated (else cache)
  int sticky_percent = 10;               // cache tstate=sticky (with driver capi)
  // Scenarios under one of the strategy table's other built-ins (the Python
  // strategies, any strategy added to the table): 0 by default, so that the
  // default mix needs no library (trio) or CPython (3.14 for
  // interpreter_pool); where one is missing the scenario is `skipped`.
  int other_strategy_percent = 0;
  std::vector<std::string> other_strategies;  // their words; empty: all of them
  int max_workers = 4;            // cache workers, and every strategy argument that counts
  int64_t max_bound_ms = 1000;    // dedicated bound_ms (0 half of the time), every strategy ms argument
  int wait_timeout_percent = 30;  // wait steps with timeout_ms (and get steps)
  int queue_args_percent = 30;    // queue steps with maxsize= / unbound=
  int channel_percent = 30;       // queue steps that define a channel (`channel C`) instead
  int close_force_percent = 50;   // close steps with force=1
  int exit_percent = 5;           // scenarios that end with `exit` (code= 0..3), everything alive
  // Scenarios with one `fork` step (os.fork() in the main interpreter) at a
  // random point: few, since with a subinterpreter alive its child dies on
  // every CPython measured (gh-139759), which outranks the rest of the run.
  int fork_percent = 4;
  int64_t deadline_ms = 5000;     // the header's per-step deadline
  // Caps on generated argument values, so generated scenarios run quickly;
  // each is further clamped to the argument's bound.
  int64_t max_ms = 200;  // every ms= (snippets, sleep, wait timeout_ms)
  int64_t max_compute_n = 100000;
  int64_t max_alloc_kb = 4096;
  int64_t max_recurse_depth = 500;
  int64_t max_files = 8;
  int64_t max_threads = 4;
  // Sources for `code` snippets; empty means a built-in dictionary.
  std::vector<std::string> code_dictionary;
  // Modules for `import`, exceptions for `raise`; empty means built-in lists.
  std::vector<std::string> modules;
  std::vector<std::string> exceptions;
  // Texts for `value="..."` and `raise_with msg=`; empty means a built-in list
  // (NUL bytes, bytes that are not UTF-8, so lone surrogates, non-ASCII).
  std::vector<std::string> texts;
};

// A valid scenario (passes CheckScenario) drawn from `rng`.
Scenario Generate(const GeneratorOptions& options, std::mt19937_64& rng);

// One step that is valid after the steps of `scenario` (appended by the
// caller), or std::nullopt when none of the weighted kinds can be valid there.
// Exposed for the mutator.
std::optional<Step> GenerateStep(const Scenario& scenario, const GeneratorOptions& options,
                                 std::mt19937_64& rng);

// The built-in dictionaries used when the options' lists are empty.
const std::vector<std::string>& DefaultCodeDictionary();
const std::vector<std::string>& DefaultModules();
const std::vector<std::string>& DefaultTexts();
const std::vector<std::string>& DefaultExceptions();

}  // namespace endgame::scenario

#endif  // ENDGAME_SCENARIO_GENERATOR_H_
