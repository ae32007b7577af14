// File: endgame/run/watchdog.h
//
// Watchdog: fires when an armed step passes its deadline. It runs on its own
// thread and never needs the GIL, so it works when the stuck thread holds it.
// The callback runs on the watchdog thread; it normally does not return
// (a stuck step cannot be unwound), unless the step turns out to have ended
// meanwhile (Ended), after which the watchdog goes on watching.
//
// Example:
//   Watchdog dog([](const Watchdog::Armed& a) { ReportHangAndExit(a); });
//   dog.Arm({3, "destroy", absl::Now() + absl::Seconds(5), gettid(), "conductor"});
//   ... run step 3 ...
//   dog.Disarm();
#ifndef ENDGAME_RUN_WATCHDOG_H_
#define ENDGAME_RUN_WATCHDOG_H_

#include <sys/types.h>

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "endgame/base/mutex.h"
#include "absl/time/time.h"

namespace endgame::run {

class Watchdog {
 public:
  struct Armed {
    int step_index = -1;
    std::string step_kind;
    absl::Time deadline = absl::InfiniteFuture();
    pid_t tid = 0;            // the thread expected to be stuck, if known
    std::string thread_name;
    uint64_t generation = 0;  // set when it fires (see Ended)
  };

  explicit Watchdog(std::function<void(const Armed&)> on_expire);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  void Arm(Armed armed);
  // Names the thread a running step now waits on (e.g. a task's worker).
  void Blame(pid_t tid, std::string thread_name);
  void Disarm();
  // True once the step that fired as `fired` has ended (disarmed or replaced
  // by the next Arm): it was slow, not stuck. The callback checks this after
  // capturing stacks, which takes a while, before it calls the step a hang.
  bool Ended(const Armed& fired);

 private:
  void Loop();

  std::function<void(const Armed&)> on_expire_;
  Mutex mu_;
  CondVar cv_;
  bool armed_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool idle_ ABSL_GUARDED_BY(mu_) = false;  // waiting for an Arm
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  Armed current_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace endgame::run

#endif  // ENDGAME_RUN_WATCHDOG_H_
