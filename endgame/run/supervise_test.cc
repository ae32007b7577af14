#include "endgame/run/supervise.h"

#include <signal.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "endgame/run/crash_stacks.h"
#include "endgame/run/result.h"
#include "gtest/gtest.h"

namespace endgame::run {
namespace {

std::string ReportedHang() {
  RunResult r;
  r.verdict = Verdict::Of(VerdictKind::kHang, "destroy");
  r.guilty_step = "destroy";
  return absl::StrCat(kResultPrefix, ToJson(r), "\n");
}

TEST(ResultFromChild, AReportedHangIsBelieved) {
  RunResult r = ResultFromChild(ReportedHang(), "", /*exited=*/true, /*exit_code=*/3, 0, false);
  EXPECT_EQ(r.verdict.ToString(), "hang destroy");
}

// The watchdog reported a hang, then the step it called stuck ended in a
// fatal error: the process died of it, so the fatal error is the verdict.
TEST(ResultFromChild, AFatalErrorAfterAReportedHangWins) {
  std::string out = absl::StrCat(kStepPrefix, "2 destroy start destroy a\n", ReportedHang());
  RunResult r = ResultFromChild(out, "Fatal Python error: Py_EndInterpreter: not the last thread\n",
                                /*exited=*/false, 0, SIGABRT, false);
  EXPECT_EQ(r.verdict.kind, VerdictKind::kFatal) << r.verdict.ToString();
  EXPECT_NE(r.verdict.detail.find("not the last thread"), std::string::npos);
}

// A death inside the end-of-scenario channel oracle is the drain's, not an
// exec's, though CPython is entered there through PyRun_String (the frames
// are those of 3.13.15 debug's abort in _channel_get_info, abridged).
TEST(ResultFromChild, ADeathInTheQueueOracleIsTheDrains) {
  std::string out = absl::StrCat(kStepPrefix, "-1 drain start (end of scenario)\n");
  std::string err = absl::StrCat(
      "python3: Modules/_interpchannelsmodule.c:2088: _channel_get_info: Assertion `chan->queue->count == 0' "
      "failed.\n",
      kCrashStacksMarker, "\n",
      "Thread 1 (Thread 0x7ff0e7e90780 (LWP 11222) \"endgame\"):\n"
      "#0  0x00007ff0e7af1c17 in __GI___wait4 (pid=11226) at wait4.c:30\n"
      "#1  0x000056540b703179 in endgame::run::(anonymous namespace)::Handler (sig=6) at crash_stacks.cc:47\n"
      "#2  <signal handler called>\n"
      "#3  __pthread_kill_implementation (threadid=<optimized out>) at pthread_kill.c:44\n"
      "#4  0x00007ff0e7a44472 in __GI_abort () at abort.c:79\n"
      "#5  0x00007ff0e66b0d8e in _channel_get_info (cid=0) at Modules/_interpchannelsmodule.c:2088\n"
      "#6  0x00007ff0e66b1c27 in channelsmod_get_info (self=0x7ff0e7711bb0) at Modules/_interpchannelsmodule.c:3371\n"
      "#7  0x00007ff0e82cde25 in PyRun_StringFlags (str=<optimized out>) at Python/pythonrun.c:1169\n"
      "#8  0x000056540b73a79f in endgame::py::GetChannelState (cid=<optimized out>) at endgame/py/queues.cc:109\n"
      "#9  0x000056540b72e18f in endgame::run::JudgeAndDestroyQueues (queues=...) at endgame/run/oracles.cc:141\n"
      "#10 0x000056540b709ae6 in endgame::run::internal::Conductor::Run (this=0x7fff9873dc20) at run_scenario.cc:200\n");
  RunResult r = ResultFromChild(out, err, /*exited=*/false, 0, SIGABRT, false);
  EXPECT_EQ(r.verdict.ToString(), "crash SIGABRT");
  EXPECT_EQ(r.guilty_step, "drain");
  // The same death with the oracle's frames gone reads as an exec's (PyRun_String).
  std::string no_oracle = err.substr(0, err.find("#8 "));
  RunResult e = ResultFromChild(out, no_oracle, /*exited=*/false, 0, SIGABRT, false);
  EXPECT_EQ(e.guilty_step, "exec");
  EXPECT_NE(e.signature, r.signature);
}

// `exit code=3` as the last step: the child announced it and ended.
std::string ExitAnnounced() {
  return absl::StrCat(kStepPrefix, "0 spawn start spawn a\n", kStepPrefix, "0 spawn end ok\n", kStepPrefix,
                      "1 exit start exit code=3\n");
}

TEST(ResultFromChild, AnExitWithTheStepsCodeIsOk) {
  const std::string out = ExitAnnounced();
  RunResult r = ResultFromChild(out, "", /*exited=*/true, 3, 0, false, /*exit_step_code=*/3);
  EXPECT_EQ(r.verdict.ToString(), "ok");
  EXPECT_TRUE(r.signature.empty());
  EXPECT_FALSE(r.poisoned);
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[1].status, "ok");
}

TEST(ResultFromChild, AnExitWithAnotherStatusIsAnErrorOfTheExitStep) {
  const std::string out = ExitAnnounced();
  RunResult r = ResultFromChild(out, "", /*exited=*/true, 120, 0, false, /*exit_step_code=*/3);
  EXPECT_EQ(r.verdict.ToString(), "error exit status 120, not 3");
  EXPECT_EQ(r.guilty_step, "exit");
  EXPECT_EQ(r.guilty_index, 1);
  EXPECT_FALSE(r.signature.empty());
}

TEST(ResultFromChild, ADeathInTheExitStepStaysTheVerdict) {
  const std::string out = ExitAnnounced();
  const std::string err = "python3: Python/pylifecycle.c:2518: finalize_subinterpreters: Assertion failed.\n";
  RunResult r = ResultFromChild(out, err, /*exited=*/false, 0, SIGABRT, false, /*exit_step_code=*/3);
  EXPECT_EQ(r.verdict.ToString(), "crash SIGABRT");
  EXPECT_EQ(r.guilty_step, "exit");
}

// A child that ended before reaching the exit step (status 3 from elsewhere)
// is not judged by it.
TEST(ResultFromChild, AnExitStatusCountsOnlyOnceTheExitStepRuns) {
  const std::string out = absl::StrCat(kStepPrefix, "0 spawn start spawn a\n");
  RunResult r = ResultFromChild(out, "", /*exited=*/true, 3, 0, false, /*exit_step_code=*/3);
  EXPECT_EQ(r.verdict.kind, VerdictKind::kCrash) << r.verdict.ToString();
}

}  // namespace
}  // namespace endgame::run
