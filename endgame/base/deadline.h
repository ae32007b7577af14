// File: endgame/base/deadline.h
//
// Defines `endgame::Deadline`, a point in time by which something must be
// done, and the arithmetic the harness needs around it (expired? time left?).
// Based on absl::Now(); an infinite duration gives a deadline that never
// expires.
//
//   Deadline d = Deadline::In(absl::Seconds(5));
//   while (!d.Expired() && !done) {
//     cv.WaitWithTimeout(&mu, d.Remaining());
//   }
#ifndef ENDGAME_BASE_DEADLINE_H_
#define ENDGAME_BASE_DEADLINE_H_

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace endgame {

class Deadline {
 public:
  // Deadline::In() returns the deadline `d` from now. A negative `d` gives an
  // already expired deadline; absl::InfiniteDuration() one that never expires.
  static Deadline In(absl::Duration d) { return Deadline(absl::Now() + d); }

  // Deadline::At() returns the deadline at `when`.
  static Deadline At(absl::Time when) { return Deadline(when); }

  // Deadline::Never() returns a deadline that never expires.
  static Deadline Never() { return Deadline(absl::InfiniteFuture()); }

  // Expired() tells whether the deadline has passed.
  bool Expired() const { return absl::Now() >= when_; }

  // Remaining() returns the time left, never negative (zero once expired;
  // absl::InfiniteDuration() for Never()).
  absl::Duration Remaining() const {
    if (when_ == absl::InfiniteFuture()) return absl::InfiniteDuration();
    absl::Duration left = when_ - absl::Now();
    return left < absl::ZeroDuration() ? absl::ZeroDuration() : left;
  }

  // when() returns the deadline's point in time.
  absl::Time when() const { return when_; }

 private:
  explicit Deadline(absl::Time when) : when_(when) {}

  absl::Time when_;
};

}  // namespace endgame

#endif  // ENDGAME_BASE_DEADLINE_H_
