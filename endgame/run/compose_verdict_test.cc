#include "endgame/run/compose_verdict.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace endgame::run {
namespace {

OracleRecord Oracle(const char* name, int64_t delta, bool leak) { return {name, 0, delta, delta, "", leak}; }

TEST(ComposeVerdict, OkWithoutEvidence) {
  ComposedVerdict c = ComposeVerdict({});
  EXPECT_EQ(c.verdict, Verdict::Ok());
  EXPECT_EQ(c.guilty_step, "");
  EXPECT_EQ(c.guilty_index, -1);
  EXPECT_EQ(c.signature, "");
}

TEST(ComposeVerdict, SkippedAndStrategyHaveNoSignature) {
  VerdictEvidence unmet;
  unmet.unmet = "requires debug";
  ComposedVerdict c = ComposeVerdict(unmet);
  EXPECT_EQ(c.verdict.ToString(), "skipped requires debug");
  EXPECT_EQ(c.signature, "");
  VerdictEvidence broken;
  broken.strategy_error = "no module named x";
  c = ComposeVerdict(broken);
  EXPECT_EQ(c.verdict.ToString(), "error strategy: no module named x");
  EXPECT_EQ(c.guilty_step, "strategy");
  EXPECT_EQ(c.signature, "");
  VerdictEvidence missing;
  missing.strategy_skipped = "trio is not installed";
  EXPECT_EQ(ComposeVerdict(missing).verdict.ToString(), "skipped trio is not installed");
}

TEST(ComposeVerdict, TheFirstLeakingOracleOutranksAnError) {
  VerdictEvidence e;
  e.oracles = {Oracle("threads", 0, false), Oracle("queue_items", -1, true), Oracle("fds", 2, true)};
  e.error = StepError{"destroy", 4, "InterpreterError"};
  ComposedVerdict c = ComposeVerdict(e);
  EXPECT_EQ(c.verdict.ToString(), "leak queue item -1");
  EXPECT_EQ(c.guilty_step, "drain");
  EXPECT_EQ(c.guilty_index, -1);
  EXPECT_EQ(c.signature, Signature(c.verdict, "drain", {}));
  e.oracles = {Oracle("thread_states", 1, true)};
  EXPECT_EQ(ComposeVerdict(e).verdict.ToString(), "leak tstate +1");
}

// An API error, alone (a figure does not matter) and then under a memory slope.
TEST(ComposeVerdict, TheFirstApiErrorAndAMemorySlopeAboveIt) {
  VerdictEvidence e;
  e.oracles = {Oracle("rss", 4096, false)};
  e.error = StepError{"gc", 2, "RuntimeError"};
  ComposedVerdict error = ComposeVerdict(e);
  EXPECT_EQ(error.verdict.ToString(), "error RuntimeError");
  EXPECT_EQ(error.guilty_step, "gc");
  EXPECT_EQ(error.signature, Signature(error.verdict, "gc", {}));

  e.oracles.push_back(Oracle("rss_slope", 90000, true));
  ComposedVerdict slope = ComposeVerdict(e);
  EXPECT_EQ(slope.verdict.ToString(), "leak memory +90000/cycle");
  EXPECT_EQ(slope.guilty_step, "drain");
  EXPECT_EQ(slope.guilty_index, 2);  // kept from the error, as before the slopes were judged
  EXPECT_EQ(slope.signature, Signature(Verdict::Of(VerdictKind::kLeak, "memory"), "drain", {}));
  // A leak of the run stays.
  e.oracles.insert(e.oracles.begin(), Oracle("interpreters", 1, true));
  EXPECT_EQ(ComposeVerdict(e).verdict.ToString(), "leak interpreter +1");
}

TEST(ComposeVerdict, Hangs) {
  VerdictEvidence e;
  e.error = StepError{"gc", 2, "RuntimeError"};
  e.hang = HangEvidence{"wait", 3, "cache-0 (tid 12)", {}, 0};
  ComposedVerdict c = ComposeVerdict(e);
  EXPECT_EQ(c.verdict.ToString(), "hang wait");
  EXPECT_EQ(c.guilty_step, "wait");
  EXPECT_EQ(c.guilty_index, 3);
  EXPECT_EQ(c.guilty_thread, "cache-0 (tid 12)");
  EXPECT_EQ(c.signature, Signature(c.verdict, "wait", {}));
  // Known frames identify the hang, wherever it surfaced.
  e.hang->frames = {"__futex_abstimed_wait_common", "take_gil", "PyEval_RestoreThread"};
  c = ComposeVerdict(e);
  EXPECT_EQ(c.verdict.ToString(), "hang wait");
  EXPECT_EQ(c.signature, Signature(Verdict::Of(VerdictKind::kHang, ""), "", {"take_gil", "PyEval_RestoreThread"}));
}

TEST(ComposeVerdict, AThreadCPythonParkedIsAThreadLeak) {
  VerdictEvidence e;
  e.hang = HangEvidence{"drain", -1, "cache-0 (tid 12)", {"PyThread_hang_thread", "take_gil"}, 2};
  ASSERT_TRUE(e.hang->ParkedByCPython());
  ComposedVerdict c = ComposeVerdict(e);
  EXPECT_EQ(c.verdict.ToString(), "leak thread +2");
  EXPECT_EQ(c.guilty_step, "drain");
  EXPECT_EQ(c.signature, Signature(c.verdict, "drain", {"PyThread_hang_thread", "take_gil"}));
}

// What the fork snippet raises in the parent (snippet_source.h), with the
// stderr the children printed on 3.13.15 release and 3.14.10 debug
// (tests/surface/fork_legacy_*.scn), escaped as unicode_escape escapes it.
constexpr char kReleaseChild[] =
    "EndgameForkChild: status 256: Fatal Python error: _PyInterpreterState_DeleteExceptMain: not main "
    "interpreter\\nPython runtime state: initialized\\n\\nCurrent thread 0x00007fd3a4201b80 (most recent call "
    "first):\\n  File \"<string>\", line 7 in <module>\\n";
constexpr char kDebugChild[] =
    "EndgameForkChild: status 6: python3.14d: ../Python/ceval_gil.c:621: _PyEval_ReInitThreads: Assertion "
    "`tstate->interp == _PyInterpreterState_Main()' failed.\\n";

TEST(ForkChild, AFatalErrorInTheChildIsTheChildsFatal) {
  std::optional<ForkChildEvidence> f = ForkChildOf(kReleaseChild);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->verdict.ToString(), "fatal \"fork child: _PyInterpreterState_DeleteExceptMain: not main interpreter\"");
  EXPECT_EQ(f->assertion, "");
  EXPECT_TRUE(absl::StartsWith(f->stderr_text, "Fatal Python error: ")) << f->stderr_text;
  EXPECT_TRUE(absl::StrContains(f->stderr_text, "\nPython runtime state: initialized\n"));
}

