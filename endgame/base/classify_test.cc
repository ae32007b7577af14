#include "endgame/base/classify.h"

#include <signal.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace endgame {
namespace {

using ::testing::HasSubstr;

Termination RunAndClassify(std::vector<std::string> args,
                           absl::Duration timeout = absl::Seconds(30)) {
  ChildOptions o;
  o.argv = {ENDGAME_BASE_TEST_CHILD};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.timeout = timeout;
  o.kill_grace = absl::Milliseconds(500);
  absl::StatusOr<ChildResult> r = RunChild(o);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? Classify(*r) : Termination{};
}

TEST(ClassifyChildTest, CleanExitIsOk) {
  Termination t = RunAndClassify({"exit", "0"});
  EXPECT_EQ(t.kind, Termination::kOk);
  EXPECT_TRUE(t.exited);
  EXPECT_EQ(t.ToString(), "ok");
}

TEST(ClassifyChildTest, NonZeroExit) {
  Termination t = RunAndClassify({"exit", "3"});
  EXPECT_EQ(t.kind, Termination::kExitCode);
  EXPECT_EQ(t.exit_code, 3);
  EXPECT_EQ(t.detail, "exit code 3");
  EXPECT_EQ(t.ToString(), "exit 3");
}

TEST(ClassifyChildTest, SegfaultIsACrash) {
  Termination t = RunAndClassify({"segv"});
  EXPECT_EQ(t.kind, Termination::kCrash);
  EXPECT_EQ(t.signal, SIGSEGV);
  EXPECT_EQ(t.detail, "SIGSEGV");
  EXPECT_EQ(t.ToString(), "crash SIGSEGV");
}

TEST(ClassifyChildTest, AbortIsACrash) {
  Termination t = RunAndClassify({"abort"});
  EXPECT_EQ(t.kind, Termination::kCrash);
  EXPECT_EQ(t.detail, "SIGABRT");
}

TEST(ClassifyChildTest, FatalPythonErrorWinsOverItsAbort) {
  Termination t = RunAndClassify({"fatal"});
  EXPECT_EQ(t.kind, Termination::kFatal);
  EXPECT_EQ(t.signal, SIGABRT);
  EXPECT_EQ(t.detail, "Py_EndInterpreter: not the last thread");
  EXPECT_EQ(t.ToString(), "fatal \"Py_EndInterpreter: not the last thread\"");
}

TEST(ClassifyChildTest, SanitizerReportWinsOverItsExitCode) {
  Termination t = RunAndClassify({"asan"});
  EXPECT_EQ(t.kind, Termination::kSanitizer);
  EXPECT_TRUE(t.exited);
  EXPECT_EQ(t.exit_code, 1);
  EXPECT_EQ(t.tool, "AddressSanitizer");
  EXPECT_EQ(t.detail, "heap-use-after-free");
  EXPECT_EQ(t.frame, "tstate_delete_common");
  EXPECT_THAT(t.evidence, HasSubstr("ERROR: AddressSanitizer: heap-use-after-free on address"));
  EXPECT_EQ(t.ToString(), "sanitizer heap-use-after-free in tstate_delete_common");
}

TEST(ClassifyChildTest, TimeoutOfAHungChild) {
  Termination t = RunAndClassify({"sleep"}, absl::Milliseconds(200));
  EXPECT_EQ(t.kind, Termination::kTimeout);
  EXPECT_EQ(t.signal, SIGTERM);
  EXPECT_THAT(t.detail, HasSubstr("timed out after"));
  EXPECT_EQ(t.ToString(), "timeout");
}

// Reports as the sanitizers print them (clang 14 runtimes).
constexpr char kTsanRace[] = R"(==================
WARNING: ThreadSanitizer: data race (pid=12345)
  Write of size 4 at 0x7b0400000010 by thread T2:
    #0 Worker(void*) /src/race.cc:10:5 (race+0xd0a5d)
    #1 start_thread nptl/pthread_create.c:442:8 (libc.so.6+0x89043)

