#include "endgame/scenario/text.h"

#include <gtest/gtest.h>

#include <string>

#include "endgame/scenario/check.h"
#include "endgame/scenario/snippets.h"

namespace endgame::scenario {
namespace {

Scenario Parse(const std::string& text) {
  absl::StatusOr<Scenario> s = ParseScenario(text, "t.scn");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Scenario{};
}

// The example of DESIGN.md §3 with its comments, except that the async destroy
// targets b and gc targets c: the original destroys `a` twice, which the
// checker rejects (use after a synchronous destroy).
constexpr char kDesignExample[] = R"(name "destroy after exec on a cached worker"
requires python>=3.13              # runner reports 'skipped: requires ...' elsewhere
driver interpreters                # capi | interpreters
strategy cache workers=1           # cache [workers=N] [tstate=per_call|sticky] | dedicated [bound_ms=N]
deadline_ms 5000                   # per-step hang deadline
spawn a                            # isolated config (own GIL, own obmalloc) — the default
spawn b legacy                     # legacy config (shared GIL, main obmalloc, daemon threads allowed)
spawn c isolated daemon_threads=1 check_extensions=0   # flags: gil=own|shared obmalloc=own|main
                                   #   threads= daemon_threads= fork= exec= check_extensions= (0|1)
exec a noop                        # synchronous: returns when the snippet is done
exec a busy ms=200 as t1           # asynchronous: task t1 runs on the scenario's strategy
exec b thread daemon=1 ms=3000 on=dedicated   # on=strategy|cache|dedicated|conductor overrides
wait t1 timeout_ms=1000
cancel t1 via=async_exc            # async_exc (PyThreadState_SetAsyncExc in the target interpreter)
                                   # | flag (cooperative flag polled by *_poll snippets) | abandon
destroy a                          # via=capi|module|close  from=conductor|worker|thread
destroy b from=thread as t2        # asynchronous destroy on a new thread (races with other steps)
sleep ms=5
gc c
finalize                           # Py_FinalizeEx with whatever is still alive (own process only)
expect fatal "not the last thread" # optional: what this scenario is known to produce; see §6
)";

TEST(ParseTest, DesignExample) {
  Scenario s = Parse(kDesignExample);
  EXPECT_EQ(s.name, "destroy after exec on a cached worker");
  ASSERT_EQ(s.requires_.size(), 1u);
  EXPECT_EQ(s.requires_[0].kind, Requirement::Kind::kPythonVersion);
  EXPECT_EQ(s.requires_[0].op, Requirement::Op::kGe);
  EXPECT_EQ(s.requires_[0].major, 3);
  EXPECT_EQ(s.requires_[0].minor, 13);
  EXPECT_EQ(s.requires_[0].micro, -1);
  EXPECT_EQ(s.driver, Driver::kInterpreters);
  EXPECT_EQ(s.strategy, StrategySpec{});
  EXPECT_EQ(s.deadline_ms, 5000);
  ASSERT_EQ(s.steps.size(), 13u);
  EXPECT_EQ(s.steps[1].config.base, InterpConfig::Base::kLegacy);
  EXPECT_EQ(s.steps[2].config.daemon_threads, 1);
  EXPECT_EQ(s.steps[2].config.check_extensions, 0);
  EXPECT_EQ(s.steps[2].config.threads, -1);
  const Step& busy = s.steps[4];
  EXPECT_EQ(busy.kind, StepKind::kExec);
  EXPECT_EQ(busy.snippet.kind, SnippetKind::kBusy);
  EXPECT_EQ(busy.snippet.ms, 200);
  EXPECT_EQ(busy.task, "t1");
  const Step& thread = s.steps[5];
  EXPECT_TRUE(thread.snippet.daemon);
  EXPECT_EQ(thread.snippet.ms, 3000);
  EXPECT_EQ(thread.snippet.n, 1);  // default
  EXPECT_EQ(thread.on, ExecOn::kDedicated);
  EXPECT_EQ(s.steps[6].timeout_ms, 1000);
  EXPECT_EQ(s.steps[9].from, DestroyFrom::kThread);
  EXPECT_EQ(s.steps[9].task, "t2");
  EXPECT_EQ(s.steps[12].kind, StepKind::kFinalize);
  ASSERT_TRUE(s.expect.has_value());
  EXPECT_EQ(s.expect->verdict, "fatal");
  EXPECT_EQ(s.expect->detail, "not the last thread");
}

TEST(PrintTest, DesignExampleCanonical) {
  EXPECT_EQ(PrintScenario(Parse(kDesignExample)),
            "name \"destroy after exec on a cached worker\"\n"
            "requires python>=3.13\n"
            "driver interpreters\n"
            "spawn a\n"
            "spawn b legacy\n"
            "spawn c daemon_threads=1 check_extensions=0\n"
            "exec a noop\n"
            "exec a busy ms=200 as t1\n"
            "exec b thread daemon=1 ms=3000 on=dedicated\n"
            "wait t1 timeout_ms=1000\n"
            "cancel t1\n"
            "destroy a\n"
            "destroy b from=thread as t2\n"
            "sleep ms=5\n"
            "gc c\n"
            "finalize\n"
            "expect fatal \"not the last thread\"\n");
}

TEST(PrintTest, EmptyScenarioIsEmptyText) {
  EXPECT_EQ(PrintScenario(Scenario{}), "");
  EXPECT_EQ(Parse(""), Scenario{});
  EXPECT_EQ(Parse("\n# only a comment\n\n"), Scenario{});
}

TEST(PrintTest, OmitsDefaultsAndOrdersArguments) {
  Scenario s = Parse(
      "strategy cache tstate=per_call workers=1\n"
      "deadline_ms 5000\n"
      "spawn a isolated\n"
      "exec a thread n=1 ms=100 daemon=0 on=strategy as t\n"
      "exec a thread n=3 delay_us=7 ms=9\n"
      "exec a import module=json\n"
      "exec a import module=\"my mod\"\n"
      "exec a raise exc=KeyError\n"
      "destroy a via=auto from=conductor\n");
  EXPECT_EQ(PrintScenario(s),
            "spawn a\n"
            "exec a thread as t\n"
            "exec a thread ms=9 n=3 delay_us=7\n"
            "exec a import\n"
            "exec a import module=\"my mod\"\n"
            "exec a raise exc=KeyError\n"
            "destroy a\n");
}

TEST(PrintTest, StrategiesAndHeader) {
  Scenario s = Parse(
      "strategy dedicated bound_ms=250\ndeadline_ms 100\nrequires python<3.14.2 debug\n"
      "requires freethreaded\n");
  EXPECT_EQ(PrintScenario(s),
            "requires python<3.14.2 debug freethreaded\nstrategy dedicated bound_ms=250\n"
            "deadline_ms 100\n");
  s = Parse("strategy cache workers=4 tstate=sticky\n");
  EXPECT_EQ(PrintScenario(s), "strategy cache workers=4 tstate=sticky\n");
}

TEST(ParseTest, ExpectAnywhereAndBareDetail) {
  Scenario s = Parse("expect error RuntimeError\nspawn a\nexec a raise\n");
  ASSERT_TRUE(s.expect.has_value());
  EXPECT_EQ(s.expect->verdict, "error");
  EXPECT_EQ(s.expect->detail, "RuntimeError");
  EXPECT_EQ(PrintScenario(s), "spawn a\nexec a raise\nexpect error \"RuntimeError\"\n");
}

TEST(ParseTest, CommentsWhitespaceAndCrlf) {
  Scenario a = Parse("spawn a\nexec a busy ms=5 as t\n");
  Scenario b = Parse("  spawn\ta   # the interpreter\r\n\r\nexec  a busy   ms=5 as t#x\r\n");
  EXPECT_EQ(a, b);
}

TEST(ParseTest, HashInsideStringIsNotAComment) {
  Scenario s = Parse("spawn a\nexec a code \"x = 1  # not a comment\"\n");
  EXPECT_EQ(s.steps[1].snippet.text, "x = 1  # not a comment");
}

TEST(ParseTest, SourcePositions) {
  Scenario s = Parse("\n  spawn a\nexec a noop as t\n");
  ASSERT_EQ(s.steps.size(), 2u);
  EXPECT_EQ(s.steps[0].pos.line, 2);
  EXPECT_EQ(s.steps[0].pos.column, 3);
  EXPECT_EQ(s.steps[0].pos.target_column, 9);
  EXPECT_EQ(s.steps[1].pos.line, 3);
  EXPECT_EQ(s.steps[1].pos.as_column, 16);
}

TEST(ParseTest, SemanticRulesThatAllow) {
  // Respawn after a synchronous destroy.
  Parse("spawn a\ndestroy a\nspawn a\ngc a\n");
  // Steps on an interpreter whose asynchronous destroy may still run: the race.
  Parse("spawn a\ndestroy a from=thread as d\nexec a busy as t\ngc a\ndestroy a\n");
  // Respawn once the asynchronous destroy was waited for.
  Parse("spawn a\ndestroy a as d\nwait d\nspawn a\n");
  // Waiting twice, cancelling after waiting, tasks and interpreters sharing a name.
  Parse("spawn a\nexec a busy as a\nwait a\nwait a\ncancel a via=flag\n");
  // A synchronous exec on another strategy, and on the conductor.
  Parse("spawn a\nexec a noop on=dedicated\nexec a noop on=conductor\n");
}

TEST(QuoteStringTest, Escapes) {
  EXPECT_EQ(QuoteString("plain"), "\"plain\"");
  EXPECT_EQ(QuoteString("a\"b\\c\nd\te\rf"), "\"a\\\"b\\\\c\\nd\\te\\rf\"");
  EXPECT_EQ(QuoteString(std::string("\0\x01\x7f", 3)), "\"\\x00\\x01\\x7f\"");
  EXPECT_EQ(QuoteString("h\xc3\xa9llo \xe2\x9c\x93"),
            "\"h\xc3\xa9llo \xe2\x9c\x93\"");                     // valid UTF-8 kept
  EXPECT_EQ(QuoteString("\xc3"), "\"\\xc3\"");                    // truncated sequence
  EXPECT_EQ(QuoteString("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");  // a surrogate
  EXPECT_EQ(QuoteString("\xc0\xaf"), "\"\\xc0\\xaf\"");           // overlong
}

TEST(QuoteStringTest, EveryByteRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  Scenario s;
  s.name = all;
  s.steps.push_back(Step::Spawn("a"));
  Snippet code = DefaultSnippet(SnippetKind::kCode);
  code.text = all + "\xe2\x9c\x93";
  s.steps.push_back(Step::Exec("a", code));
  std::string text = PrintScenario(s);
  EXPECT_EQ(text.find('\n'), text.find("\nspawn"));  // the name stays on one line
  absl::StatusOr<Scenario> back = ParseScenario(text, "t.scn");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, s);
}

TEST(ParseTest, ParsedScenariosPassCheck) {
  EXPECT_TRUE(CheckScenario(Parse(kDesignExample), "t.scn").ok());
}

}  // namespace
}  // namespace endgame::scenario
