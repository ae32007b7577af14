#include "endgame/run/expected.h"

#include <string>

#include "absl/strings/match.h"
#include "endgame/scenario/text.h"
#include "gtest/gtest.h"

namespace endgame::run {
namespace {

scenario::Scenario Parse(const std::string& text) {
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text, "test.scn");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : scenario::Scenario{};
}

// A result as the conductor records it: one record per step (with the
// statuses given), then the drain.
RunResult Result(const scenario::Scenario& s, Verdict v, std::vector<std::string> statuses,
                 const std::string& drain_status, int guilty_index = -1, const std::string& guilty_step = "") {
  RunResult r;
  r.verdict = std::move(v);
  for (size_t i = 0; i < s.steps.size(); ++i) {
    StepRecord rec;
    rec.index = static_cast<int>(i);
    rec.text = scenario::PrintStep(s.steps[i]);
    rec.kind = rec.text.substr(0, rec.text.find(' '));
    rec.status = i < statuses.size() ? statuses[i] : "ok";
    r.steps.push_back(rec);
  }
  if (!drain_status.empty()) r.steps.push_back({-1, "drain", "", 0, 0, drain_status});
  r.guilty_index = guilty_index;
  r.guilty_step = guilty_step.empty() ? (v.kind == VerdictKind::kLeak ? "drain" : "") : guilty_step;
  return r;
}

Verdict Hang(const std::string& step) { return Verdict::Of(VerdictKind::kHang, step); }
Verdict Leak(const std::string& what) { return Verdict::Of(VerdictKind::kLeak, what); }

constexpr char kAbandon[] =
    "strategy dedicated\nspawn a\nexec a lock_wait ms=0 as t\nsleep ms=20\ncancel t via=abandon\n";

TEST(Expected, AbandonedTaskLeftoversAreExpected) {
  scenario::Scenario s = Parse(kAbandon);
  for (const char* what : {"thread +1", "interpreter +1", "fd +2", "tstate +1"}) {
    RunResult r = Result(s, Leak(what), {"ok", "started", "ok", "ok: abandoned"},
                         "ok: threads left running; abandoned tasks left running: t");
    std::string why = ExpectedReason(s, r);
    EXPECT_TRUE(absl::StrContains(why, "cancel t via=abandon")) << what << ": " << why;
    ClassifyExpected(s, &r);
    EXPECT_EQ(std::string(OutcomeClass(r)), "expected");
  }
}

TEST(Expected, AbandonOfAFinishedTaskExplainsNothing) {
  scenario::Scenario s = Parse(kAbandon);
  // The task had ended before the cancel: whatever leaked, CPython did it.
  RunResult r = Result(s, Leak("thread +1"), {"ok", "started", "ok", "ok: already done"}, "ok");
  EXPECT_EQ(ExpectedReason(s, r), "");
  // Abandoned while running, but it ended before the drain: nothing was left behind on purpose.
  r = Result(s, Leak("thread +1"), {"ok", "started", "ok", "ok: abandoned"}, "ok");
  EXPECT_EQ(ExpectedReason(s, r), "");
}

TEST(Expected, ARealLeakIsStillAFinding) {
  // File objects are closed by the interpreter's teardown: an fd left after them is CPython's.
  scenario::Scenario s = Parse("strategy dedicated\nspawn a\nexec a files n=2\ndestroy a\n");
  RunResult r = Result(s, Leak("fd +2"), {}, "ok");
  ClassifyExpected(s, &r);
  EXPECT_EQ(r.expected_reason, "");
  EXPECT_EQ(std::string(OutcomeClass(r)), "finding");
  // A memory slope is never an abandon's doing.
  scenario::Scenario a = Parse(kAbandon);
  RunResult m = Result(a, Leak("memory +90000/cycle"), {"ok", "started", "ok", "ok: abandoned"},
                       "ok: threads left running; abandoned tasks left running: t");
  EXPECT_EQ(ExpectedReason(a, m), "");
}

// Raw fds a code snippet opened are the scenario's own; the same leak after
// code that only opens file objects is a finding.
TEST(Expected, RawFdsOfACodeSnippetAreExpected) {
  scenario::Scenario s = Parse("spawn a\nexec a code \"import os\\nr, w = os.pipe()\"\n");
  std::string why = ExpectedReason(s, Result(s, Leak("fd +2"), {}, "ok"));
  EXPECT_TRUE(absl::StrContains(why, "raw file descriptors (os.pipe(...)")) << why;
  EXPECT_EQ(ExpectedReason(s, Result(s, Leak("thread +1"), {}, "ok")), "");
  scenario::Scenario files = Parse("spawn a\nexec a code \"import os\\nf = open(os.devnull)\"\n");
  EXPECT_EQ(ExpectedReason(files, Result(files, Leak("fd +1"), {}, "ok")), "");
}

TEST(Expected, WaitOnATaskThatNeverEndsIsExpected) {
  for (const char* snippet : {"lock_wait ms=0", "busy ms=0", "busy_poll ms=0"}) {
    scenario::Scenario s = Parse(std::string("strategy dedicated\nspawn a\nexec a ") + snippet + " as t\nwait t\n");
    RunResult r = Result(s, Hang("wait"), {"ok", "started", "hang"}, "", 2, "wait");
    std::string why = ExpectedReason(s, r);
    EXPECT_TRUE(absl::StrContains(why, "never ends")) << snippet << ": " << why;
    EXPECT_TRUE(absl::StrContains(why, snippet)) << why;
  }
}

TEST(Expected, AWaitThatCouldHaveEndedIsAFinding) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"spawn a\nexec a busy ms=0 as t\ncancel t via=async_exc\nwait t\n", "async_exc stops busy"},
      {"spawn a\nexec a busy_poll ms=0 as t\ncancel t via=flag\nwait t\n", "the flag stops busy_poll"},
      {"spawn a\nexec a busy ms=100 as t\nwait t\n", "a finite busy"},
      {"spawn a\nexec a noop as t\nwait t\n", "a noop"},
      {"spawn a\nexec a lock_wait ms=0 as t\nwait t timeout_ms=100\n", "the wait times out first"},
  };
  for (const Case& c : cases) {
    scenario::Scenario s = Parse(c.text);
    int wait = static_cast<int>(s.steps.size()) - 1;
    RunResult r = Result(s, Hang("wait"), {}, "", wait, "wait");
    EXPECT_EQ(ExpectedReason(s, r), "") << c.why;
  }
  // async_exc cannot stop a thread blocked in lock.acquire(): still expected.
  scenario::Scenario s = Parse("spawn a\nexec a lock_wait ms=0 as t\ncancel t via=async_exc\nwait t\n");
  EXPECT_NE(ExpectedReason(s, Result(s, Hang("wait"), {}, "", 3, "wait")), "");
}