  Previous read of size 4 at 0x7b0400000010 by main thread:
    #0 main /src/race.cc:20:3 (race+0xd0b12)

SUMMARY: ThreadSanitizer: data race /src/race.cc:10:5 in Worker(void*)
==================
)";

constexpr char kLeak[] = R"(
=================================================================
==99==ERROR: LeakSanitizer: detected memory leaks

Direct leak of 40 byte(s) in 1 object(s) allocated from:
    #0 0x4af01b in __interceptor_malloc (/tmp/a.out+0x4af01b)
    #1 0x4da26a in new_interpreter /src/cpython/Python/pystate.c:500:20
    #2 0x4da300 in main /src/main.c:3:1

SUMMARY: AddressSanitizer: 40 byte(s) leaked in 1 allocation(s).
)";

constexpr char kUbsan[] =
    "/src/x.c:12:5: runtime error: signed integer overflow: 2147483647 + 1 cannot be "
    "represented in type 'int'\n"
    "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior /src/x.c:12:5 in \n";

constexpr char kDoubleFree[] = R"(==7==ERROR: AddressSanitizer: attempting double-free on 0x602000000010 in thread T0:
    #0 0x4a0b2d in free (/tmp/a.out+0x4a0b2d)
    #1 0x4d1234 in _PyMem_RawFree Objects/obmalloc.c:80:5
SUMMARY: AddressSanitizer: double-free (/tmp/a.out+0x4a0b2d) in free
)";

constexpr char kAsanSegv[] = R"(AddressSanitizer:DEADLYSIGNAL
==5==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000 (pc 0x55 bp 0x7f sp 0x7f T3)
==5==The signal is caused by a READ memory access.
    #0 0x55 in _PyThreadState_Bind Python/pystate.c:2000:7
SUMMARY: AddressSanitizer: SEGV Python/pystate.c:2000:7 in _PyThreadState_Bind
)";

TEST(ClassifyTextTest, ThreadSanitizerDataRace) {
  Termination t = ClassifyEnd(true, 66, 0, false, kTsanRace);
  EXPECT_EQ(t.kind, Termination::kSanitizer);
  EXPECT_EQ(t.tool, "ThreadSanitizer");
  EXPECT_EQ(t.detail, "data race");
  EXPECT_EQ(t.frame, "Worker(void*)");
}

TEST(ClassifyTextTest, LeakSanitizerSkipsTheAllocator) {
  Termination t = ClassifyEnd(true, 23, 0, false, kLeak);
  EXPECT_EQ(t.kind, Termination::kSanitizer);
  EXPECT_EQ(t.tool, "LeakSanitizer");
  EXPECT_EQ(t.detail, "detected memory leaks");
  EXPECT_EQ(t.frame, "new_interpreter");
}

TEST(ClassifyTextTest, UndefinedBehaviorWithoutStack) {
  // UBSan recovers by default: the process may well exit 0.
  Termination t = ClassifyEnd(true, 0, 0, false, kUbsan);
  EXPECT_EQ(t.kind, Termination::kSanitizer);
  EXPECT_EQ(t.tool, "UndefinedBehaviorSanitizer");
  EXPECT_EQ(t.detail, "undefined-behavior");
  EXPECT_EQ(t.frame, "/src/x.c:12:5");
}

TEST(ClassifyTextTest, SummaryNamesTheKindOfADoubleFree) {
  Termination t = ClassifyEnd(false, 0, SIGABRT, false, kDoubleFree);
  EXPECT_EQ(t.kind, Termination::kSanitizer);
  EXPECT_EQ(t.detail, "double-free");
  EXPECT_EQ(t.frame, "_PyMem_RawFree");
}

