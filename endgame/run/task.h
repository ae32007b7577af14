// File: endgame/run/task.h
//
// TaskState: one asynchronous exec or destroy (`... as T`), shared between
// the conductor and the thread that runs it. The runner publishes when it
// starts (thread ident for async exceptions, tid and name for hang reports)
// and when it finishes; the conductor waits, cancels or abandons it.
#ifndef ENDGAME_RUN_TASK_H_
#define ENDGAME_RUN_TASK_H_

#include <sys/types.h>
#include <unistd.h>

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "endgame/base/mutex.h"
#include "absl/time/time.h"

namespace endgame::run {

class TaskState {
 public:
  enum class Kind { kExec, kDestroy };
  TaskState(std::string name, Kind kind, int64_t interp_id, bool with_cancel_pipe);
  ~TaskState();
  TaskState(const TaskState&) = delete;
  TaskState& operator=(const TaskState&) = delete;

  const std::string& name() const { return name_; }
  Kind kind() const { return kind_; }
  int64_t interp_id() const { return interp_id_; }
  // Read end of the cooperative cancel flag (-1 without one).
  int cancel_read_fd() const { return cancel_pipe_[0]; }

  // Runner side. Start() returns false when the task was cancelled before it
  // started (the runner then skips its work and calls Finish).
  bool Start(unsigned long py_ident, pid_t tid, std::string thread_name);
  void Finish(absl::Status status);

  // Conductor side.
  bool WaitDone(absl::Duration timeout);  // false on timeout
  bool done() const;
  // When Finish was called (absl::InfiniteFuture() while not done).
  absl::Time done_at() const;
  bool started() const;
  absl::Status status() const;
  unsigned long py_ident() const;
  pid_t tid() const;
  std::string thread_name() const;
  void RequestCancel();      // before start: never runs
  void RaiseCancelFlag();    // the *_poll snippets see it
  void Abandon();
  void ClearAbandon();  // a strategy refused the abandon
  bool abandoned() const;
  // The future of a Python strategy's exec (-1 for other strategies).
  void set_future(int64_t token);
  int64_t future() const;
  bool cancel_requested() const;

 private:
  const std::string name_;
  const Kind kind_;
  const int64_t interp_id_;
  int cancel_pipe_[2] = {-1, -1};
  mutable Mutex mu_;
  CondVar cv_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time done_at_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
  bool cancel_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool abandoned_ ABSL_GUARDED_BY(mu_) = false;
  int64_t future_ ABSL_GUARDED_BY(mu_) = -1;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  unsigned long py_ident_ ABSL_GUARDED_BY(mu_) = 0;
  pid_t tid_ ABSL_GUARDED_BY(mu_) = 0;
  std::string thread_name_ ABSL_GUARDED_BY(mu_);
};

}  // namespace endgame::run

#endif  // ENDGAME_RUN_TASK_H_
