// File: endgame/py/interp.h
//
// Subinterpreters through the C API (the `capi` driver's primitives). Every
// function here is called on a thread whose MainThreadState is attached, and
// returns with it attached again, as an actor runtime would run them.
//
// Example:
//   ENDGAME_ASSIGN_OR_RETURN(Interp sub, CreateInterpreter(InterpFlags::Isolated()));
//   ENDGAME_RETURN_IF_ERROR(RunInInterpreter(sub, "x = 1"));
//   ENDGAME_RETURN_IF_ERROR(EndInterpreter(sub));
#ifndef ENDGAME_PY_INTERP_H_
#define ENDGAME_PY_INTERP_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "endgame/py/interp_config.h"
#include "endgame/py/runtime.h"

namespace endgame::py {

struct Interp {
  PyInterpreterState* state = nullptr;
  int64_t id = -1;
};

// Py_NewInterpreterFromConfig (Py_NewInterpreter on 3.11). The creating
// thread state is cleared and deleted before returning, as
// `_interpreters.create()` does, so the interpreter starts with none.
// An invalid config is a clean error.
absl::StatusOr<Interp> CreateInterpreter(const InterpFlags& flags);

// Runs `code` in `interp` on this thread with a thread state created for this
// call and deleted after it (the correct per-call pattern). A Python exception
// becomes an error status (see error.h).
absl::Status RunInInterpreter(const Interp& interp, const std::string& code);

// Runs `code` as __main__ of the interpreter whose thread state is attached
// on this thread (the caller's own). A Python exception becomes an error
// status (see error.h).
absl::Status RunAttached(const std::string& code);

// A thread state of this thread in a subinterpreter, kept across calls
// (tstate=sticky: what PyGILState caching does; the known anti-pattern).
// Delete() clears and deletes it; the destructor does not, on purpose: a
// sticky thread state outlives its job, and that is what is being tested.
class SubThreadState {
 public:
  explicit SubThreadState(const Interp& interp);
  absl::Status Run(const std::string& code);  // swap in, run, swap out
  void Delete();
  bool alive() const { return tstate_ != nullptr; }

 private:
  Interp interp_;
  PyThreadState* tstate_;
};

// Py_EndInterpreter with a new thread state of `interp` on this thread.
absl::Status EndInterpreter(const Interp& interp);

// PyThreadState_SetAsyncExc(thread_ident, exc_type) issued from inside
// `interp` (it only searches the current interpreter's threads). Returns the
// number of thread states modified (0: no such thread in that interpreter).
absl::StatusOr<int> SetAsyncExc(const Interp& interp, unsigned long thread_ident,
                                const char* exc_type_name = "SystemExit");

// The live interpreter with this id (NotFound when there is none).
absl::StatusOr<Interp> FindInterpreter(int64_t id);

// Thread states CreateInterpreter leaves in a new interpreter: 0, or 1 before
// CPython 3.13 (see shim.h, kKeepInitialThreadState).
int KeptThreadStates();

// Number of live interpreters and of thread states in one interpreter.
int InterpreterCount();
int ThreadStateCount(const Interp& interp);

// Thread states of the main interpreter.
int MainThreadStateCount();

// sys.gettotalrefcount() (debug builds; -1 elsewhere) and
// sys.getallocatedblocks() of the main interpreter.
struct MemoryCounters {
  int64_t total_refs = -1;
  int64_t allocated_blocks = -1;
};
MemoryCounters MainMemoryCounters();

// Runs gc.collect() in `interp` (per-call thread state).
absl::Status CollectGarbage(const Interp& interp);

}  // namespace endgame::py

#endif  // ENDGAME_PY_INTERP_H_