TEST(ClassifyTextTest, AsanSegv) {
  Termination t = ClassifyEnd(true, 1, 0, false, kAsanSegv);
  EXPECT_EQ(t.detail, "SEGV");
  EXPECT_EQ(t.frame, "_PyThreadState_Bind");
}

TEST(ClassifyTextTest, OrderSanitizerThenFatalThenTimeoutThenSignalThenExit) {
  std::string fatal = "Fatal Python error: _PyThreadState_Attach: non-NULL old thread state\n";
  EXPECT_EQ(ClassifyEnd(false, 0, SIGABRT, true, fatal + kAsanSegv).kind, Termination::kSanitizer);
  EXPECT_EQ(ClassifyEnd(false, 0, SIGKILL, true, fatal).kind, Termination::kFatal);
  EXPECT_EQ(ClassifyEnd(false, 0, SIGKILL, true, "").kind, Termination::kTimeout);
  EXPECT_EQ(ClassifyEnd(false, 0, SIGBUS, false, "noise").kind, Termination::kCrash);
  EXPECT_EQ(ClassifyEnd(true, 2, 0, false, "noise").kind, Termination::kExitCode);
  EXPECT_EQ(ClassifyEnd(true, 0, 0, false, "noise").kind, Termination::kOk);
}

// `python -X faulthandler` on a segfault prints faulthandler's words as a
// "Fatal Python error" and re-raises the signal: that is a crash, not Py_FatalError().
TEST(ClassifyTextTest, FaulthandlerWordsBeforeTheSignalAreACrash) {
  const std::string segv =
      "Fatal Python error: Segmentation fault\n\nCurrent thread 0x00007f (most recent call first):\n"
      "  File \"repro.py\", line 3 in <module>\n";
  Termination t = ClassifyEnd(false, 0, SIGSEGV, false, segv);
  EXPECT_EQ(t.kind, Termination::kCrash);
  EXPECT_EQ(t.ToString(), "crash SIGSEGV");
  EXPECT_EQ(ClassifyEnd(false, 0, SIGBUS, false, "Fatal Python error: Bus error\n").ToString(), "crash SIGBUS");
  EXPECT_EQ(ClassifyEnd(false, 0, SIGABRT, false, "Fatal Python error: Aborted\n").ToString(), "crash SIGABRT");
  // The same words with another end, and Py_FatalError()'s own messages, stay fatal.
  EXPECT_EQ(ClassifyEnd(false, 0, SIGABRT, false, segv).kind, Termination::kFatal);
  EXPECT_EQ(ClassifyEnd(true, 1, 0, false, segv).kind, Termination::kFatal);
  // Py_FatalError's abort: its message comes first, faulthandler's "Aborted" (if any) after.
  t = ClassifyEnd(false, 0, SIGABRT, false,
                  "Fatal Python error: Py_EndInterpreter: not the last thread\nFatal Python error: Aborted\n");
  EXPECT_EQ(t.ToString(), "fatal \"Py_EndInterpreter: not the last thread\"");
}

TEST(ClassifyTextTest, FatalMessageIsTheRestOfItsLine) {
  EXPECT_EQ(FatalPythonError("x\nFatal Python error: PyThreadState_Get: no current thread\n"
                             "Python runtime state: initialized\n"),
            "PyThreadState_Get: no current thread");
  EXPECT_EQ(FatalPythonError("nothing here"), std::nullopt);
  EXPECT_EQ(FindSanitizerReport("all fine\n"), std::nullopt);
}

TEST(ClassifyTextTest, SignalNames) {
  EXPECT_EQ(SignalName(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(SignalName(SIGABRT), "SIGABRT");
  EXPECT_EQ(SignalName(SIGKILL), "SIGKILL");
  EXPECT_EQ(SignalName(SIGRTMIN + 3), "SIGRTMIN+3");
  EXPECT_EQ(SignalName(0x7f), "signal 127");
  EXPECT_EQ(KindName(Termination::kSanitizer), "sanitizer");
}

}  // namespace
}  // namespace endgame
