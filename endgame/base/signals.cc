#include "endgame/base/signals.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <mutex>

#include "endgame/base/check.h"

namespace endgame {

sigset_t FuzzerSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGALRM, SIGINT, SIGTERM, SIGUSR1, SIGUSR2}) sigaddset(&set, sig);
  return set;
}

void BlockFuzzerSignals() {
  sigset_t set = FuzzerSignals();
  int rc = pthread_sigmask(SIG_BLOCK, &set, nullptr);
  ENDGAME_CHECK(rc == 0) << "pthread_sigmask: " << rc;
}

ScopedBlockFuzzerSignals::ScopedBlockFuzzerSignals() {
  sigset_t set = FuzzerSignals();
  int rc = pthread_sigmask(SIG_BLOCK, &set, &old_);
  ENDGAME_CHECK(rc == 0) << "pthread_sigmask: " << rc;
}

ScopedBlockFuzzerSignals::~ScopedBlockFuzzerSignals() {
  int rc = pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  ENDGAME_CHECK(rc == 0) << "pthread_sigmask: " << rc;
}

namespace {

void ExitAtOnce(int status, void*) { _exit(status); }

void InForkChild() {
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE}) signal(sig, SIG_DFL);
  // Registered last in the child, so it runs before every other exit handler.
  on_exit(ExitAtOnce, nullptr);
}

}  // namespace

void GuardForkChildren() {
  static std::once_flag once;
  std::call_once(once, [] { ENDGAME_CHECK(pthread_atfork(nullptr, nullptr, InForkChild) == 0); });
}

}  // namespace endgame
