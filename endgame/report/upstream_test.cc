// report.md is a bug report in CPython's form, under 100 lines, over the
// stored NUL-message crash (tests/data/causes/nul_1.json: real 3.13.15 stacks).
#include "endgame/report/upstream.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "endgame/report/atomic_file.h"
#include "endgame/report/cause.h"
#include "endgame/scenario/text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace endgame::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ReportInputs NulInputs() {
  const std::string dir = absl::StrCat(ENDGAME_SOURCE_DIR, "/tests/data/causes/");
  absl::StatusOr<std::string> json = ReadFile(dir + "nul_1.json");
  EXPECT_TRUE(json.ok());
  absl::StatusOr<run::RunResult> r = run::FromJson(json.ok() ? *json : "{}");
  EXPECT_TRUE(r.ok());
  const std::string scn_file = absl::StrCat(ENDGAME_SOURCE_DIR, "/corpus/known/ef065c40acc6-exception-message-with-nul.scn");
  absl::StatusOr<std::string> scn = ReadFile(scn_file);
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(scn.ok() ? *scn : "", scn_file);
  EXPECT_TRUE(s.ok());
  RootCause c = CauseOf(*r, s.ok() ? &*s : nullptr);
  ReportInputs in;
  in.meta.signature = r->signature;
  in.meta.verdict = r->verdict.ToString();
  in.meta.verdict_kind = "crash";
  in.meta.detail = r->verdict.detail;
  in.meta.step = r->guilty_step;
  in.meta.python = r->python;
  in.meta.count = 3;
  in.meta.reproduced = 3;
  in.meta.runs = 3;
  in.meta.strategies = {"dedicated", "cache"};
  in.meta.cause = c.key;
  in.meta.cause_frames = c.frames;
  in.scenario_text = "driver interpreters\nspawn a\nexec a code \"raise AttributeError('a\\\\x00b')\"\n";
  in.repro_py = "import _interpreters as xi\ni = xi.create(xi.new_config('isolated'))\n"
                "xi.exec(i, \"raise AttributeError('a\\\\x00b')\")\n";
  in.matrix_md = "Finding ef065c40acc6: crash SIGSEGV\n\n| CPython | build | reproducer | reproduced | outcomes |\n"
                 "|---|---|---|---|---|\n| 3.13.15 | release | repro.py | 3/3 | 3x crash SIGSEGV |\n"
                 "| 3.13.0 | release | repro.py | 0/3 (not affected or fixed) | 3x ok |\n";
  in.stacks = r->stacks;  // 15 kB of every thread, native and Python
  in.os = "Linux 6.1.0 x86_64, Debian GNU/Linux 12 (bookworm)";
  in.resembles = {"gh-126654 (`_interpreters.exec` with invalid parameters segfaults in _PyXI_ApplyError)"};
  return in;
}

std::vector<std::string> LinesOf(const std::string& s) { return absl::StrSplit(s, '\n'); }

TEST(UpstreamReport, IsABugReportInCPythonsFormUnder100Lines) {
  ReportInputs in = NulInputs();
  const std::string md = UpstreamReport(in);
  std::vector<std::string> lines = LinesOf(md);
  EXPECT_LT(lines.size(), 100u) << md;
  EXPECT_EQ(lines[0], "# SIGSEGV in _PyXI_ApplyError() during a subinterpreter exec");
  EXPECT_EQ(lines[1], "");
  // The sections, in the form's order.
  size_t at = 0;
  for (const char* h : {"## What happens", "## Reproducer", "## Expected behavior", "## CPython versions tested on",
                        "## The crashing thread", "## Operating systems tested on", "## Similar upstream issues"}) {
    size_t next = md.find(h, at);
    ASSERT_NE(next, std::string::npos) << h << "\n" << md;
    at = next;
  }
  EXPECT_THAT(md, HasSubstr("```python\nimport _interpreters as xi\n"));  // the reproducer inline
  EXPECT_THAT(md, HasSubstr("| 3.13.15 | release | repro.py | 3/3 |"));   // the versions table
  EXPECT_THAT(md, Not(HasSubstr("Finding ef065c40acc6: crash SIGSEGV")));  // ...without the matrix's heading
  EXPECT_THAT(md, HasSubstr("reproduced 3/3 times in fresh processes"));
  // The crashing thread, trimmed to CPython's frames: none of the harness's,
  // none of the other threads'.
  EXPECT_THAT(md, HasSubstr("#3  _PyXI_ApplyError (Python/crossinterp.c)\n"));
  EXPECT_THAT(md, HasSubstr("_run_in_interpreter (Modules/_interpretersmodule.c)"));
  EXPECT_THAT(md, Not(HasSubstr("crash_stacks.cc")));
  EXPECT_THAT(md, Not(HasSubstr("futex")));
  EXPECT_THAT(md, HasSubstr("- gh-126654"));
}

