#include "endgame/run/watchdog.h"

#include <pthread.h>

#include "endgame/base/signals.h"

namespace endgame::run {

Watchdog::Watchdog(std::function<void(const Armed&)> on_expire) : on_expire_(std::move(on_expire)) {
  thread_ = std::thread([this] { Loop(); });
}

Watchdog::~Watchdog() {
  {
    MutexLock lock(&mu_);
    stop_ = true;
    cv_.SignalAll();
  }
  thread_.join();
}

void Watchdog::Arm(Armed armed) {
  MutexLock lock(&mu_);
  current_ = std::move(armed);
  armed_ = true;
  ++generation_;
  // Only an idle watchdog needs waking: a waiting one rechecks at its
  // deadline, which is never later than this step's (deadlines only grow).
  if (idle_) cv_.Signal();
}

void Watchdog::Blame(pid_t tid, std::string thread_name) {
  MutexLock lock(&mu_);
  current_.tid = tid;
  current_.thread_name = std::move(thread_name);
}

void Watchdog::Disarm() {
  MutexLock lock(&mu_);
  armed_ = false;
  ++generation_;
}

bool Watchdog::Ended(const Armed& fired) {
  MutexLock lock(&mu_);
  return generation_ != fired.generation;
}

void Watchdog::Loop() {
  BlockFuzzerSignals();
  pthread_setname_np(pthread_self(), "eg-watchdog");
  mu_.Lock();
  while (!stop_) {
    if (!armed_) {
      idle_ = true;
      cv_.Wait(&mu_);
      idle_ = false;
      continue;
    }
    uint64_t gen = generation_;
    absl::Time deadline = current_.deadline;
    // Arm/Disarm do not wake this wait (it keeps the conductor's hot path free
    // of context switches); only stop does.
    while (!stop_ && absl::Now() < deadline) cv_.WaitWithDeadline(&mu_, deadline);
    if (stop_ || !armed_ || generation_ != gen) continue;
    Armed fired = current_;
    fired.generation = gen;
    armed_ = false;
    mu_.Unlock();
    on_expire_(fired);  // normally does not return
    mu_.Lock();
  }
  mu_.Unlock();
}

}  // namespace endgame::run
