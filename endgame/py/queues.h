// File: endgame/py/queues.h
//
// Cross-interpreter queues (`_interpqueues`, CPython 3.13+), called from a
// thread attached to the main interpreter: the conductor creates a scenario's
// queues, counts what is left in them and destroys them. What interpreters
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
absl::StatusOr<int64_t> QueueCount(int64_t qid);
absl::Status DestroyQueue(int64_t qid);
// Whether the queue `qid` still exists (is in `_interpqueues.list_all()`).
absl::StatusOr<bool> QueueExists(int64_t qid);

}  // namespace endgame::py

#endif  // ENDGAME_PY_QUEUES_H_
