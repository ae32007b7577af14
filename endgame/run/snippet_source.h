// File: endgame/run/snippet_source.h
//
// The Python source each snippet runs (DESIGN.md §3, "Snippets"). The same
// text runs through every driver and is what repro.py embeds, so a snippet's
// behaviour is defined once, here.
//
// Example:
//   SnippetContext ctx;
//   ctx.cancel_fd = pipe_read_end;           // for *_poll snippets
//   std::string code = SnippetSource(DefaultSnippet(SnippetKind::kBusyPoll), ctx);
#ifndef ENDGAME_RUN_SNIPPET_SOURCE_H_
#define ENDGAME_RUN_SNIPPET_SOURCE_H_

#include <string>

#include "endgame/scenario/scenario.h"

namespace endgame::run {

struct SnippetContext {
  // Read end of the task's cancel pipe: readable once `cancel via=flag` ran.
  // -1 when the exec has no cancel flag (then *_poll snippets run to the end).
  int cancel_fd = -1;
  // nested: the id of the interpreter `target=` names (its latest spawn).
  int64_t target_id = -1;
};

// A Python string literal for arbitrary text (control bytes escaped, a
// newline as \n), in `quote` quotes (' or ").
std::string PyQuote(const std::string& text, char quote = '\'');

// Python source for `snippet`. Durations of 0 ms mean "until cancelled" for
// busy, busy_poll and lock_wait (a lock nothing releases).
std::string SnippetSource(const scenario::Snippet& snippet, const SnippetContext& ctx);

// fork: the Python source of `fork ms=N`. In the parent the child's end
// becomes the exception kForkChildError (unless it exited 0), whose message
// is "status <wait status>: <stderr>" or "hung: <stderr>" (killed after
// ms + kForkChildSlackMs), with the child's stderr (at most
// kForkChildStderrMax bytes, read as latin-1) escaped as Python's
// unicode_escape does, so that it stays one line. A refused fork
// (RuntimeError in isolated interpreters) raises as os.fork() raised.
inline constexpr char kForkChildError[] = "EndgameForkChild";
inline constexpr int64_t kForkChildSlackMs = 2000;
inline constexpr int64_t kForkChildStderrMax = 16384;
std::string ForkSource(int64_t ms);

// A Python str expression for arbitrary bytes: a plain literal for printable
// ASCII, else the bytes decoded as UTF-8 with surrogateescape (so a byte that
// is not UTF-8 becomes a lone surrogate). A bytes literal for bytes.
std::string PyText(const std::string& bytes);
std::string PyBytes(const std::string& bytes);
// A Python expression for a `value=`; a queue handle (`queue:Q`) is of the
// queue whose id is `handle_qid` (unused by the other kinds).
std::string ValueSource(const scenario::Value& value, int64_t handle_qid);
// The high-level Queue object of queue `qid`, as a user holds one
// (concurrent.interpreters._queues.Queue from 3.14,
// test.support.interpreters.queues.Queue on 3.13): making it binds the queue,
// freeing it releases it, and it crosses interpreters as a Queue of the same id.
std::string QueueHandleSource(int64_t qid);
// CPython's unbound op of `unbound=` (py::kUnboundRemove...).
int UnboundOp(scenario::Unbound unbound);
// What `put` runs in the putting interpreter, and `get` in the getting one,
// for the queue whose id is `qid`. A get that finds nothing within
// timeout_ms raises QueueEmpty; one that gets an item whose interpreter is
// gone, from an unbound=error queue, raises RuntimeError('ItemInterpreterDestroyed...').
std::string PutSource(int64_t qid, const scenario::Value& value, scenario::Unbound unbound, int64_t handle_qid);
std::string GetSource(int64_t qid, int64_t timeout_ms);
// The same for a channel (`_interpchannels`, id `cid`). A put is a
// non-blocking send: the item stays in the channel as in a queue (a blocking
// send waits until someone receives it, and on a timeout takes it back). A
// get polls recv() for up to timeout_ms: ChannelEmptyError after that; an
// item of a destroyed interpreter from an unbound=error channel raises
// RuntimeError('ItemInterpreterDestroyed...') as a queue's does. A put or get
// on a closed channel raises ChannelClosedError (CPython's own).
std::string SendSource(int64_t cid, const scenario::Value& value, int64_t handle_qid);
std::string RecvSource(int64_t cid, int64_t timeout_ms);
// What `close` runs in the main interpreter: _interpchannels.close(cid,
// force=...). Without force a channel that holds items is not closed
// (ChannelNotEmptyError); with force its items are dropped.
std::string CloseSource(int64_t cid, bool force);
// What the `call` step `call` runs in the calling (main) interpreter:
// _interpreters.call of its func= in the interpreter whose id is the Python
// expression `iid`, with its value= as the one argument (none when value= is
// absent or `none`, which print alike). An excinfo comes
// back raised under its type's name; from 3.14, where call returns the
// result, a result that is not what the same call gives here raises
// AssertionError.
std::string CallSource(const std::string& iid, const scenario::Step& call, int64_t handle_qid);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_SNIPPET_SOURCE_H_
