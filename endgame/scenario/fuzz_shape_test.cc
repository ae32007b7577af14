#include "endgame/scenario/fuzz_shape.h"

#include <random>
#include <string>

#include "endgame/scenario/check.h"
#include "endgame/scenario/codec.h"
#include "endgame/scenario/mutator.h"
#include "endgame/scenario/text.h"
#include "gtest/gtest.h"

namespace endgame::scenario {
namespace {

constexpr FuzzTarget kAll[] = {FuzzTarget::kLifecycle, FuzzTarget::kStrategyDiff, FuzzTarget::kDestroyRace,
                               FuzzTarget::kInterpConfig};

Scenario Parse(const std::string& text) {
  absl::StatusOr<Scenario> s = ParseScenario(text, "t.scn");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Scenario();
}

TEST(FuzzShape, NamesRoundTrip) {
  for (FuzzTarget t : kAll) {
    FuzzTarget back;
    ASSERT_TRUE(ParseFuzzTarget(FuzzTargetName(t), &back));
    EXPECT_EQ(back, t);
  }
  FuzzTarget t;
  EXPECT_FALSE(ParseFuzzTarget("lifecycles", &t));
}

TEST(FuzzShape, DropsFinalizeAndExpectAndClampsDurations) {
  Scenario s = Parse(
      "deadline_ms 60000\n"
      "spawn a\n"
      "exec a sleep ms=90000 as t delay_us=900000\n"
      "wait t timeout_ms=50000\n"
      "destroy a\n"
      "finalize\n"
      "expect ok\n");
  Scenario out = ShapeForFuzzing(s, FuzzTarget::kLifecycle);
  ASSERT_EQ(out.steps.size(), 4u) << PrintScenario(out);
  EXPECT_FALSE(out.expect.has_value());
  EXPECT_EQ(out.deadline_ms, 5000);
  s.deadline_ms = 2;
  EXPECT_EQ(ShapeForFuzzing(s, FuzzTarget::kLifecycle).deadline_ms, 1000) << "a tiny deadline is raised";
  EXPECT_EQ(out.steps[1].snippet.ms, 200);
  EXPECT_EQ(out.steps[1].delay_us, 20000);
  EXPECT_EQ(out.steps[2].timeout_ms, 200);
  EXPECT_TRUE(CheckScenario(out).ok());
}

// `exit` ends the process: an in-process target drops it like finalize.
TEST(FuzzShape, DropsExit) {
  Scenario out = ShapeForFuzzing(Parse("spawn a\nexec a noop\nexit code=3\n"), FuzzTarget::kLifecycle);
  EXPECT_EQ(PrintScenario(out), "spawn a\nexec a noop\n");
}

TEST(FuzzShape, ProjectionsKeepTheirStepKinds) {
  Scenario s = Parse(
      "spawn a\n"
      "exec a busy ms=50 as t\n"
      "gc a\n"
      "cancel t via=flag\n"
      "sleep ms=5\n"
      "wait t\n"
      "destroy a\n");
  Scenario race = ShapeForFuzzing(s, FuzzTarget::kDestroyRace);
  for (const Step& st : race.steps) EXPECT_NE(st.kind, StepKind::kGc) << PrintScenario(race);
  EXPECT_EQ(race.steps.size(), 6u);
  Scenario config = ShapeForFuzzing(s, FuzzTarget::kInterpConfig);
  for (const Step& st : config.steps) {
    EXPECT_NE(st.kind, StepKind::kCancel);
    EXPECT_NE(st.kind, StepKind::kSleep);
  }
  EXPECT_EQ(config.steps.size(), 5u);
  EXPECT_EQ(ShapeForFuzzing(s, FuzzTarget::kLifecycle), s);
}

TEST(FuzzShape, ForeverOnlyWhenALaterCancelCanStopIt) {
  Scenario s = Parse(
      "spawn a\n"
      "exec a busy ms=0\n"                 // synchronous: would hang on its own
      "exec a busy ms=0 as t1\n"           // cancelled by async_exc below: kept
      "exec a busy_poll ms=0 as t2\n"      // cancelled by flag below: kept
      "exec a busy ms=0 as t3\n"           // flag cannot stop busy: bounded
      "exec a lock_wait ms=0 as t4\n"      // nothing stops it: bounded
      "cancel t1\n"
      "cancel t2 via=flag\n"
      "cancel t3 via=flag\n"
      "cancel t4\n"
      "destroy a\n");
  Scenario out = ShapeForFuzzing(s, FuzzTarget::kLifecycle);
  EXPECT_EQ(out.steps[1].snippet.ms, 200);
  EXPECT_EQ(out.steps[2].snippet.ms, 0);
  EXPECT_EQ(out.steps[3].snippet.ms, 0);
  EXPECT_EQ(out.steps[4].snippet.ms, 200);
  EXPECT_EQ(out.steps[5].snippet.ms, 200);
}

// The surface steps of #13 (queues, channels, close, share, call, and the
// snippets raise_with, nested, raw_thread, atexit, and a fork CPython
// refuses) reach every target unchanged: no projection drops them.
TEST(FuzzShape, EveryTargetKeepsTheNewSteps) {
  const Scenario s = Parse(
      "driver interpreters\n"
      "spawn a\nspawn b legacy\n"
      "queue q1 unbound=error\nchannel c1 unbound=remove\n"
      "put q1 from=a value=tuple as t1\nwait t1\nget q1 in=b timeout_ms=20\n"
      "put c1 from=b value=1\nget c1 in=a\nclose c1 force=1\n"
      "share a name=x value=\"a\"\ncall b func=echo value=7\n"
      "share b name=h value=queue:q1\ncall a value=queue:q1\n"
      "exec a raise_with msg=\"caf\\xc3\\xa9\"\nexec a nested target=b ms=5\n"
      "exec b raw_thread ms=1 n=2\nexec b atexit ms=5 raises=1\nexec a fork\n"
      "destroy a\ndestroy b\n");
  for (FuzzTarget t : kAll) {
    EXPECT_EQ(ShapeForFuzzing(s, t), s) << FuzzTargetName(t) << "\n" << PrintScenario(ShapeForFuzzing(s, t));
  }
}

TEST(FuzzShape, AForkRunsOnlyWhereCPythonRefusesIt) {
  const Scenario s = Parse(
      "spawn a\nspawn b legacy\nspawn c isolated fork=1\nspawn d legacy fork=0\n"
      "exec a fork\nexec b fork ms=5\nexec c fork\nexec d fork\ndestroy b\nspawn b\nexec b fork\n");
  for (FuzzTarget t : {FuzzTarget::kLifecycle, FuzzTarget::kInterpConfig}) {
    EXPECT_EQ(PrintScenario(ShapeForFuzzing(s, t)),
              "spawn a\nspawn b legacy\nspawn c fork=1\nspawn d legacy fork=0\n"
              "exec a fork\nexec b noop\nexec c noop\nexec d fork\ndestroy b\nspawn b\nexec b fork\n");
  }
}

// The main interpreter's fork with a subinterpreter alive, or being
// destroyed, kills the child on every CPython measured (gh-139759): it sleeps.
TEST(FuzzShape, AForkStepRunsOnlyWithNoSubinterpreterAlive) {
  const Scenario s = Parse(
      "fork ms=3\nspawn a\nfork ms=4\nspawn b\ndestroy a\nfork\ndestroy b as t1\nfork ms=5\nwait t1\n"
      "fork ms=6\n");
  for (FuzzTarget t : {FuzzTarget::kLifecycle, FuzzTarget::kStrategyDiff, FuzzTarget::kDestroyRace}) {
    EXPECT_EQ(PrintScenario(ShapeForFuzzing(s, t)),
              "fork ms=3\nspawn a\nsleep ms=4\nspawn b\ndestroy a\nsleep ms=0\ndestroy b as t1\nsleep ms=5\n"
              "wait t1\nfork ms=6\n")
        << FuzzTargetName(t);
  }
  // interp_config keeps no sleep.
  EXPECT_EQ(PrintScenario(ShapeForFuzzing(s, FuzzTarget::kInterpConfig)),
            "fork ms=3\nspawn a\nspawn b\ndestroy a\ndestroy b as t1\nwait t1\nfork ms=6\n");
  EXPECT_EQ(PrintScenario(ShapeForFuzzing(Parse("spawn a\ndestroy a\nfork\n"), FuzzTarget::kLifecycle)),
            "spawn a\ndestroy a\nfork\n");
  // A destroy while a task of its interpreter may still run may fail: the
  // interpreter may be alive (found by strategy_diff and interp_config).
  EXPECT_EQ(PrintScenario(ShapeForFuzzing(
                Parse("spawn a\nexec a busy ms=200 as t1\nwait t1 timeout_ms=5\ndestroy a\nfork\nwait t1\nfork ms=1\n"),
                FuzzTarget::kLifecycle)),
            "spawn a\nexec a busy ms=200 as t1\nwait t1 timeout_ms=5\ndestroy a\nsleep ms=0\nwait t1\nsleep ms=1\n");
  EXPECT_EQ(PrintScenario(ShapeForFuzzing(Parse("spawn c\ndestroy c as t1\ndestroy c\nfork\nwait t1\nfork\n"),
                                          FuzzTarget::kLifecycle)),
            "spawn c\ndestroy c as t1\ndestroy c\nsleep ms=0\nwait t1\nfork\n");
}

// A queue handle put as an item would deadlock its putter's destroy (known):
// the put runs with none; share and call keep their handles.
TEST(FuzzShape, AQueueHandlePutRunsWithNone) {
  const Scenario s = Parse(
      "spawn a\nqueue q1\nqueue q2\nput q1 from=a value=queue:q2 as t1\nput q2 from=a value=queue:q2\n"
      "put q1 from=a value=1\nshare a name=h value=queue:q1\ncall a value=queue:q2\nwait t1\n");
  for (FuzzTarget t : kAll) {
    EXPECT_EQ(PrintScenario(ShapeForFuzzing(s, t)),
              "spawn a\nqueue q1\nqueue q2\nput q1 from=a as t1\nput q2 from=a\n"
              "put q1 from=a value=1\nshare a name=h value=queue:q1\ncall a value=queue:q2\nwait t1\n")
        << FuzzTargetName(t);
  }
}

// A gil text keeps its UTF-8 prefix: a lone surrogate crashes 3.13's
// new_config (gh-148798), the fuzz build's CPython.
TEST(FuzzShape, AGilTextKeepsItsUtf8Prefix) {
  const Scenario s = Parse(
      "spawn a gil=\"own\\xed\\xa0\\x80x\"\nspawn b gil=\"caf\\xc3\\xa9\\xff\"\nspawn c gil=\"own\\x00x\"\n");
  for (FuzzTarget t : kAll) {
    EXPECT_EQ(PrintScenario(ShapeForFuzzing(s, t)),
              "spawn a gil=\"own\"\nspawn b gil=\"caf\xc3\xa9\"\nspawn c gil=\"own\\x00x\"\n")
        << FuzzTargetName(t);
  }
}

// Any bytes: the shaped scenario is valid, shaping is idempotent, and the
// target's mutator keeps producing valid scenarios.
TEST(FuzzShape, AnyDecodedInputShapesToAValidScenario) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20000; ++i) {
    std::string bytes(rng() % 200, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    for (FuzzTarget t : kAll) {
      Scenario s = ShapeForFuzzing(DecodeScenario(bytes), t);
      ASSERT_TRUE(CheckScenario(s).ok()) << CheckScenario(s) << "\n" << PrintScenario(s);
      ASSERT_EQ(ShapeForFuzzing(s, t), s);
      for (const Step& st : s.steps) {
        ASSERT_NE(st.kind, StepKind::kFinalize);
        ASSERT_NE(st.kind, StepKind::kExit);
      }
      uint8_t buf[1024];
      size_t n = std::min(bytes.size(), sizeof(buf));
      std::copy(bytes.begin(), bytes.begin() + n, buf);
      n = MutateBytes(buf, n, sizeof(buf), static_cast<unsigned>(i), FuzzMutatorOptions(t));
      ASSERT_TRUE(CheckScenario(DecodeScenario(buf, n)).ok());
    }
  }
}

}  // namespace
}  // namespace endgame::scenario
