// File: endgame/scenario/codec.h
//
// The byte form of a scenario, for fuzzers (DESIGN.md §4). The decoder is
// total: any byte string decodes, deterministically, to a scenario that passes
// CheckScenario and respects every bound (at most kMaxSpawns spawns, kMaxTasks
// tasks, kMaxSteps steps, strings no longer than kMaxStringLength and never
// longer than the input). It reads bytes front to back like FuzzedDataProvider
// and falls back to defaults when they run out, so truncated inputs still mean
// something. The encoder inverts it: DecodeScenario(EncodeScenario(s)) == s for
// every valid s. Nothing here depends on a fuzzing engine.
//
// Example:
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
//     Scenario s = DecodeScenario(data, size);
//     ...
//   }
//
// Layout (docs/scenario-language.md, "Byte form"): a header (flags, strategy,
// deadline, and optionally name, requires, expect and custom name tables), then
// steps until the input ends, kMaxSteps steps are read or a finalize. Each step
// is a byte (kind in bits 0-2, delay flag, `as` flag, 3 kind-specific bits)
// and its operands. Interpreter operands index the interpreters usable at that
// point, task operands the tasks defined so far, so most bytes decode to a
// meaningful step; steps the checks would still reject are dropped.
#ifndef ENDGAME_SCENARIO_CODEC_H_
#define ENDGAME_SCENARIO_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "endgame/scenario/scenario.h"

namespace endgame::scenario {

// Never fails; the result passes CheckScenario.
Scenario DecodeScenario(const uint8_t* data, size_t size);
Scenario DecodeScenario(std::string_view bytes);

// Bytes that decode to `scenario`. For a scenario that fails CheckScenario the
// bytes decode to RepairScenario(scenario) or to a smaller valid scenario.
std::string EncodeScenario(const Scenario& scenario);

}  // namespace endgame::scenario

#endif  // ENDGAME_SCENARIO_CODEC_H_
