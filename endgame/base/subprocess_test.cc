#include "endgame/base/subprocess.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>

#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace endgame {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;

ChildResult RunTestChild(std::vector<std::string> args, absl::Duration timeout = absl::Seconds(30),
                absl::Duration grace = absl::Seconds(2)) {
  ChildOptions o;
  o.argv = {ENDGAME_BASE_TEST_CHILD};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.timeout = timeout;
  o.kill_grace = grace;
  absl::StatusOr<ChildResult> r = RunChild(o);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : ChildResult{};
}

TEST(SubprocessTest, ExitCode) {
  ChildResult r = RunTestChild({"exit", "3"});
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_GT(r.pid, 0);
  EXPECT_LT(r.elapsed, absl::Seconds(10));
}

TEST(SubprocessTest, DeathBySignal) {
  ChildResult segv = RunTestChild({"segv"});
  EXPECT_FALSE(segv.exited);
  EXPECT_EQ(segv.signal, SIGSEGV);
  ChildResult abrt = RunTestChild({"abort"});
  EXPECT_FALSE(abrt.exited);
  EXPECT_EQ(abrt.signal, SIGABRT);
  EXPECT_FALSE(abrt.timed_out);
}

TEST(SubprocessTest, TimeoutSendsSigterm) {
  absl::Time start = absl::Now();
  ChildResult r = RunTestChild({"sleep"}, absl::Milliseconds(300), absl::Seconds(5));
  absl::Duration took = absl::Now() - start;
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.signal, SIGTERM);
  EXPECT_GE(r.elapsed, absl::Milliseconds(300));
  EXPECT_LT(took, absl::Seconds(4));  // well before the grace would end
}

TEST(SubprocessTest, ChildIgnoringSigtermIsKilledAfterTheGrace) {
  absl::Time start = absl::Now();
  ChildResult r = RunTestChild({"ignore-term"}, absl::Milliseconds(300), absl::Milliseconds(700));
  absl::Duration took = absl::Now() - start;
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_EQ(r.out, "ready\n");
  EXPECT_GE(r.elapsed, absl::Milliseconds(1000));
  EXPECT_LT(took, absl::Seconds(6));
}

TEST(SubprocessTest, BigOutputOnBothStreamsDoesNotDeadlock) {
  constexpr size_t kBytes = size_t{3} << 20;
  ChildResult r = RunTestChild({"flood", absl::StrCat(kBytes)}, absl::Seconds(60));
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.out.size(), kBytes);
  EXPECT_EQ(r.err.size(), kBytes);
  EXPECT_EQ(r.out.find_first_not_of('o'), std::string::npos);
  EXPECT_EQ(r.err.find_first_not_of('e'), std::string::npos);
  EXPECT_FALSE(r.out_truncated);
}

TEST(SubprocessTest, OutputPastTheLimitIsDroppedButDrained) {
  ChildOptions o;
  o.argv = {ENDGAME_BASE_TEST_CHILD, "flood", absl::StrCat(1 << 20)};
  o.max_output_bytes = 1000;
  absl::StatusOr<ChildResult> r = RunChild(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->out.size(), 1000u);
  EXPECT_EQ(r->err.size(), 1000u);
  EXPECT_TRUE(r->out_truncated);
  EXPECT_TRUE(r->err_truncated);
}

TEST(SubprocessTest, StdinIsFedConcurrentlyWithOutput) {
  ChildOptions o;
  o.argv = {ENDGAME_BASE_TEST_CHILD, "cat"};
  for (int i = 0; o.stdin_data.size() < (size_t{2} << 20); ++i) {
    absl::StrAppend(&o.stdin_data, "line ", i, "\n");
  }
  absl::StatusOr<ChildResult> r = RunChild(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->out, o.stdin_data);
}

TEST(SubprocessTest, StdinClosedByTheChildIsNotFatal) {
  ChildOptions o;
  o.argv = {ENDGAME_BASE_TEST_CHILD, "close-stdin"};
  o.stdin_data.assign(size_t{4} << 20, 'x');
  absl::StatusOr<ChildResult> r = RunChild(o);  // would die of SIGPIPE if mishandled
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->exited);
  EXPECT_EQ(r->exit_code, 0);
  sigset_t pending;
  sigpending(&pending);
  EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);
}

