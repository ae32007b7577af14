#include "endgame/run/supervise.h"

#include <signal.h>

#include <string>

#include "absl/strings/str_cat.h"
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

}  // namespace
}  // namespace endgame::run
