#include "endgame/run/watchdog.h"

#include <pthread.h>

#include "endgame/base/signals.h"

namespace endgame::run {

Watchdog::Watchdog(std::function<void(const Armed&)> on_expire) : on_expire_(std::move(on_expire)) {
  thread_ = std::thread([this] { Loop(); });
}

Watchdog::~Watchdog() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

void Watchdog::Arm(Armed armed) {
  absl::MutexLock lock(&mu_);
  current_ = std::move(armed);
  armed_ = true;
  ++generation_;
}

void Watchdog::Blame(pid_t tid, std::string thread_name) {
  absl::MutexLock lock(&mu_);
  current_.tid = tid;
  current_.thread_name = std::move(thread_name);
}

void Watchdog::Disarm() {
  absl::MutexLock lock(&mu_);
  armed_ = false;
  ++generation_;
}

void Watchdog::Loop() {
  BlockFuzzerSignals();
  pthread_setname_np(pthread_self(), "eg-watchdog");
  absl::MutexLock lock(&mu_);
  while (!stop_) {
    if (!armed_) {
      mu_.Await(absl::Condition(
          +[](Watchdog* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) { return w->stop_ || w->armed_; }, this));
      continue;
    }
    uint64_t gen = generation_;
    absl::Time deadline = current_.deadline;
    struct Ctx {
      Watchdog* w;
      uint64_t gen;
    } ctx{this, gen};
    bool changed = mu_.AwaitWithDeadline(
        absl::Condition(
            +[](Ctx* c) ABSL_NO_THREAD_SAFETY_ANALYSIS { return c->w->stop_ || c->w->generation_ != c->gen; }, &ctx),
        deadline);
    if (changed) continue;
    Armed fired = current_;
    armed_ = false;
    mu_.Unlock();
    on_expire_(fired);  // normally does not return
    mu_.Lock();
  }
}

}  // namespace endgame::run
