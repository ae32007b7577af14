// File: endgame/py/queues.h
//
// Cross-interpreter queues (`_interpqueues`, CPython 3.13+) and channels
// (`_interpchannels`, the same CPythons), called from a thread attached to the
// main interpreter: the conductor creates a scenario's queues and channels,
// counts what is left in them and destroys them. What interpreters
// put and get runs inside them (run/snippet_source.h: PutSource, GetSource).
// The module's signatures differ between 3.13 and 3.14+; this hides that.
//
// Example (attached to main):
//   ENDGAME_ASSIGN_OR_RETURN(int64_t q, CreateQueue(0, kUnboundReplace));
//   ENDGAME_ASSIGN_OR_RETURN(int64_t n, QueueCount(q));
//   ENDGAME_RETURN_IF_ERROR(DestroyQueue(q));
#ifndef ENDGAME_PY_QUEUES_H_
#define ENDGAME_PY_QUEUES_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace endgame::py {

// CPython's unbound ops (what happens to an item once the interpreter that
// put it is destroyed).
inline constexpr int kUnboundRemove = 1, kUnboundError = 2, kUnboundReplace = 3;

// A Python expression that creates a queue through `module` (the
// `_interpqueues` module, as the expression's namespace spells it) on 3.13
// and on 3.14+, whose create() signatures differ; repro.py writes the same
// expression. fmt/fallback 0: items must be shareable (no pickling).
std::string CreateQueueExpression(const std::string& module, int64_t maxsize, int unbound_op);

// Unimplemented when this CPython has no `_interpqueues`.
absl::StatusOr<int64_t> CreateQueue(int64_t maxsize, int unbound_op);
// Holds one binding of the queue, as the Queue object a user's create()
// returns does: a queue whose bindings fall to 0 is destroyed, so without one
// the last Queue handle that goes away (`value=queue:Q`) would destroy it
// under the conductor. DestroyQueue destroys it whatever its bindings.
absl::Status BindQueue(int64_t qid);
absl::StatusOr<int64_t> QueueCount(int64_t qid);
absl::Status DestroyQueue(int64_t qid);
// Whether the queue `qid` still exists (is in `_interpqueues.list_all()`).
absl::StatusOr<bool> QueueExists(int64_t qid);

// Channels. `module.create(op)`, which returns a ChannelID (the same on
// 3.13+; repro.py writes it too, and keeps the ChannelID in a variable).
std::string CreateChannelExpression(const std::string& module, int unbound_op);
// Returns the channel's id. A channel lives only while a ChannelID object of
// it does (dropping the last one destroys the channel), so this keeps the
// one create() returned until DestroyChannel(cid) releases it.
// Unimplemented when this CPython has no `_interpchannels`.
absl::StatusOr<int64_t> CreateChannel(int unbound_op);
// What get_info() says: the items in it, and whether it is closed (by close,
// or because every interpreter that used it was destroyed, which drops them).
struct ChannelState {
  int64_t count = 0;
  bool closed = false;
};
absl::StatusOr<ChannelState> GetChannelState(int64_t cid);
absl::Status DestroyChannel(int64_t cid);
// Whether the channel `cid` still exists (get_info() finds it: open or closed).
absl::StatusOr<bool> ChannelExists(int64_t cid);

}  // namespace endgame::py

#endif  // ENDGAME_PY_QUEUES_H_
