#include "endgame/run/conductor.h"

#include <malloc.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <optional>
#include <map>
#include <mutex>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "endgame/base/check.h"
#include "endgame/base/mutex.h"
#include "endgame/base/proc.h"
#include "endgame/base/signals.h"
#include "endgame/base/stacks.h"
#include "endgame/base/stats.h"
#include "endgame/driver/driver.h"
#include "endgame/py/capabilities.h"
#include "endgame/py/error.h"
#include "endgame/py/interp.h"
#include "endgame/py/interpreters_module.h"
#include "endgame/py/queues.h"
#include "endgame/py/runtime.h"
#include "endgame/py/thread_state.h"
#include "endgame/run/expected.h"
#include "endgame/run/queue_oracle.h"
#include "endgame/run/snippet_source.h"
#include "endgame/run/task.h"
#include "endgame/run/watchdog.h"
#include "endgame/scenario/names.h"
#include "endgame/scenario/snippets.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/text.h"
#include "endgame/strategy/strategy.h"

namespace endgame::run {
namespace {

using scenario::Scenario;
using scenario::Step;
using scenario::StepKind;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitizedBuild = true;
#else
constexpr bool kSanitizedBuild = false;
#endif
#else
constexpr bool kSanitizedBuild = false;
#endif

pid_t Gettid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

// A status as a step status word: "ok" or "error <Type>: message".
std::string StatusText(const absl::Status& s) {
  if (s.ok()) return "ok";
  std::string type = py::PythonExceptionType(s);
  if (!type.empty()) {
    std::string msg(s.message());
    size_t at = msg.find(type);
    std::string text = at == std::string::npos ? msg : msg.substr(at);
    while (!text.empty() && (text.back() == ' ' || text.back() == ':')) text.pop_back();
    return absl::StrCat("error ", text);
  }
  if (s.code() == absl::StatusCode::kCancelled) return absl::StrCat("cancelled: ", s.message());
  if (s.code() == absl::StatusCode::kUnimplemented) return absl::StrCat("skipped: ", s.message());
  return absl::StrCat("error ", absl::StatusCodeToString(s.code()), ": ", s.message());
}

const py::Capabilities& Caps() {
  static const py::Capabilities* caps = [] {
    absl::StatusOr<py::Capabilities> c = py::DetectCapabilities();
    ENDGAME_CHECK(c.ok()) << c.status().ToString();
    return new py::Capabilities(*c);
  }();
  return *caps;
}

// Why this CPython cannot run the scenario, or "".
// What a step needs that only CPython 3.13+ has, or nullptr.
const char* Needs313(const Step& st) {
  switch (st.kind) {
    case StepKind::kQueue: return "queue steps need _interpqueues";
    case StepKind::kShare: return "share steps need _interpreters.set___main___attrs";
    case StepKind::kExec:
      return scenario::NestedTarget(st.snippet) != nullptr ? "nested execs need _interpreters in the interpreter"
                                                            : nullptr;
    default: return nullptr;
  }
}

std::string Unmet(const Scenario& s) {
  const py::Capabilities& caps = Caps();
  for (const scenario::Requirement& r : s.requires_) {
    if (r.kind == scenario::Requirement::Kind::kCapability) {
      if (!caps.Has(r.capability)) return absl::StrCat("requires ", r.capability);
      continue;
    }
    int have[3] = {caps.major, caps.minor, caps.micro};
    int want[3] = {r.major, r.minor, r.micro < 0 ? 0 : r.micro};
    int n = r.micro < 0 ? 2 : 3;
    int cmp = 0;
    for (int i = 0; i < n && cmp == 0; ++i) cmp = (have[i] > want[i]) - (have[i] < want[i]);
    bool ok = false;
    switch (r.op) {
      case scenario::Requirement::Op::kGe: ok = cmp >= 0; break;
      case scenario::Requirement::Op::kGt: ok = cmp > 0; break;
      case scenario::Requirement::Op::kLe: ok = cmp <= 0; break;
      case scenario::Requirement::Op::kLt: ok = cmp < 0; break;
      case scenario::Requirement::Op::kEq: ok = cmp == 0; break;
      case scenario::Requirement::Op::kNe: ok = cmp != 0; break;
    }
    if (!ok) {
      return absl::StrCat("requires python ", r.major, ".", r.minor, r.micro >= 0 ? absl::StrCat(".", r.micro) : "",
                          " (have ", caps.version, ")");
    }
  }
  if (s.driver == scenario::Driver::kInterpreters && caps.interpreters_module.empty()) {
    return "driver interpreters needs an interpreters module";
  }
  if (caps.major == 3 && caps.minor < 13) {
    for (const Step& st : s.steps) {
      if (const char* needs = Needs313(st)) return absl::StrCat(needs, " (CPython 3.13+; have ", caps.version, ")");
    }
  }
  return "";
}

struct InterpSlot {
  std::string name;
  driver::InterpRef ref;
  bool alive = false;
  bool abandoned = false;
  // A capi destroy is under way: a second one waits for it instead of handing
  // Py_EndInterpreter a PyInterpreterState that the first one is freeing.
  bool destroying = false;
};

struct Baseline {
  ResourceSnapshot resources;
  int interpreters = 0;
  int main_tstates = 0;
  py::MemoryCounters memory;
};

class Conductor {
 public:
  Conductor(const Scenario& s, const RunOptions& o)
      : scenario_(s),
        options_(o),
        spec_(o.strategy_override ? *o.strategy_override : s.strategy),
        driver_(driver::MakeDriver(s.driver)) {}

