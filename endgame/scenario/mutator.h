// File: endgame/scenario/mutator.h
//
// Structural mutation of scenarios (DESIGN.md §4): insert, delete, duplicate
// or swap steps; change one argument, snippet, strategy, driver or delay;
// add or remove `as`. Every result passes CheckScenario. MutateBytes does
// decode -> Mutate -> encode on fuzzer bytes, for LLVMFuzzerCustomMutator;
// engines without a custom mutator keep working on the raw bytes because the
// decoder is total.
//
// Example:
//   extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
//                                             size_t max_size, unsigned seed) {
//     return endgame::scenario::MutateBytes(data, size, max_size, seed);
//   }
#ifndef ENDGAME_SCENARIO_MUTATOR_H_
#define ENDGAME_SCENARIO_MUTATOR_H_

#include <cstddef>
#include <cstdint>
#include <random>

#include "endgame/scenario/generator.h"
#include "endgame/scenario/scenario.h"

namespace endgame::scenario {

// A valid scenario one structural mutation away from `scenario` (which should
// be valid; it is repaired first). Inserted steps and new values follow
// `options`. Differs from the (repaired) input unless no mutation applies.
Scenario Mutate(const Scenario& scenario, std::mt19937_64& rng,
                const GeneratorOptions& options = {});

// Decodes data[0, size), mutates, encodes back into `data` and returns the new
// size (<= max_size). Deterministic in (bytes, seed, options).
size_t MutateBytes(uint8_t* data, size_t size, size_t max_size, unsigned seed,
                   const GeneratorOptions& options = {});

}  // namespace endgame::scenario

#endif  // ENDGAME_SCENARIO_MUTATOR_H_
