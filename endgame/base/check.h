// File: endgame/base/check.h
//
// Always-on invariant checks and tiny status macros (Debian's Abseil 20220623
// has neither absl/log nor status macros).
//
//   ENDGAME_CHECK(cond) << ...          // not compiled out by NDEBUG; aborts with file:line
//   ENDGAME_RETURN_IF_ERROR(expr);       // returns a non-OK absl::Status
//   ENDGAME_ASSIGN_OR_RETURN(auto x, expr);  // unwraps an absl::StatusOr
#ifndef ENDGAME_BASE_CHECK_H_
#define ENDGAME_BASE_CHECK_H_

#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace endgame::base_internal {

// Collects the message of a failed check and aborts when destroyed.
class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* condition);
  [[noreturn]] ~CheckFailure();
  template <typename T>
  CheckFailure& operator<<(const T& v) {
    stream_ << v;
    return *this;
  }

 private:
  std::ostringstream stream_;
};

// Lets `cond ? (void)0 : Voidify() & CheckFailure(...) << x` type-check.
struct Voidify {
  // Takes a const reference so that a bare `ENDGAME_CHECK(c);` (a temporary
  // CheckFailure, no `<<`) compiles too.
  void operator&(const CheckFailure&) {}
};

}  // namespace endgame::base_internal

#define ENDGAME_CHECK(cond)                                  \
  (cond) ? (void)0                                           \
         : ::endgame::base_internal::Voidify() &             \
               ::endgame::base_internal::CheckFailure(__FILE__, __LINE__, #cond)

#define ENDGAME_STATUS_CONCAT_INNER_(a, b) a##b
#define ENDGAME_STATUS_CONCAT_(a, b) ENDGAME_STATUS_CONCAT_INNER_(a, b)

#define ENDGAME_RETURN_IF_ERROR(expr)                 \
  do {                                                \
    ::absl::Status endgame_status_ = (expr);          \
    if (!endgame_status_.ok()) return endgame_status_; \
  } while (0)

#define ENDGAME_ASSIGN_OR_RETURN(lhs, expr) \
  ENDGAME_ASSIGN_OR_RETURN_IMPL_(ENDGAME_STATUS_CONCAT_(endgame_statusor_, __LINE__), lhs, expr)
#define ENDGAME_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return std::move(tmp).status();       \
  lhs = std::move(tmp).value()

#endif  // ENDGAME_BASE_CHECK_H_
