#include "endgame/run/task.h"

#include <fcntl.h>

#include "endgame/base/check.h"

namespace endgame::run {

TaskState::TaskState(std::string name, Kind kind, int64_t interp_id, bool with_cancel_pipe)
    : name_(std::move(name)), kind_(kind), interp_id_(interp_id) {
  if (with_cancel_pipe) ENDGAME_CHECK(pipe2(cancel_pipe_, O_CLOEXEC) == 0) << "pipe2 failed";
}

TaskState::~TaskState() {
  for (int fd : cancel_pipe_) {
    if (fd >= 0) close(fd);
  }
}

bool TaskState::Start(unsigned long py_ident, pid_t tid, std::string thread_name) {
  MutexLock lock(&mu_);
  py_ident_ = py_ident;
  tid_ = tid;
  thread_name_ = std::move(thread_name);
  if (cancel_requested_) return false;
  started_ = true;
  return true;
}

void TaskState::Finish(absl::Status status) {
  MutexLock lock(&mu_);
  status_ = std::move(status);
  done_ = true;
  done_at_ = absl::Now();
  cv_.SignalAll();
}

bool TaskState::WaitDone(absl::Duration timeout) {
  absl::Time until = timeout == absl::InfiniteDuration() ? absl::InfiniteFuture() : absl::Now() + timeout;
  MutexLock lock(&mu_);
  while (!done_ && absl::Now() < until) cv_.WaitWithDeadline(&mu_, until);
  return done_;
}

bool TaskState::done() const {
  MutexLock lock(&mu_);
  return done_;
}

absl::Time TaskState::done_at() const {
  MutexLock lock(&mu_);
  return done_at_;
}

bool TaskState::started() const {
  MutexLock lock(&mu_);
  return started_;
}

absl::Status TaskState::status() const {
  MutexLock lock(&mu_);
  return status_;
}

unsigned long TaskState::py_ident() const {
  MutexLock lock(&mu_);
  return py_ident_;
}

pid_t TaskState::tid() const {
  MutexLock lock(&mu_);
  return tid_;
}

std::string TaskState::thread_name() const {
  MutexLock lock(&mu_);
  return thread_name_;
}

void TaskState::RequestCancel() {
  MutexLock lock(&mu_);
  cancel_requested_ = true;
}

void TaskState::RaiseCancelFlag() {
  RequestCancel();
  if (cancel_pipe_[1] >= 0) {
    char c = 1;
    ssize_t n = write(cancel_pipe_[1], &c, 1);
    (void)n;
  }
}

void TaskState::ClearAbandon() {
  MutexLock lock(&mu_);
  abandoned_ = false;
}

void TaskState::set_future(int64_t token) {
  MutexLock lock(&mu_);
  future_ = token;
}

int64_t TaskState::future() const {
  MutexLock lock(&mu_);
  return future_;
}

void TaskState::Abandon() {
  MutexLock lock(&mu_);
  abandoned_ = true;
}

bool TaskState::abandoned() const {
  MutexLock lock(&mu_);
  return abandoned_;
}

bool TaskState::cancel_requested() const {
  MutexLock lock(&mu_);
  return cancel_requested_;
}

}  // namespace endgame::run
