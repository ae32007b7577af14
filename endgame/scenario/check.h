// File: endgame/scenario/check.h
//
// Semantic checks of a scenario value, and a repair that makes any value valid.
// ParseScenario runs the same checks while it reads, so text input gets the
// same errors with exact columns; CheckScenario is for values built in code,
// decoded or mutated. A scenario that passes CheckScenario prints, parses,
// encodes and decodes to itself.
//
// Checked: every value within its bound (scenario.h, snippets.h); names are
// [a-z][a-z0-9_]*; fields a step kind does not use are at their defaults;
// interpreters spawned before use, not spawned twice while alive, not used
// after a synchronous destroy (after `destroy I as T` they may be: that race
// is the point; respawning I then waits for `wait T`); tasks defined by `as`
// before use and only once; no cancel of a destroy task; no `as` on
// on=conductor; nothing after finalize; tstate=sticky only with driver capi;
// strategy arguments of the other strategy kind; at most kMaxSpawns spawns,
// kMaxTasks tasks and kMaxSteps steps.
//
// Example:
//   absl::Status st = CheckScenario(s, "generated");
//   // "generated: step 3: interpreter 'b' is used before it is spawned"
#ifndef ENDGAME_SCENARIO_CHECK_H_
#define ENDGAME_SCENARIO_CHECK_H_

#include <string_view>

#include "absl/status/status.h"
#include "endgame/scenario/scenario.h"

namespace endgame::scenario {

// OK, or an InvalidArgumentError for the first problem: "file:line:col: msg"
// for steps with a SourcePos, "file: step N: msg" for steps without one,
// "file: msg" for the header.
absl::Status CheckScenario(const Scenario& scenario, std::string_view filename = "<scenario>");

// Makes `scenario` pass CheckScenario with as little change as possible:
// clamps values into their bounds, resets fields a step kind does not use,
// replaces invalid names, drops `as` where it is not allowed and drops steps
// the checks reject. The identity on valid scenarios.
void RepairScenario(Scenario* scenario);

}  // namespace endgame::scenario

#endif  // ENDGAME_SCENARIO_CHECK_H_
