// Strategy differential: one scenario under the thread cache and under a
// dedicated thread per exec. A finding under either ends the input as in the
// lifecycle target; verdicts of different kinds (ok, error, skipped) that hold
// on a second run of both are a divergence finding naming both verdicts.
//
//   strategy_diff_fuzzer -dict=fuzz/strategy_diff.dict build/fuzz/seeds/strategy_diff
// or scripts/fuzz.sh strategy_diff (see docs/oss-fuzz.md).
#include <cstddef>
#include <cstdint>

#include "fuzz/harness.h"

ENDGAME_FUZZ_ENTRY_POINTS(kStrategyDiff)

namespace {

endgame::scenario::StrategySpec Cache(const endgame::scenario::Scenario& s) {
  endgame::scenario::StrategySpec c;
  c.kind = endgame::scenario::StrategyKind::kCache;
  if (s.strategy.kind == endgame::scenario::StrategyKind::kCache) c = s.strategy;
  return c;
}

endgame::scenario::StrategySpec Dedicated(const endgame::scenario::Scenario& s) {
  endgame::scenario::StrategySpec d;
  d.kind = endgame::scenario::StrategyKind::kDedicated;
  if (s.strategy.kind == endgame::scenario::StrategyKind::kDedicated) d = s.strategy;
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fz = endgame::fuzz;
  const endgame::scenario::Scenario s = fz::Decode(data, size);
  const endgame::scenario::StrategySpec cache = Cache(s), dedicated = Dedicated(s);
  endgame::run::RunResult a = fz::RunAndJudge(s, &cache);
  endgame::run::RunResult b = fz::RunAndJudge(s, &dedicated);
  if (a.verdict.kind == b.verdict.kind) return 0;
  // Real threads: a divergence counts only when a second run of both agrees.
  endgame::run::RunResult a2 = fz::RunAndJudge(s, &cache);
  endgame::run::RunResult b2 = fz::RunAndJudge(s, &dedicated);
  if (a2.verdict.kind != a.verdict.kind || b2.verdict.kind != b.verdict.kind) return 0;
  b.verdict.detail = "cache: " + a.verdict.ToString() + ", dedicated: " + b.verdict.ToString();
  fz::ReportAndAbort(s, "strategy divergence: " + b.verdict.detail, b);
}
