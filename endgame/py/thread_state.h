// File: endgame/py/thread_state.h
//
// Explicit thread-state management (no PyGILState_*, unsafe with
// subinterpreters): each OS thread owns at most one thread state per
// interpreter, creates it itself, and deletes it before it exits.
//
// Example (a worker thread of an actor runtime):
//   endgame::py::MainThreadState main;      // this thread in the main interpreter
//   {
//     endgame::py::Attached attached(main);  // holds the main GIL inside
//     ... call into Python ...
//   }
#ifndef ENDGAME_PY_THREAD_STATE_H_
#define ENDGAME_PY_THREAD_STATE_H_

#include "endgame/py/runtime.h"

namespace endgame::py {

// This thread's thread state in the main interpreter. On the thread that
// initialized the runtime it adopts the initial thread state (never deleted);
// elsewhere it creates one and deletes it on destruction (detached).
class MainThreadState {
 public:
  MainThreadState();
  ~MainThreadState();
  MainThreadState(const MainThreadState&) = delete;
  MainThreadState& operator=(const MainThreadState&) = delete;

  void Attach();  // PyEval_RestoreThread; must be detached
  void Detach();  // PyEval_SaveThread; must be attached
  bool attached() const { return attached_; }
  PyThreadState* get() const { return tstate_; }

 private:
  PyThreadState* tstate_;
  bool owned_;
  bool attached_ = false;
};

// Attaches a MainThreadState for a scope.
class Attached {
 public:
  explicit Attached(MainThreadState& ts) : ts_(ts) { ts_.Attach(); }
  ~Attached() { ts_.Detach(); }
  Attached(const Attached&) = delete;
  Attached& operator=(const Attached&) = delete;

 private:
  MainThreadState& ts_;
};

// Releases the GIL of the attached thread state for a scope (blocking waits).
class GilReleased {
 public:
  GilReleased();
  ~GilReleased();
  GilReleased(const GilReleased&) = delete;
  GilReleased& operator=(const GilReleased&) = delete;

 private:
  PyThreadState* saved_;
};

// The Python thread id (PyThread_get_thread_ident) of the calling thread: what
// PyThreadState_SetAsyncExc takes.
unsigned long CurrentThreadIdent();

}  // namespace endgame::py

#endif  // ENDGAME_PY_THREAD_STATE_H_
