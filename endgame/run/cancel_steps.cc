// The conductor's cancel step (internal/conductor.h): a cancel via async_exc,
// flag or abandon, through a Python strategy's cancel() when it runs the
// task; and the cancel latency the drain records (RunResult::cancels).
#include "absl/strings/str_cat.h"
#include "endgame/py/interp.h"
#include "endgame/run/internal/conductor.h"
#include "endgame/scenario/names.h"

namespace endgame::run::internal {

// Issues the cancel, and remembers it for the cancel latency: from here to
// the task's end (or, via=abandon, to when the conductor stops waiting).
StepOutcome Conductor::DoCancel(const Step& st) {
  const absl::Time issued = absl::Now();
  std::shared_ptr<TaskState> task = FindTask(st.task);
  const bool running = task != nullptr && !task->done();
  StepOutcome status = CancelTask(st, task);
  if (running && status.ok() && status.detail != "already done") {
    PendingCancel c{current_step_, st.via, task, issued};
    if (st.via == scenario::CancelVia::kAbandon) c.abandoned = absl::Now();
    MutexLock lock(&mu_);
    cancels_.push_back(std::move(c));
  }
  return status;
}

StepOutcome Conductor::CancelTask(const Step& st, const std::shared_ptr<TaskState>& task) {
  if (task == nullptr) return StepOutcome::Skipped(absl::StrCat("no task ", st.task));
  if (task->done()) return StepOutcome::Ok("already done");
  if (task->future() >= 0) return CancelThroughStrategy(*task, st.via);
  switch (st.via) {
    case scenario::CancelVia::kAbandon:
      task->Abandon();
      return StepOutcome::Ok("abandoned");
    case scenario::CancelVia::kFlag:
      task->RaiseCancelFlag();
      return StepOutcome::Ok(task->started() ? "flag raised" : "cancelled before start");
    case scenario::CancelVia::kAsyncExc:
      break;
  }
  task->RequestCancel();
  if (!task->started()) return StepOutcome::Ok("cancelled before start");
  // The exec thread may not have entered the interpreter yet, or may be
  // between calls: retry until the exception lands or the task ends.
  while (!task->done()) {
    absl::StatusOr<int> n;
    {
      py::Attached attached(*main_);
      absl::StatusOr<py::Interp> interp = py::FindInterpreter(task->interp_id());
      if (!interp.ok()) return StepOutcome::Skipped("interpreter is gone");
      n = py::SetAsyncExc(*interp, task->py_ident(), "KeyboardInterrupt");
    }
    if (!n.ok()) return OutcomeOf(n.status());
    if (*n > 0) return StepOutcome::Ok("async exception set");
    task->WaitDone(absl::Microseconds(200));
  }
  return StepOutcome::Ok("already done");
}

// A Python strategy's exec: the strategy's cancel(future, via) does its
// part (NotImplementedError: it does not offer `via`, and the step is
// skipped); the conductor then abandons the task or raises the cooperative
// flag the *_poll snippets read, as for every strategy.
StepOutcome Conductor::CancelThroughStrategy(TaskState& task, scenario::CancelVia via) {
  const bool abandon = via == scenario::CancelVia::kAbandon;
  if (abandon) task.Abandon();  // before the strategy can complete the future
  absl::Status s;
  {
    py::Attached attached(*main_);
    s = strategy_->Cancel(task.future(), via);
  }
  if (!s.ok()) {
    if (abandon) task.ClearAbandon();
    if (absl::IsUnimplemented(s)) {
      return StepOutcome::Skipped(absl::StrCat(strategy_->name(), " does not offer cancel via=", std::string(scenario::NameOf(via))));
    }
    return OutcomeOf(s);
  }
  switch (via) {
    case scenario::CancelVia::kAbandon: return StepOutcome::Ok("abandoned");
    case scenario::CancelVia::kFlag:
      task.RaiseCancelFlag();
      return StepOutcome::Ok("flag raised");
    case scenario::CancelVia::kAsyncExc: break;
  }
  return StepOutcome::Ok("cancel requested");
}

CancelRecord Conductor::CancelRecordOf(const PendingCancel& c) {
  CancelRecord rec;
  rec.step = c.step;
  rec.via = std::string(scenario::NameOf(c.via));
  std::shared_ptr<TaskState> task = c.task.lock();
  absl::Time end = task != nullptr ? task->done_at() : absl::InfiniteFuture();
  if (c.via == scenario::CancelVia::kAbandon) {
    rec.outcome = "abandoned";
    end = c.abandoned;
  } else {
    rec.outcome = end == absl::InfiniteFuture() ? "running" : "ended";
  }
  if (end != absl::InfiniteFuture()) rec.latency_us = absl::ToInt64Microseconds(end - c.issued);
  return rec;
}

}  // namespace endgame::run::internal
