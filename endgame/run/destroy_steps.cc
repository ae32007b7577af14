// The conductor's destroy step (internal/conductor.h): from the conductor, a
// thread of its own or a strategy's worker, synchronous or as a task; capi
// destroys of one interpreter taking turns; and the note of a destroy while
// exec tasks of its interpreter have not ended.
#include <pthread.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "endgame/base/signals.h"
#include "endgame/py/interp.h"
#include "endgame/py/runtime.h"
#include "endgame/run/internal/conductor.h"

namespace endgame::run::internal {

void Conductor::NoteRunningExecs(int64_t interp_id) {
  std::string note;
  {
    MutexLock lock(&mu_);
    // Not started yet counts too: a task whose job a worker already took
    // (sleeping its delay_us) enters the interpreter after the destroy
    // (1e290e90eae6: `exec a sleep delay_us=1578 as t1` then `destroy a`).
    std::vector<std::string> running;
    for (const auto& [name, t] : tasks_) {
      if (t->kind() == TaskState::Kind::kExec && t->interp_id() == interp_id && !t->done()) {
        running.push_back(name);
      }
    }
    if (running.empty()) return;
    note = absl::StrCat(kDestroyWhileRunning, ": a destroy of interpreter ", interp_id, " while exec task(s) ",
                        absl::StrJoin(running, ","), " still ran in it or were still to start");
    result_.notes.push_back(note);
  }
  if (options_.on_note) options_.on_note(note);
}

absl::Status Conductor::DestroyNow(int64_t interp_id, scenario::DestroyVia via,
                                   py::MainThreadState& main) {
  NoteRunningExecs(interp_id);
  strategy::Settled settled;
  if (strategy_->needs_attached()) {
    py::Attached attached(main);
    settled = strategy_->BeforeDestroy(interp_id);
  } else {
    settled = strategy_->BeforeDestroy(interp_id);
  }
  for (auto& [kind, s] : extra_strategies_) {
    if (s->BeforeDestroy(interp_id) == strategy::Settled::kAbandoned) settled = strategy::Settled::kAbandoned;
  }
  if (settled == strategy::Settled::kAbandoned) {
    MutexLock lock(&mu_);
    if (InterpSlot* slot = SlotById(interp_id)) slot->abandoned = true;
    return absl::DeadlineExceededError("bound expired: exec thread and interpreter abandoned");
  }
  // Two Py_EndInterpreter calls on one interpreter at once are the caller's
  // undefined behaviour (the second holds a pointer the first frees), not a
  // CPython finding: capi destroys of one interpreter take turns. The id-based
  // module and close destroys stay concurrent: that race is CPython's to handle.
  const bool by_pointer = via == scenario::DestroyVia::kCapi ||
                          (via == scenario::DestroyVia::kAuto && std::string(driver_->name()) == "capi");
  if (by_pointer) {
    MutexLock lock(&mu_);
    while (SlotById(interp_id) != nullptr && SlotById(interp_id)->destroying) destroyed_cv_.Wait(&mu_);
    InterpSlot* slot = SlotById(interp_id);
    if (slot != nullptr && !slot->alive) {
      return absl::FailedPreconditionError(absl::StrCat("interpreter ", interp_id, " was destroyed meanwhile"));
    }
    if (slot != nullptr) slot->destroying = true;
  }
  absl::Status s;
  {
    py::Attached attached(main);
    absl::StatusOr<py::Interp> interp = py::FindInterpreter(interp_id);
    s = interp.ok() ? driver_->Destroy(*interp, via)
                    : absl::FailedPreconditionError(absl::StrCat("interpreter ", interp_id, " is gone"));
  }
  MutexLock lock(&mu_);
  if (InterpSlot* slot = SlotById(interp_id)) {
    if (s.ok()) slot->alive = false;
    if (by_pointer) slot->destroying = false;
  }
  if (by_pointer) destroyed_cv_.SignalAll();
  return s;
}

StepOutcome Conductor::DoDestroy(const Step& st) {
  const std::optional<int64_t> alive = AliveId(st.interp);
  if (!alive) return NotAlive(st.interp);
  const int64_t id = *alive;
  bool async = !st.task.empty();
  if (st.from == scenario::DestroyFrom::kConductor && !async) {
    absl::Status s = DestroyNow(id, st.destroy_via, *main_);
    if (absl::IsDeadlineExceeded(s)) return StepOutcome::Of(StepOutcome::Kind::kAbandoned);
    return OutcomeOf(s);
  }
  auto task = std::make_shared<TaskState>(st.task, TaskState::Kind::kDestroy, id, false);
  scenario::DestroyVia via = st.destroy_via;
  int64_t delay_us = async ? st.delay_us : 0;
  auto body = [this, task, id, via, delay_us](py::MainThreadState& main, const std::string& thread_name) {
    if (delay_us > 0) absl::SleepFor(absl::Microseconds(delay_us));
    if (!task->Start(py::CurrentThreadIdent(), Gettid(), thread_name)) {
      task->Finish(absl::CancelledError("cancelled before it started"));
      return;
    }
    task->Finish(DestroyNow(id, via, main));
  };
  if (st.from == scenario::DestroyFrom::kWorker && strategy_->runs_code()) {
    return StepOutcome::Skipped(absl::StrCat(strategy_->name(), " has no worker the conductor can run a destroy on"));
  }
  if (st.from == scenario::DestroyFrom::kWorker) {
    strategy_->Submit(-1, [body](strategy::WorkerContext& ctx) { body(*ctx.main, ctx.thread_name); });
  } else {
    MutexLock lock(&mu_);
    destroy_threads_.emplace_back([body] {
      BlockFuzzerSignals();
      pthread_setname_np(pthread_self(), "eg-destroy");
      py::MainThreadState main;
      body(main, "destroy-thread");
    });
  }
  if (async) {
    MutexLock lock(&mu_);
    tasks_[st.task] = task;
    return StepOutcome::Of(StepOutcome::Kind::kStarted);
  }
  WaitTask(*task, absl::InfiniteDuration());
  if (absl::IsDeadlineExceeded(task->status())) return StepOutcome::Of(StepOutcome::Kind::kAbandoned);
  return OutcomeOf(task->status());
}

}  // namespace endgame::run::internal