TEST(Expected, WaitQueuedBehindAnEndlessTaskOnTheOnlyWorker) {
  scenario::Scenario s =
      Parse("strategy cache workers=1\nspawn a\nexec a busy_poll ms=0 as t1\nexec a noop as t2\nwait t2\n");
  RunResult r = Result(s, Hang("wait"), {}, "", 3, "wait");
  std::string why = ExpectedReason(s, r);
  EXPECT_TRUE(absl::StrContains(why, "queued behind")) << why;
  EXPECT_TRUE(absl::StrContains(why, "only worker")) << why;
  // With two workers the second one runs t2: a hang there is CPython's.
  scenario::Scenario two =
      Parse("strategy cache workers=2\nspawn a\nexec a busy_poll ms=0 as t1\nexec a noop as t2\nwait t2\n");
  EXPECT_EQ(ExpectedReason(two, Result(two, Hang("wait"), {}, "", 3, "wait")), "");
  // Dedicated threads do not queue.
  scenario::Scenario ded =
      Parse("strategy dedicated\nspawn a\nexec a busy_poll ms=0 as t1\nexec a noop as t2\nwait t2\n");
  EXPECT_EQ(ExpectedReason(ded, Result(ded, Hang("wait"), {}, "", 3, "wait")), "");
}

TEST(Expected, DestroyAndDrainOfAnEndlessTaskAreExpected) {
  scenario::Scenario s = Parse("strategy dedicated\nspawn a\nexec a lock_wait ms=0 as t\ndestroy a\n");
  std::string why = ExpectedReason(s, Result(s, Hang("destroy"), {}, "", 2, "destroy"));
  EXPECT_TRUE(absl::StrContains(why, "`destroy a` waits for `exec a lock_wait ms=0 as t`")) << why;
  // Another interpreter's endless task does not explain a destroy hang.
  scenario::Scenario other =
      Parse("strategy dedicated\nspawn a\nspawn b\nexec b lock_wait ms=0 as t\ndestroy a\n");
  EXPECT_EQ(ExpectedReason(other, Result(other, Hang("destroy"), {}, "", 3, "destroy")), "");
  // The drain joins every task that was not abandoned.
  scenario::Scenario drain = Parse("strategy dedicated\nspawn a\nexec a busy ms=0 as t\n");
  why = ExpectedReason(drain, Result(drain, Hang("drain"), {}, "", -1, "drain"));
  EXPECT_TRUE(absl::StrContains(why, "drain")) << why;
  scenario::Scenario abandoned = Parse("strategy dedicated\nspawn a\nexec a busy ms=0 as t\ncancel t via=abandon\n");
  EXPECT_EQ(ExpectedReason(abandoned, Result(abandoned, Hang("drain"), {}, "", -1, "drain")), "");
}