// A SIGABRT finding in `step`, whose first CPython frame is `frame`.
FindingMeta AbortIn(const std::string& step, const std::string& frame) {
  FindingMeta m;
  m.verdict_kind = "crash";
  m.detail = "SIGABRT";
  m.step = step;
  m.cause_frames = {frame};
  return m;
}

// A crash in the drain (the end-of-scenario checks, e.g. a channel's
// get_info) is not titled as a subinterpreter operation.
TEST(UpstreamReport, ACrashInTheDrainIsTitledAtTheEndOfTheScenario) {
  FindingMeta m = AbortIn("drain", "_channel_get_info (Modules/_interpchannelsmodule.c)");
  EXPECT_EQ(ReportTitle(m), "SIGABRT in _channel_get_info() at the end of the scenario");
  m.step = "exec";
  EXPECT_EQ(ReportTitle(m), "SIGABRT in _channel_get_info() during a subinterpreter exec");
}

// `exit` is the process's end, not a subinterpreter operation.
TEST(UpstreamReport, ADeathInExitIsTitledAtProcessExit) {
  FindingMeta m = AbortIn("exit", "finalize_subinterpreters (Python/pylifecycle.c)");
  EXPECT_EQ(ReportTitle(m), "SIGABRT in finalize_subinterpreters() at process exit");
  m.verdict_kind = "hang";
  EXPECT_EQ(ReportTitle(m), "Process exit hangs in finalize_subinterpreters()");
}

TEST(UpstreamReport, ALongReproducerIsNamedAndTheScenarioShown) {
  ReportInputs in = NulInputs();
  std::string long_repro;
  for (int i = 0; i < 300; ++i) absl::StrAppend(&long_repro, "x = ", i, "\n");
  in.repro_py = long_repro;
  const std::string md = UpstreamReport(in);
  EXPECT_LT(LinesOf(md).size(), 100u) << md;
  EXPECT_THAT(md, HasSubstr("`repro.py` (300 lines, next to this file)"));
  EXPECT_THAT(md, HasSubstr("spawn a\n"));
  EXPECT_THAT(md, Not(HasSubstr("x = 299")));
}

TEST(UpstreamReport, ACapiFindingInlinesRepro_c) {
  ReportInputs in = NulInputs();
  in.capi = true;
  in.repro_c = "#include <Python.h>\nint main(void) { Py_Initialize(); return Py_FinalizeEx(); }\n";
  const std::string md = UpstreamReport(in);
  EXPECT_THAT(md, HasSubstr("```c\n#include <Python.h>\n"));
  EXPECT_THAT(md, Not(HasSubstr("```python")));
}

}  // namespace
}  // namespace endgame::report

namespace endgame::report {
namespace {

TEST(Known, FixedInLineAndVersionOrder) {
  EXPECT_EQ(KnownFixedIn("# Known: x\n# fixed-in: 3.14 (gh-128640)\nspawn a\n"), "3.14");
  EXPECT_EQ(KnownFixedIn("# fixed in 3.14, said in prose\nspawn a\n"), "");
  EXPECT_TRUE(VersionAtLeast("3.14.10 release", "3.14"));
  EXPECT_TRUE(VersionAtLeast("3.15.2", "3.14"));
  EXPECT_FALSE(VersionAtLeast("3.13.15", "3.14"));
  EXPECT_FALSE(VersionAtLeast("3.9.1", "3.14"));
  EXPECT_TRUE(VersionAtLeast("4.0", "3.14"));
  EXPECT_FALSE(VersionAtLeast("3.14.10", ""));
}

}  // namespace
}  // namespace endgame::report
