// File: endgame/strategy/strategy.h
//
// A strategy decides where execs run and how teardown synchronizes with those
// threads (DESIGN.md §2). The conductor hands it jobs; before destroying an
// interpreter it asks the strategy to settle that interpreter's threads; at
// the end of a scenario it shuts the strategy down.
//
// Adding a strategy: one file defining a Strategy subclass and a factory,
// plus one line in registry.cc (docs/strategies.md walks through it).
//
// Example:
//   ENDGAME_ASSIGN_OR_RETURN(std::unique_ptr<Strategy> s, MakeStrategy(spec));
//   s->Submit(interp_id, [](WorkerContext& ctx) {
//     py::Attached attached(*ctx.main);
//     ...
//   });
//   s->BeforeDestroy(interp_id);
//   s->Shutdown();
#ifndef ENDGAME_STRATEGY_STRATEGY_H_
#define ENDGAME_STRATEGY_STRATEGY_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "endgame/driver/driver.h"
#include "endgame/py/thread_state.h"
#include "endgame/scenario/scenario.h"

namespace endgame::strategy {

// What a job sees of the thread it runs on.
struct WorkerContext {
  py::MainThreadState* main = nullptr;  // this thread in the main interpreter; detached on entry
  driver::ExecState* exec_state = nullptr;  // this thread's sticky thread states
  scenario::TstateMode tstate = scenario::TstateMode::kPerCall;
  std::string thread_name;  // e.g. "cache-0", "dedicated-3"
};

using Job = std::function<void(WorkerContext&)>;

enum class Settled {
  kJoined,     // every exec thread of the interpreter finished
  kAbandoned,  // a bound expired: threads and interpreter are left alone
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual std::string name() const = 0;
  // Runs `job` asynchronously on a strategy thread, for interpreter
  // `interp_id` (-1 when it targets none).
  virtual void Submit(int64_t interp_id, Job job) = 0;
  // Called before `interp_id` is destroyed. May block (the watchdog covers it).
  virtual Settled BeforeDestroy(int64_t interp_id) = 0;
  // Joins every thread the strategy started (blocking; the watchdog covers
  // it). Threads abandoned earlier are not joined.
  virtual void Shutdown() = 0;
  // Gives up on every thread without joining (threads are still running
  // inside interpreters; the process must not run more scenarios).
  virtual void AbandonAll() = 0;
  // Threads abandoned so far (bounded joins that expired).
  virtual int abandoned_threads() const = 0;

  // Python strategies (python.cc) run an exec's code themselves, in their
  // own Python threads: the conductor calls SubmitCode instead of Submit and
  // Cancel for every via, and calls every method of such a strategy attached
  // to the main interpreter (needs_attached()); C++ strategies are called
  // detached. `on_done` runs once, on the thread that finishes the exec.
  virtual bool runs_code() const { return false; }
  virtual bool needs_attached() const { return false; }
  virtual absl::StatusOr<int64_t> SubmitCode(int64_t interp_id, const std::string& code,
                                             std::function<void(absl::Status)> on_done);
  // Unimplemented: the strategy does not offer `via` (the step is skipped).
  virtual absl::Status Cancel(int64_t future, scenario::CancelVia via);
  // Native ids of the strategy's threads still alive that end by themselves
  // (idle pool workers with a timeout): not leaks, and not counted.
  virtual std::vector<int64_t> Lingering() { return {}; }
};

// Unimplemented (the scenario is skipped): a Python strategy whose library or
// CPython feature is missing. NotFound / InvalidArgument: a user's module that
// does not exist, or whose import or make() raised (an error in the input).
// A Python strategy is made attached to the main interpreter.
absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(const scenario::StrategySpec& spec);

// Whether a C++ factory is registered for strategy `word` (registry.cc).
bool HasFactory(std::string_view word);
// The words of the embedded Python strategies (endgame/strategy/py/<word>.py).
std::vector<std::string_view> BuiltinPythonSources();

}  // namespace endgame::strategy

#endif  // ENDGAME_STRATEGY_STRATEGY_H_