// `exit` joins a Python strategy's threads (threading's shutdown), not the
// C++ strategies': a hang there behind an endless task is the scenario's.
TEST(Expected, AnExitJoinsOnlyAPythonStrategysEndlessTask) {
  scenario::Scenario py =
      Parse("driver interpreters\nstrategy threadpool\nspawn a\nexec a busy ms=0 as t\ncancel t via=abandon\nexit\n");
  std::string why = ExpectedReason(py, Result(py, Hang("exit"), {}, "", 3, "exit"));
  EXPECT_TRUE(absl::StrContains(why, "`exit` joins the strategy's threads")) << why;
  scenario::Scenario cpp = Parse("strategy dedicated\nspawn a\nexec a busy ms=0 as t\nexit\n");
  EXPECT_EQ(ExpectedReason(cpp, Result(cpp, Hang("exit"), {}, "", 2, "exit")), "");
  scenario::Scenario ends = Parse("driver interpreters\nstrategy threadpool\nspawn a\nexec a busy ms=50 as t\nexit\n");
  EXPECT_EQ(ExpectedReason(ends, Result(ends, Hang("exit"), {}, "", 2, "exit")), "");
}

TEST(Expected, StepsLongerThanTheDeadlineByTheirOwnArguments) {
  scenario::Scenario s = Parse("deadline_ms 1000\nspawn a\nexec a sleep ms=3000\nsleep ms=2000\n");
  EXPECT_NE(ExpectedReason(s, Result(s, Hang("exec"), {}, "", 1, "exec")), "");
  EXPECT_NE(ExpectedReason(s, Result(s, Hang("sleep"), {}, "", 2, "sleep")), "");
  scenario::Scenario w = Parse("deadline_ms 1000\nspawn a\nexec a sleep ms=3000 as t\nwait t\n");
  RunResult r = Result(w, Hang("wait"), {}, "", 2, "wait");
  r.steps[1].start_us = 1000;
  r.steps[2].start_us = 2000;
  EXPECT_NE(ExpectedReason(w, r), "");
  r.steps[2].start_us = 2500000;  // the wait began 2.5 s later: the sleep ends within its deadline
  EXPECT_EQ(ExpectedReason(w, r), "");
}

TEST(Expected, CrashesAndFatalErrorsAreNeverExpected) {
  scenario::Scenario s = Parse(kAbandon);
  RunResult r = Result(s, Verdict::Of(VerdictKind::kCrash, "SIGSEGV"), {"ok", "started", "ok", "ok: abandoned"},
                       "ok: threads left running; abandoned tasks left running: t");
  EXPECT_EQ(ExpectedReason(s, r), "");
}

TEST(Expected, TheClassSurvivesJson) {
  RunResult r;
  r.verdict = Leak("thread +1");
  r.expected_reason = "because";
  absl::StatusOr<RunResult> back = FromJson(ToJson(r));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->expected_reason, "because");
  EXPECT_TRUE(absl::StrContains(ToJson(r), "\"class\":\"expected\"")) << ToJson(r);
}

}  // namespace
}  // namespace endgame::run