  RunResult Run();

 private:
  // Steps.
  std::string DoSpawn(const Step& st);
  std::string DoExec(const Step& st);
  // Runs `code` in st.interp as exec step `st` does (on its strategy, `as`
  // when st.task is set); `polls` when the code reads the cancel flag.
  std::string StartExec(const Step& st, const std::function<std::string(int cancel_fd)>& code, bool polls,
                        std::shared_ptr<TaskState>* started = nullptr);
  std::string DoQueue(const Step& st);
  std::string DoPutGet(const Step& st);
  std::string DoShare(const Step& st);
  // After the drain: the queue oracles' records; then every queue is destroyed.
  void JudgeAndDestroyQueues();
  std::string DoWait(const Step& st);
  std::string DoCancel(const Step& st);
  std::string CancelTask(const Step& st, const std::shared_ptr<TaskState>& task);
  std::string CancelThroughStrategy(TaskState& task, scenario::CancelVia via);
  std::string DoDestroy(const Step& st);
  std::string DoGc(const Step& st);
  std::string DoFinalize();
  void Drain();
  void RunOracles(const Baseline& before);
  Baseline TakeBaseline();

  strategy::Strategy& StrategyFor(scenario::ExecOn on);
  strategy::Job ExecJob(std::shared_ptr<TaskState> task, int64_t interp_id, std::string code, int64_t delay_us);
  // Records a kDestroyWhileRunning note when exec tasks of it have not ended
  // (running, or still to start).
  void NoteRunningExecs(int64_t interp_id);
  absl::Status DestroyNow(int64_t interp_id, scenario::DestroyVia via,
                          py::MainThreadState& main);
  // Waits for a task, naming its thread to the watchdog; false on timeout.
  bool WaitTask(TaskState& task, absl::Duration timeout);
  InterpSlot* Slot(const std::string& name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  InterpSlot* SlotById(int64_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The id of the latest spawn of `name` while it is alive; NotAlive is the
  // status of a step that finds it is not.
  std::optional<int64_t> AliveId(const std::string& name);
  static std::string NotAlive(const std::string& name) {
    return absl::StrCat("skipped: interpreter ", name, " is not alive");
  }
  std::shared_ptr<TaskState> FindTask(const std::string& name);

  void BeginStep(int index, const std::string& kind, const std::string& text);
  void EndStep(const std::string& status);
  void OnHang(const Watchdog::Armed& armed);
  int64_t SinceStartUs() const { return absl::ToInt64Microseconds(absl::Now() - start_); }

  const Scenario& scenario_;
  const RunOptions& options_;
  const scenario::StrategySpec spec_;
  std::shared_ptr<driver::Driver> driver_;
  std::unique_ptr<strategy::Strategy> strategy_;
  std::map<scenario::StrategyKind, std::unique_ptr<strategy::Strategy>> extra_strategies_;
  std::unique_ptr<py::MainThreadState> main_;
  // Threads a Python strategy keeps that end by themselves (idle pool
  // workers): not counted by the thread oracles.
  std::vector<int64_t> lingering_;
  std::unique_ptr<Watchdog> watchdog_;
  // The same watchdog for OnHang, which runs on its thread and may still run
  // while watchdog_.reset() joins it (reset() clears watchdog_ first). Set
  // before the first Arm, whose lock orders it before any OnHang.
  Watchdog* dog_ = nullptr;
  absl::Time start_ = absl::Now();
  pid_t conductor_tid_ = Gettid();
  bool finalized_ = false;

  Mutex mu_;
  CondVar destroyed_cv_;  // a capi destroy ended (InterpSlot::destroying)
  // Every interpreter spawned, in order; a name refers to its latest spawn
  // (a failed destroy followed by a respawn leaves the old one here, so the
  // drain still destroys it).
  std::deque<InterpSlot> interps_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::shared_ptr<TaskState>> tasks_ ABSL_GUARDED_BY(mu_);
  // Cancel steps that found their task running: the task (weak: its cancel
  // pipe closes with the drain), when the step started, and for via=abandon
  // when the conductor stopped waiting. Turned into result_.cancels by the drain.
  struct PendingCancel {
    int step;
    scenario::CancelVia via;
    std::weak_ptr<TaskState> task;
    absl::Time issued, abandoned = absl::InfiniteFuture();
  };
  std::vector<PendingCancel> cancels_ ABSL_GUARDED_BY(mu_);
  int current_step_ = 0;  // conductor thread only
  // The scenario's queues by name (conductor thread only): id, unbound op,
  // and its puts and gets with their tasks, in step order.
  struct QueueSlot {
    int64_t qid = -1;
    scenario::Unbound unbound = scenario::Unbound::kReplace;
    std::vector<std::pair<bool, std::shared_ptr<TaskState>>> ops;  // (is put, task)
  };
  std::map<std::string, QueueSlot> queues_;
  std::vector<std::thread> destroy_threads_ ABSL_GUARDED_BY(mu_);
  RunResult result_ ABSL_GUARDED_BY(mu_);
  std::string first_error_ ABSL_GUARDED_BY(mu_);
  std::string first_error_step_ ABSL_GUARDED_BY(mu_);
  int first_error_index_ ABSL_GUARDED_BY(mu_) = -1;
};

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

void Conductor::BeginStep(int index, const std::string& kind, const std::string& text) {
  StepRecord r;
  r.index = index;
  r.kind = kind;
  r.text = text;
  r.start_us = SinceStartUs();
  r.status = "running";
  {
    MutexLock lock(&mu_);
    result_.steps.push_back(r);
  }
  if (options_.on_step) options_.on_step(r);
  int64_t deadline_ms = scenario_.deadline_ms;
  watchdog_->Arm({index, kind, absl::Now() + absl::Milliseconds(deadline_ms), conductor_tid_, "conductor"});
}

void Conductor::EndStep(const std::string& status) {
  watchdog_->Disarm();
  StepRecord r;
  {
    MutexLock lock(&mu_);
    StepRecord& last = result_.steps.back();
    last.duration_us = SinceStartUs() - last.start_us;
    last.status = status;
    r = last;
    // Errors the APIs reported (not the snippets' own exceptions) give the
    // `error` verdict; a cancelled exec's exception is expected.
    // A nested exec's error is the inner _interpreters.exec's.
    bool api_step = r.kind == "spawn" || r.kind == "destroy" || r.kind == "gc" || r.kind == "queue" ||
                    r.kind == "put" || r.kind == "get" || r.kind == "share" ||
                    (r.kind == "exec" && r.index >= 0 && r.index < static_cast<int>(scenario_.steps.size()) &&
                     scenario::NestedTarget(scenario_.steps[r.index].snippet) != nullptr);
    if (first_error_.empty() && absl::StartsWith(status, "error ") && api_step) {
      first_error_ = status.substr(6);
      first_error_step_ = r.kind;
      first_error_index_ = r.index;
    }
  }
  if (options_.on_step) options_.on_step(r);
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

std::string Conductor::DoSpawn(const Step& st) {
  absl::StatusOr<driver::InterpRef> ref;
  {
    py::Attached attached(*main_);
    ref = driver_->Create(driver::ToFlags(st.config));
  }
  if (!ref.ok()) return StatusText(ref.status());
  MutexLock lock(&mu_);
  interps_.push_back(InterpSlot{st.interp, *ref, true, false});
  return "ok";
}

std::string Conductor::DoExec(const Step& st) {
  int64_t target = -1;
  if (const std::string* name = scenario::NestedTarget(st.snippet)) {
    MutexLock lock(&mu_);
    if (InterpSlot* slot = Slot(*name)) target = slot->ref.id;  // its latest spawn, alive or not
  }
  return StartExec(
      st, [&](int fd) { return SnippetSource(st.snippet, SnippetContext{fd, target}); },
      st.snippet.kind == scenario::SnippetKind::kBusyPoll);
}

std::string Conductor::DoQueue(const Step& st) {
  absl::StatusOr<int64_t> qid;
  {
    py::Attached attached(*main_);
    qid = py::CreateQueue(st.maxsize, UnboundOp(st.unbound));
  }
  if (!qid.ok()) return StatusText(qid.status());
  queues_[st.queue] = QueueSlot{*qid, st.unbound, {}};
  return "ok";
}

std::string Conductor::DoPutGet(const Step& st) {
  auto it = queues_.find(st.queue);
  if (it == queues_.end()) return absl::StrCat("skipped: queue ", st.queue, " was not created");
  const int64_t qid = it->second.qid;
  const bool put = st.kind == StepKind::kPut;
  const scenario::Unbound unbound = it->second.unbound;
  std::shared_ptr<TaskState> task;
  std::string status = StartExec(
      st,
      [&](int) { return put ? PutSource(qid, st.value, unbound) : GetSource(qid, st.timeout_ms); },
      false, &task);
  it->second.ops.emplace_back(put, task);
  return status;
}

std::string Conductor::DoShare(const Step& st) {
  const std::optional<int64_t> alive = AliveId(st.interp);
  if (!alive) return NotAlive(st.interp);
  const int64_t id = *alive;
  py::Attached attached(*main_);
  absl::StatusOr<py::InterpretersModule> m = py::InterpretersModule::Load();
  if (!m.ok()) return StatusText(m.status());
  return StatusText(m->Share(id, st.attr, ValueSource(st.value)));
}

void Conductor::JudgeAndDestroyQueues() {
  if (queues_.empty() || finalized_) return;
  py::Attached attached(*main_);
  // Only the scenario's own queues: a strategy keeps queues of its own
  // (InterpreterPoolExecutor's), as it keeps threads (c1ccf1e604cb, "leak of
  // a queue" x50 under interpreter_pool, was that).
  int64_t open = 0;
  for (auto& [name, q] : queues_) {
    // A task that did not end, or was abandoned, has no final status: ""
    // (JudgeQueue leaves such a queue unjudged).
    QueueTally tally{name, q.unbound, {}, {}, 0};
    for (auto& [put, task] : q.ops) {
      (put ? tally.puts : tally.gets)
          .push_back(task == nullptr                        ? "skipped: not started"
                     : !task->done() || task->abandoned() ? ""
                                                           : StatusText(task->status()));
    }
    absl::StatusOr<int64_t> left = py::QueueCount(q.qid);
    if (left.ok()) {
      tally.left = *left;
      if (std::optional<OracleRecord> r = JudgeQueue(tally)) {
        MutexLock lock(&mu_);
        result_.oracles.push_back(*r);
      }
    }
    (void)py::DestroyQueue(q.qid);
    absl::StatusOr<bool> exists = py::QueueExists(q.qid);
    open += exists.ok() && *exists;
  }
  OracleRecord r;
  r.name = "queues";
  r.before = static_cast<int64_t>(queues_.size());
  r.after = open;
  r.delta = open;
  r.detail = absl::StrCat(open, " of the scenario's ", queues_.size(), " queue(s) still exist after their destroy");
  r.leak = open > 0;
  {
    MutexLock lock(&mu_);
    result_.oracles.push_back(r);
  }
  queues_.clear();
}

std::string Conductor::StartExec(const Step& st, const std::function<std::string(int cancel_fd)>& make_code,
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
    return "started";
  }
  WaitTask(*task, absl::InfiniteDuration());
  return StatusText(task->status());
}

std::string Conductor::DoWait(const Step& st) {
  std::shared_ptr<TaskState> task = FindTask(st.task);
  if (task == nullptr) return absl::StrCat("skipped: no task ", st.task);
  absl::Duration timeout = st.timeout_ms > 0 ? absl::Milliseconds(st.timeout_ms) : absl::InfiniteDuration();
  if (!WaitTask(*task, timeout)) return "timeout";
  return StatusText(task->status());
}

// Issues the cancel, and remembers it for the cancel latency: from here to
// the task's end (or, via=abandon, to when the conductor stops waiting).
std::string Conductor::DoCancel(const Step& st) {
  const absl::Time issued = absl::Now();
  std::shared_ptr<TaskState> task = FindTask(st.task);
  const bool running = task != nullptr && !task->done();
  std::string status = CancelTask(st, task);
  if (running && absl::StartsWith(status, "ok") && status != "ok: already done") {
    PendingCancel c{current_step_, st.via, task, issued};
    if (st.via == scenario::CancelVia::kAbandon) c.abandoned = absl::Now();
    MutexLock lock(&mu_);
    cancels_.push_back(std::move(c));
  }
  return status;
}

std::string Conductor::CancelTask(const Step& st, const std::shared_ptr<TaskState>& task) {
  if (task == nullptr) return absl::StrCat("skipped: no task ", st.task);
  if (task->done()) return "ok: already done";
  if (task->future() >= 0) return CancelThroughStrategy(*task, st.via);
  switch (st.via) {
    case scenario::CancelVia::kAbandon:
      task->Abandon();
      return "ok: abandoned";
    case scenario::CancelVia::kFlag:
      task->RaiseCancelFlag();
      return task->started() ? "ok: flag raised" : "ok: cancelled before start";
    case scenario::CancelVia::kAsyncExc:
      break;
  }
  task->RequestCancel();
  if (!task->started()) return "ok: cancelled before start";
  // The exec thread may not have entered the interpreter yet, or may be
  // between calls: retry until the exception lands or the task ends.
  while (!task->done()) {
    absl::StatusOr<int> n;
    {
      py::Attached attached(*main_);
      absl::StatusOr<py::Interp> interp = py::FindInterpreter(task->interp_id());
      if (!interp.ok()) return "skipped: interpreter is gone";
      n = py::SetAsyncExc(*interp, task->py_ident(), "KeyboardInterrupt");
    }
    if (!n.ok()) return StatusText(n.status());
    if (*n > 0) return "ok: async exception set";
    task->WaitDone(absl::Microseconds(200));
  }
  return "ok: already done";
}

// A Python strategy's exec: the strategy's cancel(future, via) does its
// part (NotImplementedError: it does not offer `via`, and the step is
// skipped); the conductor then abandons the task or raises the cooperative
// flag the *_poll snippets read, as for every strategy.
std::string Conductor::CancelThroughStrategy(TaskState& task, scenario::CancelVia via) {
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
      return absl::StrCat("skipped: ", strategy_->name(), " does not offer cancel via=", std::string(scenario::NameOf(via)));
    }
    return StatusText(s);
  }
  switch (via) {
    case scenario::CancelVia::kAbandon: return "ok: abandoned";
    case scenario::CancelVia::kFlag:
      task.RaiseCancelFlag();
      return "ok: flag raised";
    case scenario::CancelVia::kAsyncExc: break;
  }
  return "ok: cancel requested";
}

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

std::string Conductor::DoDestroy(const Step& st) {
  const std::optional<int64_t> alive = AliveId(st.interp);
  if (!alive) return NotAlive(st.interp);
  const int64_t id = *alive;
  bool async = !st.task.empty();
  if (st.from == scenario::DestroyFrom::kConductor && !async) {
    absl::Status s = DestroyNow(id, st.destroy_via, *main_);
    if (absl::IsDeadlineExceeded(s)) return "abandoned";
    return StatusText(s);
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
    return absl::StrCat("skipped: ", strategy_->name(), " has no worker the conductor can run a destroy on");
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
    return "started";
  }
  WaitTask(*task, absl::InfiniteDuration());
  if (absl::IsDeadlineExceeded(task->status())) return "abandoned";
  return StatusText(task->status());
}

std::string Conductor::DoGc(const Step& st) {
  const std::optional<int64_t> alive = AliveId(st.interp);
  if (!alive) return NotAlive(st.interp);
  const int64_t id = *alive;
  py::Attached attached(*main_);
  absl::StatusOr<py::Interp> interp = py::FindInterpreter(id);
  if (!interp.ok()) return "skipped: interpreter is gone";
  return StatusText(driver_->Gc(*interp));
}

std::string Conductor::DoFinalize() {
  main_.reset();  // the initializing thread's state is adopted, not owned
  absl::Status s = py::FinalizeRuntime();
  finalized_ = true;
  return StatusText(s);
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
    for (const PendingCancel& c : cancels_) {
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
      result_.cancels.push_back(std::move(rec));
    }
    cancels_.clear();
    // Closes the tasks' cancel pipes; a job still running keeps its own task alive.
    tasks_.clear();
  }
  // run/expected.cc reads "abandoned tasks left running": what they leave behind is expected.
  EndStep(!abandoned_running.empty()
              ? absl::StrCat("ok: threads left running; abandoned tasks left running: ",
                             absl::StrJoin(abandoned_running, ", "))
          : poisoned ? "ok: threads left running"
                     : "ok");
}

Baseline Conductor::TakeBaseline() {
  Baseline b;
  b.resources = Snapshot();
  py::Attached attached(*main_);
  b.interpreters = py::InterpreterCount();
  b.main_tstates = py::MainThreadStateCount();
  b.memory = py::MainMemoryCounters();
  return b;
}

void Conductor::RunOracles(const Baseline& before) {
  Baseline after;
  after.resources = Snapshot();
  // A joined thread can stay listed in /proc/self/task for a moment after
  // pthread_join returns (the kernel reaps it just after waking the joiner):
  // let such threads go before judging. Threads still running stay.
  for (int i = 0; i < 200 && !Diff(before.resources, after.resources).new_threads.empty(); ++i) {
    absl::SleepFor(absl::Milliseconds(1));
    after.resources = Snapshot();
  }
  if (!finalized_) {
    py::Attached attached(*main_);
    after.interpreters = py::InterpreterCount();
    after.main_tstates = py::MainThreadStateCount();
    after.memory = py::MainMemoryCounters();
  }
  // A Python strategy's idle workers that end by themselves (trio's cache:
  // 10 s) are not leaks; each also holds a main-interpreter thread state.
  int lingering_alive = 0;
  if (!lingering_.empty()) {
    std::vector<ThreadInfo> kept;
    for (const ThreadInfo& t : after.resources.threads) {
      bool idle = std::find(lingering_.begin(), lingering_.end(), static_cast<int64_t>(t.tid)) != lingering_.end();
      bool old = false;
      for (const ThreadInfo& b : before.resources.threads) old |= b.tid == t.tid;
      if (idle && !old) {
        ++lingering_alive;
      } else {
        kept.push_back(t);
      }
    }
    after.resources.threads = std::move(kept);
    after.main_tstates -= lingering_alive;
  }
  // An fd opened on a library mapped into the process is the library's, for
  // the life of the process (libffi opens its own .so for its trampolines
  // when a scenario imports ctypes): not the scenario's leak.
  {
    const std::vector<std::string> mapped = MappedFiles();
    std::vector<FdInfo> kept;
    for (const FdInfo& f : after.resources.fds) {
      bool old = std::any_of(before.resources.fds.begin(), before.resources.fds.end(),
                             [&](const FdInfo& b) { return b.fd == f.fd && b.target == f.target; });
      if (old || !std::binary_search(mapped.begin(), mapped.end(), f.target)) kept.push_back(f);
    }
    after.resources.fds = std::move(kept);
  }
  ResourceDelta delta = Diff(before.resources, after.resources);
  std::string threads_detail, fds_detail;
  for (const ThreadInfo& t : delta.new_threads) absl::StrAppend(&threads_detail, t.tid, " \"", t.name, "\" ");
  for (const FdInfo& f : delta.new_fds) absl::StrAppend(&fds_detail, f.fd, " ", f.target, " ");
  auto add = [&](const char* name, int64_t b, int64_t a, std::string detail, bool can_leak) {
    OracleRecord r{name, b, a, a - b, std::move(detail), can_leak && a > b};
    MutexLock lock(&mu_);
    result_.oracles.push_back(std::move(r));
  };
  // Threads are counted by identity: a baseline thread that ended (the
  // kernel reaps a joined thread a moment after its joiner wakes, so the
  // thread RunScenario starts first can still be listed) does not hide a
  // new one that stays. Fds are counted by number: a pipe replaced by
  // another is not a leak.
  {
    int64_t fresh = static_cast<int64_t>(delta.new_threads.size());
    MutexLock lock(&mu_);
    result_.oracles.push_back({"threads", static_cast<int64_t>(before.resources.threads.size()),
                               static_cast<int64_t>(after.resources.threads.size()), fresh, threads_detail,
                               fresh > 0});
  }
  add("fds", static_cast<int64_t>(before.resources.fds.size()), static_cast<int64_t>(after.resources.fds.size()),
      fds_detail, true);
  if (!finalized_) {
    add("interpreters", before.interpreters, after.interpreters, "", true);
    add("thread_states", before.main_tstates, after.main_tstates, "main interpreter", true);
    if (before.memory.total_refs >= 0) {
      // Single-run deltas are figures, not verdicts: caches warm up. --repeat gives slopes.
      add("refs", before.memory.total_refs, after.memory.total_refs, "sys.gettotalrefcount()", false);
    }
    add("blocks", before.memory.allocated_blocks, after.memory.allocated_blocks, "sys.getallocatedblocks()", false);
  }
  add("rss", before.resources.rss_bytes, after.resources.rss_bytes, "bytes", false);
}

void Conductor::OnHang(const Watchdog::Armed& armed) {
  StackOptions so;
  so.python_gdb_script = options_.python_gdb_script;
  absl::StatusOr<std::string> stacks = CaptureAllStacks(so);
  // The step ended while the stacks were taken: slow (a load spike, a tiny
  // deadline_ms), not stuck. No verdict; the watchdog watches the next step.
  if (dog_->Ended(armed)) {
    std::fprintf(stderr, "endgame: step %d (%s) passed its deadline but ended; not a hang\n", armed.step_index,
                 armed.step_kind.c_str());
    return;
  }
  RunResult r;
  {
    MutexLock lock(&mu_);
    r = result_;
  }
  r.stacks = stacks.ok() ? *stacks : absl::StrCat("(stacks unavailable: ", stacks.status().ToString(), ")");
  r.verdict = Verdict::Of(VerdictKind::kHang, armed.step_kind);
  r.guilty_step = armed.step_kind;
  r.guilty_index = armed.step_index;
  r.guilty_thread = absl::StrCat(armed.thread_name, " (tid ", armed.tid, ")");
  std::vector<std::string> frames;
  int parked = 0;  // threads CPython parked for good in PyThread_hang_thread
  if (stacks.ok()) {
    for (const ThreadStack& t : ParseGdbStacks(*stacks)) {
      if (t.lwp == armed.tid) frames = t.frames;
      parked += std::find(t.frames.begin(), t.frames.end(), "PyThread_hang_thread") != t.frames.end();
    }
  }
  // The stuck thread tried to attach to an interpreter that is being (or has
  // been) finalized, and CPython parked it for good, as its C API docs say
  // (3.14+, gh-87135; "Cautions regarding runtime finalization"): the
  // process is not hung, those threads are gone for it: a thread leak.
  const bool parked_by_cpython =
      std::find(frames.begin(), frames.end(), "PyThread_hang_thread") != frames.end();
  // With the stuck thread's frames known, they identify the hang; the step the
  // conductor waits in (wait, drain, destroy...) is where it surfaced, not what it is.
  std::vector<std::string> key = KeyFrames(frames);
  if (parked_by_cpython) {
    r.verdict = Verdict::Of(VerdictKind::kLeak, absl::StrCat("thread +", std::max(parked, 1)));
    r.signature = Signature(r.verdict, armed.step_kind, key);
    ApplyExpectation(scenario_, &r);
    std::fprintf(stderr,
                 "endgame: step %d (%s) waits on %s, which CPython parked in PyThread_hang_thread (its interpreter "
                 "is finalizing): not a hang, leak thread +%d\n",
                 armed.step_index, armed.step_kind.c_str(), r.guilty_thread.c_str(), std::max(parked, 1));
  } else {
    r.signature = key.empty() ? Signature(r.verdict, armed.step_kind, key)
                              : Signature(Verdict::Of(VerdictKind::kHang, ""), "", key);
  }
  r.poisoned = true;
  if (!r.steps.empty() && r.steps.back().duration_us < 0) {
    r.steps.back().status = parked_by_cpython ? "abandoned" : "hang";  // a parked thread is given up, not stuck
  }
  Scenario ran = scenario_;
  ran.strategy = spec_;
  ClassifyExpected(ran, &r);
  if (options_.on_hang) options_.on_hang(r);
  if (!parked_by_cpython) {
    std::fprintf(stderr, "endgame: hang in step %d (%s) on %s\n%s\n", armed.step_index, armed.step_kind.c_str(),
                 r.guilty_thread.c_str(), r.stacks.c_str());
  }
  std::abort();
}

RunResult Conductor::Run() {
  {
    MutexLock lock(&mu_);
    result_.python = absl::StrCat(Caps().version, " ", Caps().build);
    ApplyExpectation(scenario_, &result_);
  }
  std::string unmet = Unmet(scenario_);
  if (!unmet.empty()) {
    RunResult r;
    r.verdict = Verdict::Of(VerdictKind::kSkipped, unmet);
    r.python = result_.python;
    return r;
  }
  main_ = std::make_unique<py::MainThreadState>();
  // The baseline excludes the watchdog's own thread: it is gone again before the oracles run.
  Baseline before;
  if (options_.oracles) before = TakeBaseline();
  watchdog_ = std::make_unique<Watchdog>([this](const Watchdog::Armed& a) { OnHang(a); });
  dog_ = watchdog_.get();
  absl::StatusOr<std::unique_ptr<strategy::Strategy>> s;
  const scenario::StrategyInfo* info = scenario::InfoOf(spec_);
  if (info != nullptr && info->runtime == scenario::StrategyRuntime::kPython) {
    py::Attached attached(*main_);
    s = strategy::MakeStrategy(spec_);
  } else {
    s = strategy::MakeStrategy(spec_);
  }
  if (!s.ok()) {
    // A Python strategy that cannot run here (a missing library or CPython
    // feature: skipped), or a user's module that is missing or raised.
    watchdog_.reset();
    main_.reset();
    RunResult r;
    r.python = result_.python;
    if (absl::IsUnimplemented(s.status())) {
      r.verdict = Verdict::Of(VerdictKind::kSkipped, std::string(s.status().message()));
    } else {
      r.verdict = Verdict::Of(VerdictKind::kError, absl::StrCat("strategy: ", s.status().message()));
      r.guilty_step = "strategy";
    }
    return r;
  }
  strategy_ = std::move(*s);
  // The fd baseline is taken once the strategy is made: what its setup opens
  // is its own (an fd on a mapped library, such as libffi's after trio
  // imports ctypes, is left out in RunOracles anyway). Threads keep the
  // earlier baseline, so a thread a strategy starts and never stops counts.
  if (options_.oracles) before.resources.fds = TakeBaseline().resources.fds;
  start_ = absl::Now();

  for (size_t i = 0; i < scenario_.steps.size(); ++i) {
    const Step& st = scenario_.steps[i];
    current_step_ = static_cast<int>(i);
    BeginStep(static_cast<int>(i), std::string(scenario::NameOf(st.kind)), scenario::PrintStep(st));
    bool async = !st.task.empty();
    if (st.delay_us > 0 && !async) absl::SleepFor(absl::Microseconds(st.delay_us));
    std::string status;
    switch (st.kind) {
      case StepKind::kSpawn: status = DoSpawn(st); break;
      case StepKind::kExec: status = DoExec(st); break;
      case StepKind::kWait: status = DoWait(st); break;
      case StepKind::kCancel: status = DoCancel(st); break;
      case StepKind::kDestroy: status = DoDestroy(st); break;
      case StepKind::kSleep: absl::SleepFor(absl::Milliseconds(st.ms)); status = "ok"; break;
      case StepKind::kGc: status = DoGc(st); break;
      case StepKind::kFinalize: status = DoFinalize(); break;
      case StepKind::kQueue: status = DoQueue(st); break;
      case StepKind::kPut:
      case StepKind::kGet: status = DoPutGet(st); break;
      case StepKind::kShare: status = DoShare(st); break;
    }
    EndStep(status);
  }
  Drain();
  JudgeAndDestroyQueues();
  watchdog_.reset();
  if (options_.oracles) RunOracles(before);
  main_.reset();

  MutexLock lock(&mu_);
  RunResult r = result_;
  for (const OracleRecord& o : r.oracles) {
    if (!o.leak) continue;
    static const std::map<std::string, std::string> kResource = {
        {"threads", "thread"}, {"fds", "fd"}, {"interpreters", "interpreter"}, {"thread_states", "tstate"},
        {"queues", "queue"}, {"queue_items", "queue item"}};
    r.verdict = Verdict::Of(VerdictKind::kLeak, absl::StrCat(kResource.at(o.name), o.delta < 0 ? " " : " +", o.delta));
    r.guilty_step = "drain";
    break;
  }
  if (r.verdict.kind == VerdictKind::kOk && !first_error_.empty()) {
    r.verdict = Verdict::Of(VerdictKind::kError, first_error_.substr(0, first_error_.find(':')));
    r.guilty_step = first_error_step_;
    r.guilty_index = first_error_index_;
  }
  if (r.verdict.kind != VerdictKind::kOk) r.signature = Signature(r.verdict, r.guilty_step, {});
  return r;
}

}  // namespace

