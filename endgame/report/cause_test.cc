// Root causes over stored results (tests/data/causes/): real stacks of real
// crashes, so the grouping is tested without depending on a crash being
// reproducible here. The own-GIL/main-obmalloc results were recorded on
// 3.13.15 release from owngil_capi.scn and owngil_interpreters.scn (two
// interpreters with their own GIL on the main obmalloc, allocating at once):
// every run died somewhere else, each with its own raw signature.
#include "endgame/report/cause.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "endgame/report/atomic_file.h"
#include "endgame/scenario/text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace endgame::report {
namespace {

using ::testing::HasSubstr;

std::string Data(const std::string& name) { return absl::StrCat(ENDGAME_SOURCE_DIR, "/tests/data/causes/", name); }

run::RunResult LoadResult(const std::string& name) {
  absl::StatusOr<std::string> text = ReadFile(Data(name));
  EXPECT_TRUE(text.ok()) << name;
  absl::StatusOr<run::RunResult> r = run::FromJson(text.ok() ? *text : "{}");
  EXPECT_TRUE(r.ok()) << name << ": " << r.status();
  return r.ok() ? *r : run::RunResult{};
}

scenario::Scenario LoadScenario(const std::string& file) {
  absl::StatusOr<std::string> text = ReadFile(file);
  EXPECT_TRUE(text.ok()) << file;
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text.ok() ? *text : "", file);
  EXPECT_TRUE(s.ok()) << file << ": " << s.status();
  return s.ok() ? *s : scenario::Scenario{};
}

TEST(Cause, FourOwnGilMainObmallocCrashesAreOneLimitation) {
  const scenario::Scenario capi = LoadScenario(Data("owngil_capi.scn"));
  const scenario::Scenario interp = LoadScenario(Data("owngil_interpreters.scn"));
  std::set<std::string> signatures, causes, innermost;
  for (const auto& [file, s] : {std::pair<std::string, const scenario::Scenario*>{"owngil_capi_1.json", &capi},
                                {"owngil_capi_2.json", &capi},
                                {"owngil_interpreters_1.json", &interp},
                                {"owngil_interpreters_2.json", &interp}}) {
    run::RunResult r = LoadResult(file);
    EXPECT_EQ(r.verdict.ToString(), "crash SIGSEGV") << file;
    signatures.insert(r.signature);
    RootCause c = CauseOf(r, s);
    causes.insert(c.key);
    ASSERT_FALSE(c.frames.empty()) << file;  // the stacks are there, and differ
    innermost.insert(CauseOf(r, nullptr).key);  // what the frames alone would say
    EXPECT_THAT(c.features, ::testing::ElementsAre("spawn gil=own obmalloc=main"));
    EXPECT_THAT(c.limitation, HasSubstr("Doc/c-api/init.rst"));
    EXPECT_EQ(FindingClass(c, r.expected_reason, false, ""), "limitation");
    EXPECT_THAT(c.title, HasSubstr("own GIL with the main obmalloc"));
  }
  EXPECT_EQ(signatures.size(), 4u);  // four raw signatures...
  EXPECT_GE(innermost.size(), 3u);   // ...dying in (at least three) different places...
  EXPECT_EQ(causes.size(), 1u);      // ...one cause.
}

TEST(Cause, WithoutTheUnsupportedConfigTheFramesDecide) {
  // The same stored crash read without its scenario: frames, not a config.
  run::RunResult a = LoadResult("owngil_capi_1.json");
  run::RunResult b = LoadResult("owngil_capi_2.json");
  RootCause ca = CauseOf(a, nullptr), cb = CauseOf(b, nullptr);
  EXPECT_TRUE(ca.limitation.empty());
  EXPECT_NE(ca.key, cb.key);
  EXPECT_EQ(FindingClass(ca, "", false, ""), "new");
}

