// File: fuzz/harness.h
//
// The in-process side of the engine fuzz targets (DESIGN.md §4, §5): CPython
// initialized once with its signal handlers off, each input decoded with the
// scenario codec, shaped for its target (scenario/fuzz_shape.h) and run by the
// conductor, which joins every task, destroys every interpreter and drains the
// strategy inside the input. Strategy workers and the watchdog block the
// signals libFuzzer uses. The step deadline sits below libFuzzer's -timeout,
// so a deadlock aborts with its own signature and every thread's stacks.
//
// A finding ends the process, as libFuzzer expects, after printing a block
// that fuzz.sh and humans read:
//   ==endgame-fuzz== finding: hang destroy (signature 1999f22f73ec) in lifecycle
//   ==endgame-fuzz== scenario:
//   ...canonical text...
// fatal errors, crashes and sanitizer reports end it on their own; hangs,
// leaks, poisoned runs (threads still inside interpreters) and strategy
// divergences abort here.
//
// Example (a whole target that runs each input once, as lifecycle does):
//   #include "fuzz/harness.h"
//   ENDGAME_FUZZ_ENTRY_POINTS(kLifecycle)
//   ENDGAME_FUZZ_RUN_EACH_INPUT()
#ifndef ENDGAME_FUZZ_HARNESS_H_
#define ENDGAME_FUZZ_HARNESS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "endgame/run/result.h"
#include "endgame/scenario/fuzz_shape.h"
#include "endgame/scenario/scenario.h"

namespace endgame::fuzz {

// Initializes CPython (home: $ENDGAME_PYTHONHOME, else a `python` folder next
// to the binary when there is one, as OSS-Fuzz ships it, else the build's
// prefix) and reads -timeout= from argv. Exits 1 with a message on failure.
void Initialize(int* argc, char*** argv, scenario::FuzzTarget target);

// The target's scenario for these bytes.
scenario::Scenario Decode(const uint8_t* data, size_t size);

// Runs `s`, optionally under another strategy. On a hang it does not return.
run::RunResult Run(const scenario::Scenario& s, const scenario::StrategySpec* strategy = nullptr);

// Prints the finding block (headline, scenario, verdict, stacks) and aborts.
[[noreturn]] void ReportAndAbort(const scenario::Scenario& s, const std::string& headline,
                                 const run::RunResult& r);

// Run, then ReportAndAbort when the result is a finding or poisoned.
run::RunResult RunAndJudge(const scenario::Scenario& s, const scenario::StrategySpec* strategy = nullptr);

// LLVMFuzzerCustomMutator for the target: structural mutation with the
// target's mix, alternating with libFuzzer's byte mutation when linked.
size_t CustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned seed);

}  // namespace endgame::fuzz

// LLVMFuzzerInitialize and LLVMFuzzerCustomMutator for FuzzTarget::<target>.
#define ENDGAME_FUZZ_ENTRY_POINTS(target)                                                             \
  extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {                                      \
    ::endgame::fuzz::Initialize(argc, argv, ::endgame::scenario::FuzzTarget::target);                 \
    return 0;                                                                                         \
  }                                                                                                   \
  extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned seed) { \
    return ::endgame::fuzz::CustomMutator(data, size, max_size, seed);                                \
  }

// LLVMFuzzerTestOneInput that runs the shaped scenario once and judges it.
#define ENDGAME_FUZZ_RUN_EACH_INPUT()                                       \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { \
    ::endgame::fuzz::RunAndJudge(::endgame::fuzz::Decode(data, size));     \
    return 0;                                                               \
  }

#endif  // ENDGAME_FUZZ_HARNESS_H_