TEST(ForkChild, AnAbortIsACrashKeyedOnItsAssertion) {
  std::optional<ForkChildEvidence> f = ForkChildOf(kDebugChild);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->verdict.ToString(), "crash fork child: SIGABRT");
  EXPECT_EQ(f->assertion, "_PyEval_ReInitThreads: Assertion `tstate->interp == _PyInterpreterState_Main()' failed.");
  // The line of the assertion (621 on 3.14.10, 625 on 3.15.2) and the program do not split it.
  std::optional<ForkChildEvidence> g = ForkChildOf(
      "EndgameForkChild: status 6: python3.15d: ../Python/ceval_gil.c:625: _PyEval_ReInitThreads: Assertion "
      "`tstate->interp == _PyInterpreterState_Main()' failed.\\n");
  ASSERT_TRUE(g.has_value());
  VerdictEvidence a, b;
  a.fork_child = f;
  b.fork_child = g;
  EXPECT_EQ(ComposeVerdict(a).signature, ComposeVerdict(b).signature);
}

TEST(ForkChild, OtherEnds) {
  EXPECT_EQ(ForkChildOf("EndgameForkChild: status 11: ")->verdict.ToString(), "crash fork child: SIGSEGV");
  EXPECT_EQ(ForkChildOf("EndgameForkChild: status 768: ")->verdict.ToString(), "crash fork child: exit code 3");
  EXPECT_EQ(ForkChildOf("EndgameForkChild: hung: ")->verdict.ToString(), "hang fork child");
  EXPECT_FALSE(ForkChildOf("EndgameForkChild: status 0: ").has_value());
  EXPECT_FALSE(ForkChildOf("RuntimeError: fork not supported for isolated subinterpreters").has_value());
  EXPECT_FALSE(ForkChildOf("EndgameForkChild: what").has_value());
}

TEST(ForkChild, OutranksLeaksAndErrorsAndIsNotTheParents) {
  VerdictEvidence e;
  e.oracles = {Oracle("fds", 2, true)};
  e.error = StepError{"destroy", 4, "InterpreterError"};
  e.fork_child = ForkChildOf(kReleaseChild);
  e.fork_child->step_index = 1;
  ComposedVerdict c = ComposeVerdict(e);
  EXPECT_EQ(c.verdict.kind, VerdictKind::kFatal);
  EXPECT_EQ(c.guilty_step, "exec");
  EXPECT_EQ(c.guilty_index, 1);
  EXPECT_EQ(c.guilty_thread, "fork child");
  // The parent's own death of that message has another signature.
  EXPECT_NE(c.signature, Signature(Verdict::Of(VerdictKind::kFatal,
                                               "_PyInterpreterState_DeleteExceptMain: not main interpreter"),
                                   "exec", {}));
  // A hang of the parent still comes first.
  e.hang = HangEvidence{"destroy", 2, "conductor (tid 1)", {}, 0};
  EXPECT_EQ(ComposeVerdict(e).verdict.kind, VerdictKind::kHang);
}

}  // namespace
}  // namespace endgame::run
