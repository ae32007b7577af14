// The conductor's steps and its drain (internal/conductor.h): one Do*() per step
// kind, dispatched by RunStep(); each returns the step's StepOutcome.
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "endgame/py/interp.h"
#include "endgame/py/interpreters_module.h"
#include "endgame/py/queues.h"
#include "endgame/py/runtime.h"
#include "endgame/run/internal/conductor.h"
#include "endgame/run/snippet_source.h"
#include "endgame/scenario/snippets.h"

namespace endgame::run::internal {

using scenario::StepKind;

pid_t Gettid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

Conductor::Conductor(const scenario::Scenario& s, const RunOptions& o)
    : scenario_(s),
      options_(o),
      spec_(o.strategy_override ? *o.strategy_override : s.strategy),
      driver_(driver::MakeDriver(s.driver)) {}

StepOutcome Conductor::RunStep(const Step& st) {
  switch (st.kind) {
    case StepKind::kSpawn: return DoSpawn(st);
    case StepKind::kExec: return DoExec(st);
    case StepKind::kWait: return DoWait(st);
    case StepKind::kCancel: return DoCancel(st);
    case StepKind::kDestroy: return DoDestroy(st);
    case StepKind::kSleep: absl::SleepFor(absl::Milliseconds(st.ms)); return StepOutcome::Ok();
    case StepKind::kGc: return DoGc(st);
    case StepKind::kFinalize: return DoFinalize();
    case StepKind::kQueue: return DoQueue(st);
    case StepKind::kPut:
    case StepKind::kGet: return DoPutGet(st);
    case StepKind::kShare: return DoShare(st);
    case StepKind::kCall: return DoCall(st);
    case StepKind::kClose: return DoClose(st);
    case StepKind::kExit: return DoExit(st);
    case StepKind::kFork: return DoFork(st);
  }
  return StepOutcome::Ok();
}

StepOutcome Conductor::NotAlive(const std::string& name) {
  return StepOutcome::Skipped(absl::StrCat("interpreter ", name, " is not alive"));
}

InterpSlot* Conductor::Slot(const std::string& name) {
  for (auto it = interps_.rbegin(); it != interps_.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

InterpSlot* Conductor::SlotById(int64_t id) {
  for (InterpSlot& slot : interps_) {
    if (slot.ref.id == id && slot.alive) return &slot;
  }
  return nullptr;
}

std::optional<int64_t> Conductor::AliveId(const std::string& name) {
  MutexLock lock(&mu_);
  InterpSlot* slot = Slot(name);
  if (slot == nullptr || !slot->alive) return std::nullopt;
  return slot->ref.id;
}

std::shared_ptr<TaskState> Conductor::FindTask(const std::string& name) {
  MutexLock lock(&mu_);
  auto it = tasks_.find(name);
  return it == tasks_.end() ? nullptr : it->second;
}

strategy::Strategy& Conductor::StrategyFor(scenario::ExecOn on) {
  if (on == scenario::ExecOn::kStrategy) return *strategy_;
  scenario::StrategyKind kind =
      on == scenario::ExecOn::kCache ? scenario::StrategyKind::kCache : scenario::StrategyKind::kDedicated;
  if (kind == spec_.kind) return *strategy_;
  std::unique_ptr<strategy::Strategy>& s = extra_strategies_[kind];
  if (s == nullptr) {
    scenario::StrategySpec spec;
    spec.kind = kind;
    s = *strategy::MakeStrategy(spec);
  }
  return *s;
}

strategy::Job Conductor::ExecJob(std::shared_ptr<TaskState> task, int64_t interp_id, std::string code,
                                 int64_t delay_us) {
  std::shared_ptr<driver::Driver> drv = driver_;
  return [task, interp_id, code = std::move(code), delay_us, drv](strategy::WorkerContext& ctx) {
    if (delay_us > 0) absl::SleepFor(absl::Microseconds(delay_us));
    pthread_setname_np(pthread_self(), absl::StrCat("eg-", ctx.thread_name).substr(0, 15).c_str());
    if (!task->Start(py::CurrentThreadIdent(), Gettid(), ctx.thread_name)) {
      task->Finish(absl::CancelledError("cancelled before it started"));
      return;
    }
    absl::Status status;
    {
      py::Attached attached(*ctx.main);
      // Resolved now, by id: an asynchronous destroy may have run meanwhile.
      absl::StatusOr<py::Interp> interp = py::FindInterpreter(interp_id);
      status = interp.ok() ? drv->Exec(*interp, code, ctx.tstate, *ctx.exec_state)
                           : absl::FailedPreconditionError(absl::StrCat("interpreter ", interp_id, " is gone"));
    }
    task->Finish(status);
  };
}

bool Conductor::WaitTask(TaskState& task, absl::Duration timeout) {
  absl::Time until = timeout == absl::InfiniteDuration() ? absl::InfiniteFuture() : absl::Now() + timeout;
  bool blamed = false;
  while (true) {
    absl::Duration slice = std::min(absl::Milliseconds(50), until - absl::Now());
    if (task.WaitDone(std::max(slice, absl::ZeroDuration()))) return true;
    if (!blamed && task.started() && task.tid() != 0) {  // 0: a Python strategy's thread
      watchdog_->Blame(task.tid(), task.thread_name());
      blamed = true;
    }
    if (absl::Now() >= until) return false;
  }
}

StepOutcome Conductor::DoSpawn(const Step& st) {
  absl::StatusOr<driver::InterpRef> ref;
  {
    py::Attached attached(*main_);
    ref = driver_->Create(driver::ToFlags(st.config));
  }
  if (!ref.ok()) return OutcomeOf(ref.status());
  MutexLock lock(&mu_);
  interps_.push_back(InterpSlot{st.interp, *ref, true, false});
  return StepOutcome::Ok();
}

StepOutcome Conductor::DoExec(const Step& st) {
  int64_t target = -1;
  if (const std::string* name = scenario::NestedTarget(st.snippet)) {
    MutexLock lock(&mu_);
    if (InterpSlot* slot = Slot(*name)) target = slot->ref.id;  // its latest spawn, alive or not
  }
  return StartExec(
      st, [&](int fd) { return SnippetSource(st.snippet, SnippetContext{fd, target}); },
      st.snippet.kind == scenario::SnippetKind::kBusyPoll);
}

StepOutcome Conductor::DoQueue(const Step& st) {
  absl::StatusOr<int64_t> qid;
  {
    py::Attached attached(*main_);
    qid = st.channel ? py::CreateChannel(UnboundOp(st.unbound)) : py::CreateQueue(st.maxsize, UnboundOp(st.unbound));
    if (qid.ok() && !st.channel) {
      if (absl::Status bound = py::BindQueue(*qid); !bound.ok()) qid = bound;
    }
  }
  if (!qid.ok()) return OutcomeOf(qid.status());
  queues_[st.queue] = ScenarioQueue{st.queue, *qid, st.unbound, {}, st.channel};
  return StepOutcome::Ok();
}

StepOutcome Conductor::DoClose(const Step& st) {
  auto it = queues_.find(st.queue);
  if (it == queues_.end()) return StepOutcome::Skipped(absl::StrCat("channel ", st.queue, " was not created"));
  py::Attached attached(*main_);
  return OutcomeOf(py::RunAttached(CloseSource(it->second.qid, st.force)));
}

StepOutcome Conductor::DoFork(const Step& st) {
  // os.fork() in the main interpreter, on this thread, while the
  // subinterpreters live and their tasks run: the child's end is judged as a
  // fork snippet's (NoteForkChildLocked).
  py::Attached attached(*main_);
  return OutcomeOf(py::RunAttached(ForkSource(st.ms)));
}

StepOutcome Conductor::DoPutGet(const Step& st) {
  auto it = queues_.find(st.queue);
  if (it == queues_.end()) return StepOutcome::Skipped(absl::StrCat("queue ", st.queue, " was not created"));
  const int64_t qid = it->second.qid;
  const bool put = st.kind == StepKind::kPut;
  const scenario::Unbound unbound = it->second.unbound;
  const bool channel = it->second.channel;
  std::shared_ptr<TaskState> task;
  StepOutcome status = StartExec(
      st,
      [&](int) {
        if (channel) return put ? SendSource(qid, st.value, HandleQid(st.value)) : RecvSource(qid, st.timeout_ms);
        return put ? PutSource(qid, st.value, unbound, HandleQid(st.value)) : GetSource(qid, st.timeout_ms);
      },
      false, &task);
  it->second.ops.emplace_back(put, task);
  return status;
}

StepOutcome Conductor::DoShare(const Step& st) {
  const std::optional<int64_t> alive = AliveId(st.interp);
  if (!alive) return NotAlive(st.interp);
  const int64_t id = *alive;
  py::Attached attached(*main_);
  absl::StatusOr<py::InterpretersModule> m = py::InterpretersModule::Load();
  if (!m.ok()) return OutcomeOf(m.status());
  return OutcomeOf(m->Share(id, st.attr, ValueSource(st.value, HandleQid(st.value))));
}

StepOutcome Conductor::DoCall(const Step& st) {
  const std::optional<int64_t> alive = AliveId(st.interp);
  if (!alive) return NotAlive(st.interp);
  py::Attached attached(*main_);
  return OutcomeOf(py::RunAttached(CallSource(absl::StrCat(*alive), st, HandleQid(st.value))));
}

int64_t Conductor::HandleQid(const scenario::Value& v) const {
  if (v.kind != scenario::Value::Kind::kQueue) return -1;
  auto it = queues_.find(v.text);
  return it == queues_.end() ? -1 : it->second.qid;
}

StepOutcome Conductor::StartExec(const Step& st, const std::function<std::string(int cancel_fd)>& make_code,
                                 bool polls, std::shared_ptr<TaskState>* started) {
  const std::optional<int64_t> alive = AliveId(st.interp);
  if (!alive) return NotAlive(st.interp);
  const int64_t id = *alive;
  bool async = !st.task.empty();
  auto task = std::make_shared<TaskState>(st.task, TaskState::Kind::kExec, id, polls);
  if (started != nullptr) *started = task;
  const std::string code = make_code(task->cancel_read_fd());
  strategy::Job job = ExecJob(task, id, code, async ? st.delay_us : 0);
  strategy::Strategy* runner = st.on == scenario::ExecOn::kConductor ? nullptr : &StrategyFor(st.on);
  if (runner != nullptr && runner->runs_code()) {
    // A Python strategy runs the code on its own threads; the future's done
    // callback finishes the task. A future that ends as cancelled after an
    // abandon does not end the exec: the strategy only stopped waiting.
    task->Start(0, 0, runner->name());
    absl::StatusOr<int64_t> future;
    {
      py::Attached attached(*main_);
      future = runner->SubmitCode(id, code, [task](absl::Status s) {
        if (task->abandoned() && absl::IsCancelled(s)) return;
        task->Finish(std::move(s));
      });
    }
    if (future.ok()) {
      task->set_future(*future);
    } else {
      task->Finish(future.status());
    }
  } else if (st.on == scenario::ExecOn::kConductor) {
    driver::ExecState state;
    strategy::WorkerContext wctx{main_.get(), &state, scenario::TstateMode::kPerCall, "conductor"};
    job(wctx);
  } else {
    runner->Submit(id, std::move(job));
  }
  if (async) {
    MutexLock lock(&mu_);
    tasks_[st.task] = task;
    return StepOutcome::Of(StepOutcome::Kind::kStarted);
  }
  WaitTask(*task, absl::InfiniteDuration());
  return OutcomeOf(task->status());
}

StepOutcome Conductor::DoWait(const Step& st) {
  std::shared_ptr<TaskState> task = FindTask(st.task);
  if (task == nullptr) return StepOutcome::Skipped(absl::StrCat("no task ", st.task));
  absl::Duration timeout = st.timeout_ms > 0 ? absl::Milliseconds(st.timeout_ms) : absl::InfiniteDuration();
  if (!WaitTask(*task, timeout)) return StepOutcome::Of(StepOutcome::Kind::kTimeout);
  return OutcomeOf(task->status());
}

StepOutcome Conductor::DoGc(const Step& st) {
  const std::optional<int64_t> alive = AliveId(st.interp);
  if (!alive) return NotAlive(st.interp);
  const int64_t id = *alive;
  py::Attached attached(*main_);
  absl::StatusOr<py::Interp> interp = py::FindInterpreter(id);
  if (!interp.ok()) return StepOutcome::Skipped("interpreter is gone");
  return OutcomeOf(driver_->Gc(*interp));
}

StepOutcome Conductor::DoFinalize() {
  main_.reset();  // the initializing thread's state is adopted, not owned
  absl::Status s = py::FinalizeRuntime();
  finalized_ = true;
  return OutcomeOf(s);
}

StepOutcome Conductor::DoExit(const Step& st) {
  // What the end of a Python program does (Py_Exit): finalize with
  // everything alive, then end the process. Nothing is joined or destroyed
  // first, and the step never ends: the process does.
  main_.reset();
  absl::Status s = py::FinalizeRuntime();
  finalized_ = true;
  options_.on_exit(s.ok() ? static_cast<int>(st.code) : 120);
  return OutcomeOf(absl::InternalError("the exit callback returned"));
}

void Conductor::Drain() {
  BeginStep(-1, "drain", "(end of scenario: join tasks, destroy interpreters, stop the strategy)");
  std::map<std::string, std::shared_ptr<TaskState>> tasks;
  {
    MutexLock lock(&mu_);
    tasks = tasks_;
  }
  bool poisoned = false;
  std::map<int64_t, bool> busy;  // interpreters with a task still running
  std::map<int64_t, bool> given_up;  // interpreters a bounded join abandoned
  {
    MutexLock lock(&mu_);
    for (const InterpSlot& slot : interps_) given_up[slot.ref.id] |= slot.abandoned;
  }
  std::vector<std::string> abandoned_running;  // cancelled via=abandon and still running
  for (auto& [name, task] : tasks) {
    // Tasks cancelled with via=abandon, and tasks inside an interpreter that a
    // bounded join gave up on, are not waited for.
    if (task->abandoned() || given_up[task->interp_id()]) {
      if (!task->done()) {
        poisoned = true;
        busy[task->interp_id()] = true;
        if (task->abandoned()) abandoned_running.push_back(name);
      }
      continue;
    }
    WaitTask(*task, absl::InfiniteDuration());
    // A fork task nobody waited for: its child's end counts all the same.
    const StepOutcome end = OutcomeOf(task->status());
    if (end.kind == StepOutcome::Kind::kError) {
      MutexLock lock(&mu_);
      for (size_t i = 0; i < scenario_.steps.size(); ++i) {
        if (scenario_.steps[i].kind == StepKind::kExec && scenario_.steps[i].task == name) {
          NoteForkChildLocked(static_cast<int>(i), end);
        }
      }
    }
  }
  {
    MutexLock lock(&mu_);
    for (std::thread& t : destroy_threads_) t.join();
    destroy_threads_.clear();
  }
  if (!finalized_) {
    std::vector<std::pair<std::string, InterpSlot>> alive;
    {
      MutexLock lock(&mu_);
      for (const InterpSlot& slot : interps_) {
        if (slot.alive && !slot.abandoned && !busy[slot.ref.id]) alive.emplace_back(slot.name, slot);
        if (slot.abandoned || busy[slot.ref.id]) poisoned = true;
      }
    }
    for (auto& [name, slot] : alive) {
      absl::Status s = DestroyNow(slot.ref.id, scenario::DestroyVia::kAuto, *main_);
      if (absl::IsDeadlineExceeded(s)) poisoned = true;
    }
  }
  if (strategy_ && strategy_->abandoned_threads() > 0) poisoned = true;
  for (auto& [kind, s] : extra_strategies_) poisoned |= s->abandoned_threads() > 0;
  if (strategy_->needs_attached()) {
    // A Python strategy: shutdown() once, attached; then it is released.
    // After `finalize` there is no Python left to call: it is leaked.
    if (finalized_) {
      strategy_.release();
    } else {
      py::Attached attached(*main_);
      if (poisoned) {
        strategy_->AbandonAll();
      } else {
        strategy_->Shutdown();
      }
      lingering_ = strategy_->Lingering();
      strategy_.reset();
    }
  } else if (poisoned) {
    strategy_->AbandonAll();
  } else {
    strategy_->Shutdown();
  }
  for (auto& [kind, s] : extra_strategies_) {
    if (poisoned) {
      s->AbandonAll();
    } else {
      s->Shutdown();
    }
  }
  {
    MutexLock lock(&mu_);
    result_.poisoned = poisoned;
    for (const PendingCancel& c : cancels_) result_.cancels.push_back(CancelRecordOf(c));
    cancels_.clear();
    // Closes the tasks' cancel pipes; a job still running keeps its own task alive.
    tasks_.clear();
  }
  // run/expected.cc reads "abandoned tasks left running": what they leave behind is expected.
  EndStep(!abandoned_running.empty()
              ? StepOutcome::Ok(absl::StrCat("threads left running; abandoned tasks left running: ",
                                             absl::StrJoin(abandoned_running, ", ")))
          : poisoned ? StepOutcome::Ok("threads left running")
                     : StepOutcome::Ok());
}

}  // namespace endgame::run::internal
