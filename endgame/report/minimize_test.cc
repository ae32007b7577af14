#include "endgame/report/minimize.h"

#include <string>

#include "absl/strings/match.h"
#include "endgame/scenario/text.h"
#include "gtest/gtest.h"

namespace endgame::report {
namespace {

scenario::Scenario Parse(const std::string& text) {
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text, "min.scn");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : scenario::Scenario();
}

// The minimizer is pure given its predicate: here "the scenario still has
// two destroys of a", the shape of feeb3b291951.
bool TwoDestroys(const scenario::Scenario& s) {
  int n = 0;
  for (const scenario::Step& st : s.steps) n += st.kind == scenario::StepKind::kDestroy && st.interp == "a";
  return n >= 2;
}

TEST(Minimize, KeepsOnlyWhatThePredicateNeedsAndLeavesAPythonStrategy) {
  scenario::Scenario start = Parse(
      "strategy actor\nspawn a\nspawn b\nexec b sleep ms=50 as t1\nexec a noop delay_us=300\n"
      "destroy a via=module as t2\ndestroy a\nwait t1\n");
  MinimizeStats stats;
  scenario::Scenario m = Minimize(start, TwoDestroys, nullptr, &stats);
  EXPECT_EQ(scenario::PrintScenario(m), "spawn a\ndestroy a as t2\ndestroy a\n");
  EXPECT_GT(stats.tested, 0);
  EXPECT_GE(stats.tested, stats.accepted);
}

TEST(Minimize, KeepsAPythonStrategyTheFindingNeeds) {
  scenario::Scenario start = Parse("strategy actor\nspawn a\ndestroy a as t1\ndestroy a\n");
  auto needs_actor = [](const scenario::Scenario& s) {
    return TwoDestroys(s) && s.strategy.kind == scenario::StrategyKind::kPython;
  };
  scenario::Scenario m = Minimize(start, needs_actor, nullptr, nullptr);
  EXPECT_TRUE(absl::StartsWith(scenario::PrintScenario(m), "strategy actor\n")) << scenario::PrintScenario(m);
}

TEST(Minimize, TriesDedicatedWhenCacheLosesTheFinding) {
  scenario::Scenario start = Parse("strategy trio\nspawn a\ndestroy a as t1\ndestroy a\n");
  auto not_cache = [](const scenario::Scenario& s) {
    return TwoDestroys(s) && s.strategy.kind != scenario::StrategyKind::kCache;
  };
  scenario::Scenario m = Minimize(start, not_cache, nullptr, nullptr);
  EXPECT_EQ(m.strategy.kind, scenario::StrategyKind::kDedicated) << scenario::PrintScenario(m);
}

}  // namespace
}  // namespace endgame::report
