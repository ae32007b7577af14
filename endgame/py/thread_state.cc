#include "endgame/py/thread_state.h"

#include "endgame/base/check.h"
#include "endgame/py/shim.h"

namespace endgame::py {

// Defined in runtime.cc: the initializing thread's thread state.
PyThreadState* MainThreadStateForInitThread();

MainThreadState::MainThreadState() {
  ENDGAME_CHECK(RuntimeInitialized()) << "MainThreadState before InitializeRuntime()";
  PyThreadState* init = MainThreadStateForInitThread();
  // The initial thread state belongs to the thread that initialized Python.
  if (init != nullptr && init->thread_id == PyThread_get_thread_ident()) {
    tstate_ = init;
    owned_ = false;
  } else {
    tstate_ = PyThreadState_New(PyInterpreterState_Main());
    ENDGAME_CHECK(tstate_ != nullptr) << "PyThreadState_New(main) failed";
    owned_ = true;
  }
}

MainThreadState::~MainThreadState() {
  ENDGAME_CHECK(!attached_) << "MainThreadState destroyed while attached";
  if (!owned_) return;
  // After Py_FinalizeEx (a `finalize` step) the thread state is gone with its
  // interpreter; attaching it would park this thread for good in
  // PyThread_hang_thread (3.14+), as a cached worker ending at shutdown did.
  if (!RuntimeInitialized()) return;
  PyEval_RestoreThread(tstate_);
  PyThreadState_Clear(tstate_);
  PyThreadState_DeleteCurrent();
}

void MainThreadState::Attach() {
  ENDGAME_CHECK(!attached_) << "MainThreadState::Attach twice";
  PyEval_RestoreThread(tstate_);
  attached_ = true;
}

void MainThreadState::Detach() {
  ENDGAME_CHECK(attached_) << "MainThreadState::Detach while detached";
  ENDGAME_CHECK(shim::CurrentThreadState() == tstate_) << "another thread state is current";
  PyEval_SaveThread();
  attached_ = false;
}

GilReleased::GilReleased() : saved_(PyEval_SaveThread()) {}
GilReleased::~GilReleased() { PyEval_RestoreThread(saved_); }

unsigned long CurrentThreadIdent() { return PyThread_get_thread_ident(); }

}  // namespace endgame::py
