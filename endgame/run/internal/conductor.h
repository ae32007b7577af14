// File: endgame/run/internal/conductor.h
//
// The Conductor class behind RunScenario() (conductor.h), private to
// endgame/run/: its steps and drain are conductor.cc (the cancel and destroy
// steps cancel_steps.cc and destroy_steps.cc), its run (requirements,
// baseline, the step loop, oracles, verdict) and the --repeat cycles are
// run_scenario.cc. One Conductor runs a scenario once.
#ifndef ENDGAME_RUN_INTERNAL_CONDUCTOR_H_
#define ENDGAME_RUN_INTERNAL_CONDUCTOR_H_

#include <sys/types.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "endgame/base/mutex.h"
#include "endgame/driver/driver.h"
#include "endgame/py/thread_state.h"
#include "endgame/run/compose_verdict.h"
#include "endgame/run/conductor.h"
#include "endgame/run/oracles.h"
#include "endgame/run/result.h"
#include "endgame/run/step_outcome.h"
#include "endgame/run/task.h"
#include "endgame/run/watchdog.h"
#include "endgame/scenario/scenario.h"
#include "endgame/strategy/strategy.h"

namespace endgame::run::internal {

pid_t Gettid();

struct InterpSlot {
  std::string name;
  driver::InterpRef ref;
  bool alive = false;
  bool abandoned = false;
  // A capi destroy is under way: a second one waits for it instead of handing
  // Py_EndInterpreter a PyInterpreterState that the first one is freeing.
  bool destroying = false;
};

// One run of a scenario: its result, and what its verdict was composed from
// (RunScenario composes it again with the --repeat slopes).
struct Ran {
  RunResult result;
  VerdictEvidence evidence;
};

class Conductor {
 public:
  Conductor(const scenario::Scenario& s, const RunOptions& o);

  Ran Run();  // run_scenario.cc

 private:
  using Step = scenario::Step;
  // Steps, one function each, dispatched by RunStep().
  StepOutcome RunStep(const Step& st);
  StepOutcome DoSpawn(const Step& st);
  StepOutcome DoExec(const Step& st);
  // Runs `code` in st.interp as exec step `st` does (on its strategy, `as`
  // when st.task is set); `polls` when the code reads the cancel flag.
  StepOutcome StartExec(const Step& st, const std::function<std::string(int cancel_fd)>& code, bool polls,
                        std::shared_ptr<TaskState>* started = nullptr);
  StepOutcome DoQueue(const Step& st);  // a queue or a channel
  StepOutcome DoClose(const Step& st);
  StepOutcome DoFork(const Step& st);
  StepOutcome DoPutGet(const Step& st);
  StepOutcome DoShare(const Step& st);
  StepOutcome DoCall(const Step& st);
  StepOutcome DoWait(const Step& st);
  StepOutcome DoCancel(const Step& st);
  StepOutcome CancelTask(const Step& st, const std::shared_ptr<TaskState>& task);
  StepOutcome CancelThroughStrategy(TaskState& task, scenario::CancelVia via);
  StepOutcome DoDestroy(const Step& st);
  StepOutcome DoGc(const Step& st);
  StepOutcome DoFinalize();
  StepOutcome DoExit(const Step& st);
  void Drain();
  // After the drain: the queue oracles' records; then every queue is destroyed.
  void JudgeAndDestroyQueues();
  void RunOracles(const Baseline& before);  // run_scenario.cc
  // The strategy of the scenario; an error status when it cannot be made here.
  absl::Status MakeStrategy();  // run_scenario.cc

  strategy::Strategy& StrategyFor(scenario::ExecOn on);
  strategy::Job ExecJob(std::shared_ptr<TaskState> task, int64_t interp_id, std::string code, int64_t delay_us);
  // Records a kDestroyWhileRunning note when exec tasks of it have not ended
  // (running, or still to start).
  void NoteRunningExecs(int64_t interp_id);
  absl::Status DestroyNow(int64_t interp_id, scenario::DestroyVia via, py::MainThreadState& main);
  // Waits for a task, naming its thread to the watchdog; false on timeout.
  bool WaitTask(TaskState& task, absl::Duration timeout);
  InterpSlot* Slot(const std::string& name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  InterpSlot* SlotById(int64_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The id of the latest spawn of `name` while it is alive; NotAlive is the
  // outcome of a step that finds it is not.
  std::optional<int64_t> AliveId(const std::string& name);
  // The id of the queue a `value=queue:Q` names (-1 for other values, or
  // when Q was not created: its Queue(-1) then fails as CPython's own error).
  int64_t HandleQid(const scenario::Value& value) const;
  static StepOutcome NotAlive(const std::string& name);
  std::shared_ptr<TaskState> FindTask(const std::string& name);

  void BeginStep(int index, const std::string& kind, const std::string& text);
  void EndStep(const StepOutcome& outcome);
  int64_t SinceStartUs() const { return absl::ToInt64Microseconds(absl::Now() - start_); }

  const scenario::Scenario& scenario_;
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
  // The same watchdog for the hang report, which runs on its thread and may
  // still run while watchdog_.reset() joins it (reset() clears watchdog_
  // first). Set before the first Arm, whose lock orders it before any report.
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
  // Its latency: from the step to the task's end (or, via=abandon, to the end of the step).
  static CancelRecord CancelRecordOf(const PendingCancel& c);
  int current_step_ = 0;  // conductor thread only
  // The scenario's queues by name (conductor thread only): id, unbound op,
  // and its puts and gets with their tasks, in step order.
  std::map<std::string, ScenarioQueue> queues_;
  std::vector<std::thread> destroy_threads_ ABSL_GUARDED_BY(mu_);
  RunResult result_ ABSL_GUARDED_BY(mu_);
  // The first error an API reported: the `error` verdict.
  std::optional<StepError> first_error_ ABSL_GUARDED_BY(mu_);
  // The first fork child that died or hung (a `fork` exec's error, from its
  // step, its wait or the drain): the verdict, above the oracles and errors.
  std::optional<ForkChildEvidence> fork_child_ ABSL_GUARDED_BY(mu_);
  // Records `outcome` when it is a fork child's end (ForkChildOf) of the
  // fork exec at `step_index` (or of the exec whose task the wait there
  // names), and gives its verdict; false otherwise.
  bool NoteForkChildLocked(int step_index, const StepOutcome& outcome, Verdict* verdict = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
};

}  // namespace endgame::run::internal

#endif  // ENDGAME_RUN_INTERNAL_CONDUCTOR_H_
