#include "endgame/scenario/check.h"

#include <gtest/gtest.h>

#include <string>

#include "endgame/scenario/snippets.h"
#include "endgame/scenario/text.h"

namespace endgame::scenario {
namespace {

std::string Error(const Scenario& s) {
  absl::Status st = CheckScenario(s, "gen");
  return st.ok() ? "ok" : std::string(st.message());
}

Scenario Valid() {
  Scenario s;
  s.steps.push_back(Step::Spawn("a"));
  s.steps.push_back(Step::Exec("a", DefaultSnippet(SnippetKind::kBusy), "t1"));
  s.steps.push_back(Step::Cancel("t1", CancelVia::kFlag));
  s.steps.push_back(Step::Wait("t1"));
  s.steps.push_back(Step::Destroy("a"));
  return s;
}

TEST(CheckTest, ValidScenario) { EXPECT_EQ(Error(Valid()), "ok"); }

TEST(CheckTest, StepsWithoutPositionAreNamedByIndex) {
  Scenario s = Valid();
  s.steps.push_back(Step::Gc("a"));
  EXPECT_EQ(Error(s), "gen: step 6: interpreter 'a' is used after it was destroyed (step 5)");
}

TEST(CheckTest, StepsWithPositionUseIt) {
  Scenario s = Valid();
  s.steps[1].pos = {7, 1, 6, 16};
  s.steps.push_back(Step::Exec("a", Snippet{}, "t1"));
  s.steps.back().pos = {9, 3, 8, 18};
  s.steps.erase(s.steps.begin() + 4);  // keep a alive
  EXPECT_EQ(Error(s), "gen:9:18: task 't1' is already defined (line 7)");
}

TEST(CheckTest, HeaderProblems) {
  Scenario s;
  s.deadline_ms = 0;
  EXPECT_EQ(Error(s), "gen: 'deadline_ms' must be between 1 and 600000, got 0");
  s = Scenario{};
  s.driver = Driver::kInterpreters;
  s.strategy.tstate = TstateMode::kSticky;
  EXPECT_EQ(Error(s), "gen: tstate=sticky needs driver capi");
  s = Scenario{};
  s.strategy.kind = StrategyKind::kDedicated;
  s.strategy.workers = 3;
  EXPECT_EQ(Error(s), "gen: 'strategy dedicated' takes no argument 'workers'");
  s = Scenario{};
  s.strategy.workers = kMaxWorkers + 1;
  EXPECT_EQ(Error(s), "gen: 'workers' must be between 1 and 16, got 17");
  s = Scenario{};
  s.expect = Expect{"hung", ""};
  EXPECT_EQ(Error(s), "gen: unknown verdict 'hung'");
  s = Scenario{};
  Requirement r;
  r.kind = Requirement::Kind::kCapability;
  r.capability = "gpu";
  s.requires_.push_back(r);
  EXPECT_EQ(Error(s), "gen: unknown requirement 'gpu'");
}

TEST(CheckTest, ValueProblems) {
  Scenario s;
  s.steps.push_back(Step::Spawn("A"));
  EXPECT_EQ(
      Error(s),
      "gen: step 1: bad interpreter name 'A' (names are [a-z][a-z0-9_]*, at most 32 characters)");
  s.steps[0] = Step::Spawn("a");
  s.steps[0].config.fork = 2;
  EXPECT_EQ(Error(s), "gen: step 1: 'fork' must be 0 or 1, got 2");
  s.steps[0] = Step::Spawn("a");
  s.steps[0].delay_us = kMaxDelayUs + 1;
  EXPECT_EQ(Error(s), "gen: step 1: 'delay_us' must be between 0 and 1000000, got 1000001");
  s.steps[0] = Step::Spawn("a");
  Snippet busy = DefaultSnippet(SnippetKind::kBusy);
  busy.ms = kMaxMs + 1;
  s.steps.push_back(Step::Exec("a", busy));
  EXPECT_EQ(Error(s), "gen: step 2: 'ms' must be between 0 and 600000, got 600001");
}

// Fields a step kind does not use must keep their defaults, so that printing
// (which omits them) and parsing give the value back.
TEST(CheckTest, UnusedFieldsMustBeDefault) {
  Scenario s;
  s.steps.push_back(Step::Sleep(5));
  s.steps[0].interp = "a";
  EXPECT_EQ(Error(s), "gen: step 1: 'sleep' step has a value in a field it does not use");
  s.steps[0] = Step::Spawn("a");
  Snippet noop;
  noop.ms = 5;
  s.steps.push_back(Step::Exec("a", noop));
  EXPECT_EQ(Error(s), "gen: step 2: snippet 'noop' has a value in a field it does not use");
}

TEST(CheckTest, RepairIsIdentityOnValid) {
  Scenario s = Valid();
  Scenario r = s;
  RepairScenario(&r);
  EXPECT_EQ(r, s);
}

TEST(CheckTest, RepairMakesValid) {
  Scenario s;
  s.driver = Driver::kInterpreters;
  s.strategy.tstate = TstateMode::kSticky;
  s.strategy.bound_ms = 9;
  s.deadline_ms = -3;
  s.expect = Expect{"nope", "x"};
  s.steps.push_back(Step::Exec("a", Snippet{}));  // before spawn: dropped
  s.steps.push_back(Step::Spawn("a"));
  s.steps.push_back(Step::Spawn("a"));  // twice: dropped
  Snippet sn = DefaultSnippet(SnippetKind::kThread);
  sn.n = 1000;  // clamped to 64
  sn.kb = 7;    // unused: reset
  s.steps.push_back(Step::Exec("a", sn, "t"));
  s.steps.back().on = ExecOn::kConductor;  // `as` dropped
  s.steps.push_back(Step::Wait("t"));      // t never defined: dropped
  s.steps.push_back(Step::Destroy("a", "d"));
  s.steps.push_back(Step::Cancel("d"));  // destroy task: dropped
  s.steps.push_back(Step::Finalize());
  s.steps.push_back(Step::Sleep(1));  // after finalize: dropped
  RepairScenario(&s);
  ASSERT_TRUE(CheckScenario(s).ok()) << CheckScenario(s);
  EXPECT_EQ(PrintScenario(s),
            "driver interpreters\n"
            "deadline_ms 1\n"
            "spawn a\n"
            "exec a thread n=64 on=conductor\n"
            "destroy a as d\n"
            "finalize\n");
}

}  // namespace
}  // namespace endgame::scenario