RunResult RunScenario(const Scenario& scenario, const RunOptions& options) {
  // ThreadSanitizer starts a background thread at the process's first thread
  // creation; start (and join) one thread before any baseline is taken so
  // that the thread oracle does not count it.
  static std::once_flag first_thread;
  std::call_once(first_thread, [] { std::thread([] {}).join(); });
  bool finalizes = false;
  for (const Step& st : scenario.steps) finalizes |= st.kind == StepKind::kFinalize;
  int cycles = finalizes ? 1 : std::max(1, options.repeat);
  RunResult worst;
  std::vector<double> rss, heap;
  int done = 0;
  for (int c = 0; c < cycles; ++c) {
    Conductor conductor(scenario, options);
    RunResult r = conductor.Run();
    if (c == 0 || r.verdict.Severity() > worst.verdict.Severity()) worst = r;
    if (cycles >= 10) {  // slopes need cycles; mallinfo2 is not free on a fragmented heap
      rss.push_back(static_cast<double>(RssBytes()));
      heap.push_back(static_cast<double>(mallinfo2().uordblks));
    }
    ++done;
    if (r.poisoned || r.verdict.kind == VerdictKind::kSkipped) break;
  }
  worst.cycles = done;
  if (rss.size() >= 10) {
    // The first tenth warms caches (interned strings, type caches) and is left out.
    size_t skip = rss.size() / 10;
    std::vector<double> r(rss.begin() + skip, rss.end()), h(heap.begin() + skip, heap.end());
    double rs = Slope(r), hs = Slope(h);
    // ASan's quarantine and TSan's shadow memory grow RSS by design: figures only.
    constexpr bool kJudgeRss = !kSanitizedBuild;
    const char* py_malloc = std::getenv("PYTHONMALLOC");
    bool system_malloc = py_malloc && absl::StartsWith(py_malloc, "malloc");
    worst.oracles.push_back({"rss_slope", static_cast<int64_t>(r.front()), static_cast<int64_t>(r.back()),
                             static_cast<int64_t>(rs), absl::StrCat("bytes/cycle over ", r.size(), " cycles"),
                             kJudgeRss && rs > options.slope_threshold_bytes});
    worst.oracles.push_back({"malloc_slope", static_cast<int64_t>(h.front()), static_cast<int64_t>(h.back()),
                             static_cast<int64_t>(hs),
                             absl::StrCat("bytes/cycle in use (mallinfo2)",
                                          system_malloc ? ", PYTHONMALLOC=malloc" : ", pymalloc arenas not seen"),
                             kJudgeRss && system_malloc && hs > options.slope_threshold_bytes});
    if (worst.verdict.Severity() < static_cast<int>(VerdictKind::kLeak)) {
      for (const OracleRecord& o : worst.oracles) {
        if (o.leak && absl::EndsWith(o.name, "_slope")) {
          worst.verdict = Verdict::Of(VerdictKind::kLeak, absl::StrCat("memory +", o.delta, "/cycle"));
          worst.guilty_step = "drain";
          worst.signature = Signature(Verdict::Of(VerdictKind::kLeak, "memory"), "drain", {});
          break;
        }
      }
    }
  }
  ApplyExpectation(scenario, &worst);
  Scenario ran = scenario;
  if (options.strategy_override) ran.strategy = *options.strategy_override;
  ClassifyExpected(ran, &worst);
  return worst;
}

}  // namespace endgame::run
