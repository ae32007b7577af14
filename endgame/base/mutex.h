// File: endgame/base/mutex.h
//
// `Mutex`, `MutexLock` and `CondVar`: std::mutex and
// std::condition_variable_any with Clang thread-safety annotations, so that
// `ABSL_GUARDED_BY(mu_)` is checked by -Wthread-safety.
//
// Why not absl::Mutex: Debian's Abseil is a prebuilt shared library without
// ThreadSanitizer instrumentation. TSan cannot see absl::Mutex (or
// absl::Notification) synchronize, and reports false data races on whatever
// they guard. std::mutex goes through pthread_mutex_*, which TSan intercepts.
// Code that must be clean under the `tsan` preset uses these.
//
//   class Counter {
//    public:
//     void Add() { MutexLock lock(&mu_); ++n_; cv_.SignalAll(); }
//     bool WaitFor(int n, absl::Time deadline) {
//       MutexLock lock(&mu_);
//       while (n_ < n) {
//         if (cv_.WaitWithDeadline(&mu_, deadline)) return n_ >= n;  // timed out
//       }
//       return true;
//     }
//    private:
//     Mutex mu_;
//     CondVar cv_;
//     int n_ ABSL_GUARDED_BY(mu_) = 0;
//   };
#ifndef ENDGAME_BASE_MUTEX_H_
#define ENDGAME_BASE_MUTEX_H_

#include <condition_variable>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace endgame {

// Mutex is an annotated std::mutex. Constant-initialized, so it may be a
// global (`ABSL_CONST_INIT Mutex g_mu;`).
class ABSL_LOCKABLE Mutex {
 public:
  constexpr Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  void Unlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock(); }
  bool TryLock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) { return mu_.try_lock(); }

  // BasicLockable, for std::condition_variable_any (use Lock/Unlock).
  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  void unlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

// MutexLock holds a Mutex for its scope.
class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

// CondVar is a condition variable for Mutex. Waits may wake spuriously:
// wait in a loop on the condition.
class CondVar {
 public:
  // Wait() releases `mu` (held by the caller), waits for a signal, and
  // takes `mu` again.
  void Wait(Mutex* mu) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { cv_.wait(*mu); }

  // WaitWithDeadline() is Wait() that gives up at `deadline`; returns true
  // when it timed out.
  bool WaitWithDeadline(Mutex* mu, absl::Time deadline) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (deadline == absl::InfiniteFuture()) {
      cv_.wait(*mu);
      return false;
    }
    return cv_.wait_until(*mu, absl::ToChronoTime(deadline)) == std::cv_status::timeout;
  }

  // WaitWithTimeout() is WaitWithDeadline(mu, absl::Now() + timeout).
  bool WaitWithTimeout(Mutex* mu, absl::Duration timeout) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    return WaitWithDeadline(mu, timeout == absl::InfiniteDuration() ? absl::InfiniteFuture()
                                                                    : absl::Now() + timeout);
  }

  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable_any cv_;
};

}  // namespace endgame

#endif  // ENDGAME_BASE_MUTEX_H_