TEST(Cause, NulMessageCrashIsCrossinterpFrames) {
  const scenario::Scenario s =
      LoadScenario(absl::StrCat(ENDGAME_SOURCE_DIR, "/corpus/known/ef065c40acc6-exception-message-with-nul.scn"));
  run::RunResult r = LoadResult("nul_1.json");
  RootCause c = CauseOf(r, &s);
  ASSERT_GE(c.frames.size(), 2u);
  EXPECT_EQ(c.frames[0], "_PyXI_ApplyError (Python/crossinterp.c)");
  EXPECT_EQ(c.frames[1], "_PyXI_ApplyCapturedException (Python/crossinterp.c)");
  EXPECT_EQ(c.title, "crash SIGSEGV in _PyXI_ApplyError (Python/crossinterp.c)");
  EXPECT_TRUE(c.limitation.empty());
  EXPECT_NE(c.key, CauseOf(LoadResult("owngil_capi_1.json"), nullptr).key);
  // The same death with the process's own frames at other addresses and
  // lines (another build of endgame): the same cause, not a new one.
  run::RunResult moved = r;
  for (size_t at = moved.stacks.find("crossinterp.c:1066"); at != std::string::npos;
       at = moved.stacks.find("crossinterp.c:1066", at)) {
    moved.stacks.replace(at, 18, "crossinterp.c:1070");
  }
  EXPECT_EQ(CauseOf(moved, &s).key, c.key);
  EXPECT_EQ(FindingClass(c, "", true, "https://github.com/python/cpython/issues/12345"), "known gh-12345");
}

TEST(Cause, AFatalErrorIsItsMessageWhateverTheStacks) {
  run::RunResult r = LoadResult("last_thread_1.json");
  ASSERT_EQ(r.verdict.kind, run::VerdictKind::kFatal);
  RootCause c = CauseOf(r, nullptr);
  EXPECT_EQ(c.title, "Fatal Python error: Py_EndInterpreter: not the last thread");
  run::RunResult bare = r;
  bare.stacks.clear();
  EXPECT_EQ(CauseOf(bare, nullptr).key, c.key);
  EXPECT_FALSE(c.frames.empty());  // kept for the report, not for the key
}

TEST(Cause, AFailedAssertionIsItsFunctionAndText) {
  const std::string line =
      "python3.13: Python/crossinterp.c:1692: _PyXI_ApplyCapturedException: Assertion `session->error != NULL' "
      "failed.\n";
  EXPECT_EQ(FailedAssertion(absl::StrCat("noise\n", line)),
            "crossinterp.c: _PyXI_ApplyCapturedException: Assertion `session->error != NULL' failed");
  run::RunResult a;
  a.verdict = run::Verdict::Of(run::VerdictKind::kCrash, "SIGABRT");
  a.stacks = line;
  run::RunResult b = a;
  b.stacks = "endgame: /build/Python/crossinterp.c:1701: _PyXI_ApplyCapturedException: Assertion "
             "`session->error != NULL' failed.\n";
  EXPECT_EQ(CauseOf(a, nullptr).key, CauseOf(b, nullptr).key);
  EXPECT_EQ(FailedAssertion("no assertion here\n"), "");
}

// A fork in a legacy interpreter: the release child's fatal error and the
// debug child's assertion (what tests/surface/fork_legacy_*.scn measured)
// are one cause; the same message from the parent itself is not it.
TEST(Cause, AForkChildDyingAfterForkInASubinterpreterIsOneCause) {
  const scenario::Scenario s = *scenario::ParseScenario("spawn a legacy\nexec a fork\n", "x.scn");
  run::RunResult release;
  release.verdict = run::Verdict::Of(run::VerdictKind::kFatal,
                                     "fork child: _PyInterpreterState_DeleteExceptMain: not main interpreter");
  release.stacks = "fork child's stderr (exec step 1):\nFatal Python error: _PyInterpreterState_DeleteExceptMain: "
                   "not main interpreter\nPython runtime state: initialized\n";
  run::RunResult debug;
  debug.verdict = run::Verdict::Of(run::VerdictKind::kCrash, "fork child: SIGABRT");
  debug.stacks = "fork child's stderr (exec step 1):\npython3.14d: ../Python/ceval_gil.c:621: _PyEval_ReInitThreads: "
                 "Assertion `tstate->interp == _PyInterpreterState_Main()' failed.\n";
  const RootCause a = CauseOf(release, &s), b = CauseOf(debug, &s);
  EXPECT_EQ(a.key, b.key);
  EXPECT_THAT(a.title, HasSubstr("PyOS_AfterFork_Child"));
  EXPECT_THAT(a.title, HasSubstr("gh-101437"));
  EXPECT_EQ(a.upstream, "");  // no issue has this case yet: a candidate to file
  EXPECT_EQ(FindingClass(a, "", false, ""), "new");
  run::RunResult parent = release;
  parent.verdict.detail = "_PyInterpreterState_DeleteExceptMain: not main interpreter";
  EXPECT_NE(CauseOf(parent, &s).key, a.key);
  run::RunResult other = debug;  // another death in a fork child keeps its own cause
  other.verdict.detail = "fork child: SIGSEGV";
  other.stacks.clear();
  EXPECT_NE(CauseOf(other, &s).key, a.key);
}

