// File: endgame/run/queue_oracle.h
//
// The queue oracles (docs/scenario-language.md, "The queue oracles"): items lost or duplicated in a
// cross-interpreter queue, judged from what each put and get of the scenario
// ended with and what the queue still holds after the drain. Pure: the
// conductor gathers the outcomes, this decides.
//
// Example:
//   QueueTally t{"q1", scenario::Unbound::kReplace, {"ok", "ok"}, {"ok"}, 0};
//   std::optional<OracleRecord> r = JudgeQueue(t);  // queue_items -1: one item lost
#ifndef ENDGAME_RUN_QUEUE_ORACLE_H_
#define ENDGAME_RUN_QUEUE_ORACLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endgame/run/result.h"
#include "endgame/scenario/scenario.h"

namespace endgame::run {

// What one put or get did to the queue's item count.
enum class QueueEffect { kAdded, kTaken, kNone, kUnknown };

// From a put's or get's final step status ("ok", "error QueueEmpty: ...",
// "skipped: ..."); "" for a task that did not end or was abandoned.
QueueEffect PutEffect(const std::string& status);
QueueEffect GetEffect(const std::string& status);

struct QueueTally {
  std::string name;
  scenario::Unbound unbound = scenario::Unbound::kReplace;
  std::vector<std::string> puts, gets;  // final statuses, in step order
  int64_t left = 0;                     // items in the queue after the drain
  bool channel = false;                 // a channel (`_interpchannels`)
  // A channel that is closed after the drain: by `close`, or by CPython once
  // every interpreter that used it is gone. Closing drops its items, so none
  // may be left, whatever was put and got.
  bool closed = false;
};

// The `queue_items` oracle record for one queue or channel: delta = left -
// (added - taken) (for a closed channel: left - 0), a leak when items were lost (delta < 0; not for unbound=remove,
// whose items go with their interpreter) or duplicated (delta > 0). nullopt
// when an outcome is unknown (a cancelled or abandoned put or get), so the
// count cannot be judged.
std::optional<OracleRecord> JudgeQueue(const QueueTally& tally);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_QUEUE_ORACLE_H_
