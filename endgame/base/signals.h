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

// GuardForkChildren() makes every child this process forks (os.fork() in a
// scenario's `fork` snippet) die as plainly as it can: in the child, before
// fork() returns, SIGABRT, SIGSEGV, SIGBUS, SIGILL and SIGFPE go back to
// their default action (no libFuzzer, sanitizer or crash-stack handler of
// the harness runs there, nor writes a crash artifact), and exit() leaves at
// once with _exit(status) (no atexit handler, static destructor, stdio flush
// of inherited buffers or LeakSanitizer check of the harness runs twice).
// Idempotent; call it before any thread may fork.
void GuardForkChildren();

}  // namespace endgame

#endif  // ENDGAME_BASE_SIGNALS_H_
