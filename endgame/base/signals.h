// File: endgame/base/signals.h
//
// Signal masks for the harness's own threads. libFuzzer (and the `endgame`
// CLI) handle SIGALRM (-timeout), SIGINT, SIGTERM and SIGUSR1/2 on the main
// thread; worker, conductor and exec threads must block them so that the
// kernel delivers them there and not to a thread that holds a Python
// interpreter half torn down.
//
//   std::thread worker([] {
//     BlockFuzzerSignals();          // for the rest of this thread's life
//     ...
//   });
//
//   {
//     ScopedBlockFuzzerSignals blocked;  // threads started here inherit the mask
//     pool.Start();
//   }                                    // the old mask is back
#ifndef ENDGAME_BASE_SIGNALS_H_
#define ENDGAME_BASE_SIGNALS_H_

#include <signal.h>

namespace endgame {

// FuzzerSignals() returns the set SIGALRM, SIGINT, SIGTERM, SIGUSR1, SIGUSR2.
sigset_t FuzzerSignals();

// BlockFuzzerSignals() adds FuzzerSignals() to the calling thread's signal
// mask. Threads created afterwards by this thread inherit the mask.
void BlockFuzzerSignals();

// ScopedBlockFuzzerSignals blocks FuzzerSignals() in the calling thread for
// its lifetime and then restores the thread's previous mask. It must be
// destroyed on the thread that created it.
class ScopedBlockFuzzerSignals {
 public:
  ScopedBlockFuzzerSignals();
  ~ScopedBlockFuzzerSignals();
  ScopedBlockFuzzerSignals(const ScopedBlockFuzzerSignals&) = delete;
  ScopedBlockFuzzerSignals& operator=(const ScopedBlockFuzzerSignals&) = delete;

 private:
  sigset_t old_;
};

}  // namespace endgame

#endif  // ENDGAME_BASE_SIGNALS_H_
