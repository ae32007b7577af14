#include "endgame/base/signals.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <thread>

#include "gtest/gtest.h"

namespace endgame {
namespace {

sigset_t CurrentMask() {
  sigset_t mask;
  pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  return mask;
}

constexpr int kFuzzerSignals[] = {SIGALRM, SIGINT, SIGTERM, SIGUSR1, SIGUSR2};

TEST(SignalsTest, FuzzerSignalsAreTheFive) {
  sigset_t set = FuzzerSignals();
  for (int sig : kFuzzerSignals) EXPECT_EQ(sigismember(&set, sig), 1) << sig;
  for (int sig : {SIGSEGV, SIGABRT, SIGCHLD, SIGPIPE, SIGQUIT}) EXPECT_EQ(sigismember(&set, sig), 0);
}

TEST(SignalsTest, BlockFuzzerSignalsBlocksOnlyInTheCallingThread) {
  sigset_t main_before = CurrentMask();
  std::thread t([] {
    BlockFuzzerSignals();
    sigset_t mask = CurrentMask();
    for (int sig : kFuzzerSignals) EXPECT_EQ(sigismember(&mask, sig), 1) << sig;
    // A signal sent to this very thread stays pending instead of running
    // the default action (which for SIGUSR2 would end the process).
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
    sigset_t pending;
    sigpending(&pending);
    EXPECT_EQ(sigismember(&pending, SIGUSR2), 1);
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    struct timespec zero = {0, 0};
    EXPECT_EQ(sigtimedwait(&usr2, nullptr, &zero), SIGUSR2);
  });
  t.join();
  sigset_t main_after = CurrentMask();
  for (int sig : kFuzzerSignals) {
    EXPECT_EQ(sigismember(&main_after, sig), sigismember(&main_before, sig)) << sig;
  }
}

TEST(SignalsTest, ScopedBlockRestoresTheOldMask) {
  std::thread t([] {
    // SIGUSR1 was blocked before: it stays blocked afterwards.
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, nullptr);
    {
      ScopedBlockFuzzerSignals blocked;
      sigset_t mask = CurrentMask();
      for (int sig : kFuzzerSignals) EXPECT_EQ(sigismember(&mask, sig), 1) << sig;
      // Threads started here inherit the mask.
      std::thread inner([] {
        sigset_t m = CurrentMask();
        EXPECT_EQ(sigismember(&m, SIGALRM), 1);
      });
      inner.join();
    }
    sigset_t mask = CurrentMask();
    EXPECT_EQ(sigismember(&mask, SIGUSR1), 1);
    for (int sig : {SIGALRM, SIGINT, SIGTERM, SIGUSR2}) EXPECT_EQ(sigismember(&mask, sig), 0) << sig;
  });
  t.join();
}

}  // namespace
}  // namespace endgame