// The main interpreter's fork with a subinterpreter spawned before it: the
// child dies in PyOS_AfterFork_Child on every CPython measured, 3.13.15
// release on a fatal error, the others on SIGSEGV (tests/surface/fork_main_*.scn):
// one cause, gh-139759. The same deaths with no spawn before the fork, or of
// a fork snippet, are not it.
TEST(Cause, AMainForkChildDyingWithASubinterpreterAliveIsGh139759) {
  const scenario::Scenario s = *scenario::ParseScenario("spawn a\nexec a noop\nfork\nfork\n", "x.scn");
  run::RunResult fatal;
  fatal.verdict = run::Verdict::Of(run::VerdictKind::kFatal,
                                   "fork child: PyThreadState_Get: the function must be called with the GIL held, "
                                   "after Python initialization and before Python finalization, but the GIL is "
                                   "released (the current Python thread state is NULL)");
  fatal.guilty_step = "fork";
  fatal.guilty_index = 2;
  fatal.stacks = "fork child's stderr (fork step 2):\nFatal Python error: PyThreadState_Get: the function must be "
                 "called with the GIL held\n";
  run::RunResult segv;
  segv.verdict = run::Verdict::Of(run::VerdictKind::kCrash, "fork child: SIGSEGV");
  segv.guilty_step = "fork";
  segv.guilty_index = 3;
  const RootCause a = CauseOf(fatal, &s), b = CauseOf(segv, &s);
  EXPECT_EQ(a.key, b.key);
  EXPECT_THAT(a.title, HasSubstr("gh-139759"));
  EXPECT_EQ(a.upstream, "https://github.com/python/cpython/issues/139759");
  EXPECT_EQ(FindingClass(a, "", false, ""), "known gh-139759");
  const scenario::Scenario none = *scenario::ParseScenario("fork\nspawn a\n", "y.scn");
  run::RunResult first = segv;
  first.guilty_index = 0;
  EXPECT_NE(CauseOf(first, &none).key, a.key);
  run::RunResult snippet = segv;  // a fork snippet's child
  snippet.guilty_step = "exec";
  EXPECT_NE(CauseOf(snippet, &s).key, a.key);
}

TEST(Cause, ALeakIsItsResourceNotItsCount) {
  run::RunResult a;
  a.verdict = run::Verdict::Of(run::VerdictKind::kLeak, "thread +1");
  a.guilty_step = "drain";
  run::RunResult b = a;
  b.verdict.detail = "thread +3";
  run::RunResult c = a;
  c.verdict.detail = "fd +1";
  EXPECT_EQ(CauseOf(a, nullptr).key, CauseOf(b, nullptr).key);
  EXPECT_NE(CauseOf(a, nullptr).key, CauseOf(c, nullptr).key);
  EXPECT_EQ(FindingClass(CauseOf(a, nullptr), "an abandoned task's thread", false, ""), "expected");
}

