#include "endgame/base/signals.h"

#include <pthread.h>

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

}  // namespace endgame