TEST(SubprocessTest, NoStdinReadsEof) {
  ChildResult r = RunTestChild({"cat"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
}

TEST(SubprocessTest, EnvAddAddsAndOverrides) {
  setenv("ENDGAME_SUBPROCESS_TEST_OLD", "old", 1);
  ChildOptions o;
  o.argv = {ENDGAME_BASE_TEST_CHILD, "env", "ENDGAME_SUBPROCESS_TEST_OLD"};
  absl::StatusOr<ChildResult> inherited = RunChild(o);
  ASSERT_TRUE(inherited.ok());
  EXPECT_EQ(inherited->out, "old\n");
  o.env_add = {"ENDGAME_SUBPROCESS_TEST_OLD=new"};
  absl::StatusOr<ChildResult> overridden = RunChild(o);
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->out, "new\n");
  o.argv[2] = "ENDGAME_SUBPROCESS_TEST_NEW";
  o.env_add = {"ENDGAME_SUBPROCESS_TEST_NEW=a=b"};
  absl::StatusOr<ChildResult> added = RunChild(o);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->out, "a=b\n");
  unsetenv("ENDGAME_SUBPROCESS_TEST_OLD");
}

TEST(SubprocessTest, ChildStartsWithCleanSignalState) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  struct sigaction ign, old_usr2;
  std::memset(&ign, 0, sizeof(ign));
  ign.sa_handler = SIG_IGN;
  sigaction(SIGUSR2, &ign, &old_usr2);
  ChildResult r = RunTestChild({"sigstate"});
  sigaction(SIGUSR2, &old_usr2, nullptr);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  EXPECT_EQ(r.out, "done\n");
}

bool ProcessGone(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

TEST(SubprocessTest, LeftoversOfTheProcessGroupAreKilled) {
  absl::Time start = absl::Now();
  ChildResult r = RunTestChild({"grandchild"});
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));  // did not wait for the sleeper's EOF
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0);
  int grandchild = 0;
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripSuffix(r.out, "\n"), &grandchild)) << r.out;
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = ProcessGone(grandchild);
    if (!gone) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(gone) << "grandchild " << grandchild << " survived";
}

TEST(SubprocessTest, KillAllChildrenEndsEveryRunningChild) {
  EXPECT_EQ(KillAllChildren(), 0);  // none running
  ChildResult r;
  std::thread runner([&r] { r = RunTestChild({"sleep"}, absl::Minutes(5)); });
  // Kill as soon as RunChild() knows its child (no sleep: it is signalled the
  // moment it is registered).
  int signalled = 0;
  for (absl::Time until = absl::Now() + absl::Seconds(30); signalled == 0 && absl::Now() < until;) {
    signalled = KillAllChildren();
    if (signalled == 0) std::this_thread::yield();
  }
  runner.join();  // RunChild() has waited for the child (waitpid)
  EXPECT_EQ(signalled, 1);
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_FALSE(r.timed_out);
  EXPECT_LT(r.elapsed, absl::Seconds(30));
  // Reaped, and forgotten by the registry.
  ASSERT_GT(r.pid, 0);
  EXPECT_EQ(waitpid(r.pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  EXPECT_EQ(KillAllChildren(), 0);
}

TEST(SubprocessTest, ProgramSearchedInPath) {
  ChildOptions o;
  o.argv = {"true"};
  absl::StatusOr<ChildResult> r = RunChild(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->exited);
  EXPECT_EQ(r->exit_code, 0);
}

TEST(SubprocessTest, HarnessErrorsAreStatuses) {
  ChildOptions o;
  EXPECT_EQ(RunChild(o).status().code(), absl::StatusCode::kInvalidArgument);
  o.argv = {"/nonexistent/endgame-program"};
  absl::StatusOr<ChildResult> r = RunChild(o);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound) << r.status();
}

TEST(SubprocessTest, SelfExe) {
  absl::StatusOr<std::string> exe = SelfExe();
  ASSERT_TRUE(exe.ok()) << exe.status();
  EXPECT_THAT(*exe, EndsWith("/base_subprocess_test"));
}

}  // namespace
}  // namespace endgame