// tests/versions/legacy_daemon_destroy_314.scn: from 3.14 the daemon thread
// the scenario starts outlives its destroyed interpreter, parked (leak thread
// +1, measured on 3.14.10 and 3.15.2): documented behaviour, one limitation.
// The same leak without a daemon thread, or on 3.13, is not explained by it.
TEST(Cause, ADaemonThreadOutlivingItsInterpreterIsALimitationFrom314) {
  scenario::Scenario s =
      LoadScenario(absl::StrCat(ENDGAME_SOURCE_DIR, "/tests/versions/legacy_daemon_destroy_314.scn"));
  run::RunResult r;
  r.verdict = run::Verdict::Of(run::VerdictKind::kLeak, "thread +1");
  r.guilty_step = "drain";
  r.python = "3.15.2 debug";
  RootCause c = CauseOf(r, &s);
  EXPECT_EQ(FindingClass(c, "", false, ""), "limitation");
  EXPECT_THAT(c.limitation, HasSubstr("permanently blocked"));
  r.python = "3.14.10 release";
  EXPECT_EQ(CauseOf(r, &s).key, c.key);
  r.python = "3.13.15 release";
  EXPECT_EQ(FindingClass(CauseOf(r, &s), "", false, ""), "new");
  r.python = "3.14.10 release";
  absl::StatusOr<scenario::Scenario> plain = scenario::ParseScenario("spawn a\nexec a thread ms=3000\n", "t.scn");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(FindingClass(CauseOf(r, &*plain), "", false, ""), "new");
}

TEST(Cause, OwnGilWithMainObmallocReadsTheConfigDefaults) {
  auto has = [](const std::string& spawn) {
    absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(spawn + "\n", "t.scn");
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() && OwnGilWithMainObmalloc(*s);
  };
  EXPECT_TRUE(has("spawn a obmalloc=main"));         // isolated: own GIL by default
  EXPECT_TRUE(has("spawn a legacy gil=own"));        // legacy: main obmalloc by default
  EXPECT_FALSE(has("spawn a"));
  EXPECT_FALSE(has("spawn a legacy"));
  EXPECT_FALSE(has("spawn a obmalloc=main gil=shared"));
}

TEST(Cause, GhNumbers) {
  EXPECT_EQ(GhNumber("gh-128639"), "gh-128639");
  EXPECT_EQ(GhNumber("https://github.com/python/cpython/issues/128639"), "gh-128639");
  EXPECT_EQ(GhNumber("#42"), "gh-42");
  EXPECT_EQ(GhNumber("not filed"), "");
  EXPECT_EQ(FindingClass(RootCause{}, "", true, ""), "known");
}

}  // namespace
}  // namespace endgame::report

