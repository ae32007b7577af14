// File: endgame/scenario/internal/random.h
//
// Random draws shared by the generator and the mutator. Only std::mt19937_64
// itself is used (its output is fixed by the standard), never std::
// distributions, so a seed means the same scenario on every platform.
// Private to endgame/scenario.
#ifndef ENDGAME_SCENARIO_INTERNAL_RANDOM_H_
#define ENDGAME_SCENARIO_INTERNAL_RANDOM_H_

#include <cstdint>
#include <optional>
#include <random>

#include "absl/types/span.h"
#include "endgame/scenario/generator.h"
#include "endgame/scenario/internal/tracker.h"
#include "endgame/scenario/scenario.h"
#include "endgame/scenario/snippets.h"

namespace endgame::scenario::internal {

// Uniform in [0, n); 0 when n == 0.
uint64_t Below(std::mt19937_64& rng, uint64_t n);
// Uniform in [lo, hi]; lo when hi < lo.
int64_t Between(std::mt19937_64& rng, int64_t lo, int64_t hi);
// True with probability percent/100.
bool Percent(std::mt19937_64& rng, int percent);
// An index drawn by weight; -1 when every weight is <= 0.
int Weighted(std::mt19937_64& rng, absl::Span<const int> weights);

// A value for `arg` within its bound and the options' caps.
int64_t RandomIntArg(const SnippetArg& arg, SnippetKind kind, const GeneratorOptions& o,
                     std::mt19937_64& rng);
// A snippet of `kind` with arguments drawn per the options.
Snippet RandomSnippet(SnippetKind kind, const GeneratorOptions& o, std::mt19937_64& rng);
// A snippet kind drawn by the options' weights (noop when all are 0).
SnippetKind RandomSnippetKind(const GeneratorOptions& o, std::mt19937_64& rng);
// A strategy valid with `driver`.
StrategySpec RandomStrategy(Driver driver, const GeneratorOptions& o, std::mt19937_64& rng);
// The odd `gil="TEXT"` values the generator and mutator draw: a lone
// surrogate (gh-148798: 3.13.15's new_config crashes on it), a NUL inside a
// valid word, the empty string, unknown words and a case variant.
const std::vector<std::string>& OddGilTexts();
// A spawn configuration.
InterpConfig RandomConfig(const GeneratorOptions& o, std::mt19937_64& rng);
// A `value=` of any kind; str and bytes from o.texts (or DefaultTexts()), a
// queue handle of one of `queues` (none when it is empty).
Value RandomValue(const GeneratorOptions& o, std::mt19937_64& rng, const std::vector<std::string>& queues);
// A task name not yet defined in `t` (t1, t2, ... first).
std::string FreshTask(const Tracker& t);
// A step valid after the steps `t` has seen, or nullopt.
std::optional<Step> RandomStep(const Tracker& t, const GeneratorOptions& o, std::mt19937_64& rng);

}  // namespace endgame::scenario::internal

#endif  // ENDGAME_SCENARIO_INTERNAL_RANDOM_H_
