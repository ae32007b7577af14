// File: endgame/scenario/internal/tracker.h
//
// The semantic rules of scenarios in one place. Tracker follows the steps of a
// scenario in order and says whether the next one is allowed; the parser, the
// checker, the decoder, the generator and the repair pass all step it, so
// "valid" means the same thing everywhere. The value checks (bounds, names,
// unused fields) are here too. Private to endgame/scenario.
#ifndef ENDGAME_SCENARIO_INTERNAL_TRACKER_H_
#define ENDGAME_SCENARIO_INTERNAL_TRACKER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "endgame/scenario/scenario.h"

namespace endgame::scenario::internal {

// Which token of a step a problem is about (SourcePos column to report).
enum class Where { kStep, kTarget, kAs, kQueue };

// Where a step was: a line of text, else its 1-based index. Formatted only
// when a message needs it.
struct Origin {
  int line = 0;
  int index = 0;
  std::string str() const;  // "line 3" or "step 3"
};

struct Problem {
  std::string message;
  Where where = Where::kStep;
};

// "'ms' must be between 0 and 600000, got 700000"
std::string RangeMessage(std::string_view name, int64_t min, int64_t max, std::string_view got);

// Whether `name` may be a `share` step's attribute: [A-Za-z_][A-Za-z0-9_]*,
// at most kMaxNameLength characters; the message for one that may not.
bool IsAttrName(std::string_view name);
std::string BadAttrName(const std::string& name);
// The messages for a snippet argument `key` (nested target=) that names an
// interpreter with an invalid name, or none.
std::string BadTargetName(std::string_view key, const std::string& name);
std::string MissingTarget(std::string_view snippet, std::string_view key);

// The first out-of-bounds or malformed value of the header, if any.
std::optional<std::string> HeaderProblem(const Scenario& s);
// Why a strategy spec is invalid under `driver` (per the strategy table), if it is.
std::optional<std::string> StrategyProblem(const StrategySpec& st, Driver driver);
// The first out-of-bounds or malformed value of `step` on its own (bounds,
// names, fields its kind does not use), if any.
std::optional<Problem> StepValueProblem(const Step& step);

class Tracker {
 public:
  enum class State { kAlive, kDestroying, kDestroyed };
  struct Interp {
    State state = State::kAlive;
    Origin spawned_at;
    Origin destroyed_at;                     // the destroy step, once destroying or destroyed
    std::vector<std::string> destroy_tasks;  // async destroys in flight
  };
  struct Task {
    bool destroys = false;
    std::string interp;
    Origin defined_at;
  };

  // The problem with `step` as the next step, or nullopt. Includes
  // StepValueProblem.
  std::optional<Problem> Check(const Step& step) const;
  // Records `step` (which Check accepted); `at` names it in later messages.
  void Apply(const Step& step, Origin at);
  // Check, then Apply when there is no problem.
  std::optional<Problem> Advance(const Step& step, Origin at);

  // Whether exec, gc and destroy may name `interp` now; whether spawn may;
  // whether `as` may define `task` now (ignoring the kMaxTasks bound).
  bool CanUse(const std::string& interp) const;
  bool CanSpawn(const std::string& interp) const;
  bool CanDefineTask(const std::string& task) const;
  // Whether put and get may name `queue` now; whether `queue` may define it.
  bool HasQueue(const std::string& queue) const { return queues_.count(queue) != 0; }
  bool CanDefineQueue(const std::string& queue) const {
    return queues_.size() < static_cast<size_t>(kMaxQueues) && !HasQueue(queue);
  }
  // Whether `queue` was defined by a `channel` step (close names only those).
  bool IsChannel(const std::string& queue) const { return channels_.count(queue) != 0; }
  // Why a `value=queue:Q` cannot be used here (Q undefined, or a channel), if it cannot.
  std::optional<Problem> HandleProblem(const Value& v) const;

  bool finalized() const { return finalized_; }
  int steps() const { return steps_; }
  int spawns() const { return spawns_; }
  int num_tasks() const { return static_cast<int>(tasks_.size()); }
  const std::map<std::string, Interp>& interps() const { return interps_; }
  const std::map<std::string, Task>& tasks() const { return tasks_; }
  const std::map<std::string, Origin>& queues() const { return queues_; }
  // Tasks in the order `as` defined them.
  const std::vector<std::string>& task_order() const { return task_order_; }

 private:
  std::optional<Problem> UseProblem(const std::string& interp) const;
  std::optional<Problem> DefineProblem(const std::string& task) const;

  std::map<std::string, Interp> interps_;
  std::map<std::string, Task> tasks_;
  std::map<std::string, Origin> queues_;  // queue or channel name -> its queue step
  std::set<std::string> channels_;        // the names of queues_ that are channels
  std::vector<std::string> task_order_;
  int steps_ = 0;
  int spawns_ = 0;
  bool finalized_ = false;
  Origin finalized_at_;
  std::string finalized_by_;  // the step's keyword: `finalize` or `exit`
};

}  // namespace endgame::scenario::internal

#endif  // ENDGAME_SCENARIO_INTERNAL_TRACKER_H_