namespace endgame::report {
namespace {

// tests/data/causes/parked_314.scn on 3.14.10 (capi, cache workers=2: an exec
// sleeping in its interpreter while the conductor destroys it), two outcomes
// of one race (3 of 6 runs each in one series, 11 parked to 1 crash in the
// next): the exec's thread parked by CPython in PyThread_hang_thread (the
// conductor reports a thread leak, not a hang), or a SIGSEGV in
// _PyThreadState_Attach. Py_EndInterpreter destroyed the thread state the
// exec still used, so both are one cause: the strategy's misuse of the C API,
// a documented limitation, whatever the frames. Without the conductor's note
// (a destroy that found no running exec) they are two causes again.
TEST(Cause, ADestroyUnderARunningExecIsOneLimitationWhateverItHits) {
  const scenario::Scenario s = LoadScenario(Data("parked_314.scn"));
  run::RunResult parked = LoadResult("parked_314_1.json");
  run::RunResult crash = LoadResult("parked_314_crash.json");
  ASSERT_EQ(parked.verdict.ToString(), "leak thread +1");
  ASSERT_EQ(crash.verdict.ToString(), "crash SIGSEGV");
  ASSERT_FALSE(parked.notes.empty());
  ASSERT_FALSE(crash.notes.empty());
  RootCause c = CauseOf(parked, &s), d = CauseOf(crash, &s);
  EXPECT_EQ(c.key, d.key);
  EXPECT_THAT(c.limitation, HasSubstr("All thread states associated with this interpreter are destroyed"));
  EXPECT_EQ(FindingClass(d, crash.expected_reason, false, ""), "limitation");

  parked.notes.clear();
  crash.notes.clear();
  RootCause e = CauseOf(parked, &s), f = CauseOf(crash, &s);
  EXPECT_NE(e.key, f.key);
  EXPECT_THAT(e.limitation, HasSubstr("permanently blocked"));  // the parked thread alone: documented too
  ASSERT_FALSE(e.frames.empty());
  EXPECT_THAT(e.frames.front(), HasSubstr("PyThread_hang_thread"));
  EXPECT_TRUE(f.limitation.empty());
  EXPECT_EQ(FindingClass(f, crash.expected_reason, false, ""), "new");
}

// tests/data/causes/capi_destroy_before_exec_starts_314.scn: the 10-minute
// campaign of 2026-12-03 (seed 1205) filed `exec a sleep delay_us=1578 as t1`
// then `destroy a` as a new bug (SIGSEGV in allocate_from_new_pool, 3/5 on
// replay). The worker had taken the job but was still in its delay, so the
// task had not started when Py_EndInterpreter ran, and it then entered the
// freed interpreter: the same misuse as a destroy under a running exec. The
// conductor now notes tasks still to start too (recorded on 3.14.10 with that
// note: `endgame run FILE --json`, a crash in the first run).
TEST(Cause, ADestroyBeforeAnExecStartsIsTheSameLimitation) {
  const scenario::Scenario s = LoadScenario(Data("capi_destroy_before_exec_starts_314.scn"));
  const run::RunResult crash = LoadResult("capi_destroy_before_exec_starts_314_crash.json");
  ASSERT_EQ(crash.verdict.ToString(), "crash SIGSEGV");
  ASSERT_FALSE(crash.notes.empty());
  EXPECT_THAT(crash.notes[0], HasSubstr("still to start"));
  const scenario::Scenario parked_s = LoadScenario(Data("parked_314.scn"));
  RootCause c = CauseOf(crash, &s);
  EXPECT_EQ(c.key, CauseOf(LoadResult("parked_314_crash.json"), &parked_s).key);
  EXPECT_EQ(FindingClass(c, crash.expected_reason, false, ""), "limitation");
}

// tests/data/causes/two_destroys_314.scn on 3.14.10 (found by
// `scripts/fuzz.sh lifecycle --cpython 3.14`): a worker closes the
// interpreter while the conductor destroys it. Six runs gave four
// `leak thread +1` (the conductor, the second caller, parked for good in
// take_gil under _PyXI_EndInterpreter), one `crash SIGSEGV` (the worker's
// Py_EndInterpreter on the finalized interpreter) and one ok. One race, so
// one cause, and a CPython bug rather than the documented parking of an
// exec's thread: the parked thread is the one calling destroy.
TEST(Cause, TwoDestroysOfOneInterpreterAreOneNewCauseWhateverTheyHit) {
  const scenario::Scenario s = LoadScenario(Data("two_destroys_314.scn"));
  EXPECT_TRUE(DestroysOneInterpreterTwiceAtOnce(s));
  const run::RunResult parked = LoadResult("two_destroys_314_parked.json");
  const run::RunResult crash = LoadResult("two_destroys_314_crash.json");
  ASSERT_EQ(parked.verdict.ToString(), "leak thread +1");
  ASSERT_EQ(crash.verdict.ToString(), "crash SIGSEGV");
  ASSERT_NE(parked.signature, crash.signature);
  RootCause c = CauseOf(parked, &s), d = CauseOf(crash, &s);
  EXPECT_EQ(c.key, d.key);
  EXPECT_TRUE(c.limitation.empty()) << c.limitation;
  EXPECT_EQ(FindingClass(c, parked.expected_reason, false, ""), "new");
  EXPECT_THAT(d.title, HasSubstr("two destroys of one interpreter at once"));

  // Without the second destroy the parked caller is the documented parking again.
  const scenario::Scenario one = LoadScenario(Data("parked_314.scn"));
  EXPECT_FALSE(DestroysOneInterpreterTwiceAtOnce(one));
  EXPECT_NE(CauseOf(parked, &one).key, c.key);
}

TEST(Cause, TwoDestroysNeedTheFirstStillInFlight) {
  auto parse = [](const std::string& text) {
    absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text, "inline.scn");
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : scenario::Scenario{};
  };
  EXPECT_TRUE(DestroysOneInterpreterTwiceAtOnce(parse("spawn a\ndestroy a as t1\ndestroy a\n")));
  EXPECT_FALSE(DestroysOneInterpreterTwiceAtOnce(parse("spawn a\ndestroy a as t1\nwait t1\nspawn a\ndestroy a\n")));
  EXPECT_FALSE(DestroysOneInterpreterTwiceAtOnce(parse("spawn a\nspawn b\ndestroy a as t1\ndestroy b\n")));
  EXPECT_FALSE(DestroysOneInterpreterTwiceAtOnce(parse("spawn a\ndestroy a\nspawn a\ndestroy a as t1\n")));
  EXPECT_TRUE(ExecsDuringItsDestroy(parse("spawn a\ndestroy a as t1\nexec a noop\n")));
  EXPECT_FALSE(ExecsDuringItsDestroy(parse("spawn a\ndestroy a as t1\nwait t1\nspawn a\nexec a noop\n")));
  // A nested exec enters its target: the destroyed interpreter is b.
  EXPECT_TRUE(ExecsDuringItsDestroy(parse("spawn a\nspawn b\ndestroy b as t1\nexec a nested target=b\n")));
  EXPECT_FALSE(ExecsDuringItsDestroy(parse("spawn a\nspawn b\ndestroy b as t1\nexec a nested target=a\n")));
  EXPECT_TRUE(EntersDuringItsDestroy(parse("spawn a\ndestroy a as t1\nshare a name=x\n")));
  EXPECT_FALSE(ExecsDuringItsDestroy(parse("spawn a\ndestroy a as t1\nshare a name=x\n")));
  EXPECT_FALSE(DestroysOneInterpreterTwiceAtOnce(parse("spawn a\ndestroy a as t1\nexec a noop\n")));
}

// tests/data/causes/exec_during_destroy_314.scn, from a 3-minute campaign on
// 3.14.10 (`scripts/endgame --cpython 3.14 stress --minutes 3 --strategies
// all --seed 12`): `destroy b as t2`, then `exec b ...` before `wait t2`; the
// worker died of SIGSEGV in obmalloc under interp_exec -> _run_in_interpreter
// -> _PyXI_GetMainNamespace ("__main__ module not found": the interpreter was
// being finalized). That is gh-127041, an interpreter starting to run during
// _interpreters.destroy, whose own reproducer crashes 3.14.10 and 3.15.2 here.
TEST(Cause, AnExecRacingADestroyOfItsInterpreterIsGh127041) {
  const scenario::Scenario s = LoadScenario(Data("exec_during_destroy_314.scn"));
  EXPECT_TRUE(ExecsDuringItsDestroy(s));
  const run::RunResult crash = LoadResult("exec_during_destroy_314_crash.json");
  ASSERT_EQ(crash.verdict.ToString(), "crash SIGSEGV");
  RootCause c = CauseOf(crash, &s);
  EXPECT_EQ(GhNumber(c.upstream), "gh-127041");
  EXPECT_EQ(FindingClass(c, "", false, ""), "known gh-127041");
  EXPECT_TRUE(c.limitation.empty());

  // The two-destroys race is not this one (its crash is in Py_EndInterpreter).
  const scenario::Scenario two = LoadScenario(Data("two_destroys_314.scn"));
  EXPECT_FALSE(ExecsDuringItsDestroy(two));
  EXPECT_TRUE(CauseOf(LoadResult("two_destroys_314_crash.json"), &two).upstream.empty());
}

// tests/data/causes/share_during_destroy_315.scn, recorded on 3.15.2 release
// (1 crash in 3 runs of `endgame run FILE --json`): a share
// (set___main___attrs) while `destroy a as t1` is in flight died of SIGSEGV
// in _PyXI_Enter (called by interp_set___main___attrs, which the release
// build's stack does not name). The same race as an exec's:
// the interpreter starts running during _interpreters.destroy, gh-127041.
TEST(Cause, AShareRacingADestroyOfItsInterpreterIsGh127041Too) {
  const scenario::Scenario s = LoadScenario(Data("share_during_destroy_315.scn"));
  EXPECT_FALSE(ExecsDuringItsDestroy(s));
  EXPECT_TRUE(EntersDuringItsDestroy(s));
  const run::RunResult crash = LoadResult("share_during_destroy_315_crash.json");
  ASSERT_EQ(crash.verdict.ToString(), "crash SIGSEGV");
  RootCause c = CauseOf(crash, &s);
  EXPECT_EQ(GhNumber(c.upstream), "gh-127041");
  const scenario::Scenario exec = LoadScenario(Data("exec_during_destroy_314.scn"));
  EXPECT_EQ(c.key, CauseOf(LoadResult("exec_during_destroy_314_crash.json"), &exec).key);
}

// A call into an interpreter whose destroy is in flight is the same race,
// whether the caller dies entering (a SIGSEGV under _PyXI_Enter) or the
// destroyer finds its thread state ("PyInterpreterState_Delete: remaining
// threads"): recorded on 3.15.2, 2 crashes and 1 fatal in 8 runs of
// call_during_destroy_315.scn.
TEST(Cause, ACallRacingADestroyOfItsInterpreterIsGh127041Too) {
  const scenario::Scenario s = LoadScenario(Data("call_during_destroy_315.scn"));
  EXPECT_TRUE(EntersDuringItsDestroy(s));
  const run::RunResult crash = LoadResult("call_during_destroy_315_crash.json");
  ASSERT_EQ(crash.verdict.ToString(), "crash SIGSEGV");
  const run::RunResult fatal = LoadResult("call_during_destroy_315_fatal.json");
  ASSERT_EQ(fatal.verdict.kind, run::VerdictKind::kFatal);
  RootCause c = CauseOf(crash, &s);
  EXPECT_EQ(GhNumber(c.upstream), "gh-127041");
  EXPECT_EQ(CauseOf(fatal, &s).key, c.key);
  // Without a step that enters during the destroy, the same fatal is not
  // gh-127041's (the capi campaign's 62b77e1c799e stays its own cause).
  scenario::Scenario no_entry = s;
  no_entry.steps.resize(2);
  EXPECT_NE(CauseOf(fatal, &no_entry).key, c.key);
}

// Under driver capi an exec that enters an interpreter while a destroy of it
// is in flight is the caller's race, wherever the process dies: recorded on
// 3.14.10 in the 10-minute campaign of 2026-12-03, one crash in
// allocate_from_new_pool (a Py_EndInterpreter `destroy a as t4` then
// `exec a compute`) and one in PyCOND_TIMEDWAIT (a module destroy from a
// worker, then `exec b import ... as t6`): two raw causes, one limitation.
TEST(Cause, ACapiExecUnderItsDestroyIsOneLimitationWhereverItDies) {
  const scenario::Scenario a = LoadScenario(Data("capi_exec_during_destroy_314.scn"));
  const scenario::Scenario b = LoadScenario(Data("capi_exec_during_module_destroy_314.scn"));
  ASSERT_TRUE(ExecsDuringItsDestroy(a));
  ASSERT_TRUE(ExecsDuringItsDestroy(b));
  const run::RunResult ra = LoadResult("capi_exec_during_destroy_314_crash.json");
  const run::RunResult rb = LoadResult("capi_exec_during_module_destroy_314_crash.json");
  ASSERT_EQ(ra.verdict.ToString(), "crash SIGSEGV");
  ASSERT_EQ(rb.verdict.ToString(), "crash SIGSEGV");
  ASSERT_NE(ra.signature, rb.signature);
  RootCause ca = CauseOf(ra, &a), cb = CauseOf(rb, &b);
  EXPECT_EQ(ca.key, cb.key);
  EXPECT_FALSE(ca.limitation.empty());
  EXPECT_EQ(FindingClass(ca, "", false, ""), "limitation");
  // Under driver interpreters the same race is gh-127041 (above), not this.
  const scenario::Scenario xi = LoadScenario(Data("exec_during_destroy_314.scn"));
  EXPECT_NE(CauseOf(LoadResult("exec_during_destroy_314_crash.json"), &xi).key, ca.key);
}

// tests/data/causes/exit_while_exec_runs.scn: the process ends (`exit`)
// while an exec still runs in a subinterpreter on a dedicated thread.
// Recorded with `endgame run FILE --json` on 3.13.15 debug (finalize_subinterpreters
// asserts `!_PyInterpreterState_IsRunningMain(interp)`) and 3.14.10 debug
// (PyThreadState_Clear asserts `!_PyThreadState_IsRunningMain(tstate)`):
// two signatures, one cause, gh-126016's.
TEST(Cause, AnExitWhileAnExecRunsIsGh126016OnEveryVersion) {
  const scenario::Scenario s = LoadScenario(Data("exit_while_exec_runs.scn"));
  std::set<std::string> signatures, causes;
  for (const char* file : {"exit_while_exec_runs_313d.json", "exit_while_exec_runs_314d.json"}) {
    const run::RunResult r = LoadResult(file);
    ASSERT_EQ(r.verdict.ToString(), "crash SIGABRT") << file;
    signatures.insert(r.signature);
    RootCause c = CauseOf(r, &s);
    causes.insert(c.key);
    EXPECT_EQ(GhNumber(c.upstream), "gh-126016") << file;
    EXPECT_EQ(FindingClass(c, r.expected_reason, false, ""), "known gh-126016");
    EXPECT_THAT(c.title, HasSubstr("process exit while an exec runs"));
    // Without the exit step (the same death in a drain), the rule does not apply.
    scenario::Scenario no_exit = s;
    no_exit.steps.back() = scenario::Step::Finalize();
    EXPECT_NE(CauseOf(r, &no_exit).key, c.key) << file;
  }
  EXPECT_EQ(signatures.size(), 2u);
  EXPECT_EQ(causes.size(), 1u);
}

TEST(Cause, AQueueHandleFreedAtItsPuttersDestroyIsOneDeadlockWhoeverWaits) {
  // Recorded on 3.14.10 release from
  // corpus/known/5b8e70028acf-queue-handle-putter-destroyed.scn: under the
  // default strategy the destroy step hangs; under interpreter_pool the pool's
  // thread destroys and the drain hangs, joining it. Two raw signatures (the
  // waiter's frames), one deadlock: _queues_decref under
  // _queue_clear_interpreter on the destroying thread.
  std::set<std::string> signatures, causes;
  for (const char* file : {"queue_handle_putter_destroyed_314_destroy.json", "queue_handle_putter_destroyed_314_pool.json"}) {
    const run::RunResult r = LoadResult(file);
    ASSERT_EQ(r.verdict.kind, run::VerdictKind::kHang) << file;
    signatures.insert(r.signature);
    const RootCause c = CauseOf(r, nullptr);
    causes.insert(c.key);
    EXPECT_THAT(c.title, HasSubstr("queue handle queued by an interpreter deadlocks its destroy")) << file;
    // The deadlocked thread's frames, not the waiter's.
    EXPECT_THAT(c.frames, ::testing::Contains(HasSubstr("_queues_decref"))) << file;
    EXPECT_EQ(FindingClass(c, r.expected_reason, false, ""), "new") << file;
    // Another hang, whose stacks lack the re-entered lock, is not this cause.
    run::RunResult other = r;
    other.stacks = absl::StrReplaceAll(r.stacks, {{"_queues_decref", "_queues_incref"}});
    EXPECT_NE(CauseOf(other, nullptr).key, c.key) << file;
  }
  EXPECT_EQ(signatures.size(), 2u);
  EXPECT_EQ(causes.size(), 1u);
}

}  // namespace
}  // namespace endgame::report
