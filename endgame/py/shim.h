// File: endgame/py/shim.h
//
// The one place where CPython version differences (3.11 -> 3.14+) live. Every
// other file of endgame/py/ calls these instead of testing PY_VERSION_HEX.
// Include only from endgame/py/*.cc (it includes Python.h).
#ifndef ENDGAME_PY_SHIM_H_
#define ENDGAME_PY_SHIM_H_

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "endgame/py/interp_config.h"

namespace endgame::py::shim {

// PEP 684: per-interpreter GIL and Py_NewInterpreterFromConfig (3.12+).
inline constexpr bool kHasInterpreterConfig = PY_VERSION_HEX >= 0x030C0000;

#ifdef Py_GIL_DISABLED
inline constexpr bool kFreeThreaded = true;
#else
inline constexpr bool kFreeThreaded = false;
#endif

#ifdef Py_DEBUG
inline constexpr bool kDebugBuild = true;
#else
inline constexpr bool kDebugBuild = false;
#endif

// Creates a subinterpreter with `config` on the calling thread, which must be
// attached to some interpreter. On success *out is the new interpreter's
// thread state, current on this thread (the caller's previous one is
// detached). On 3.11 only legacy (shared GIL) interpreters exist: an isolated
// request is an error unless `config` is legacy-compatible.
// Returns nullptr on success or a static error message.
const char* NewInterpreter(const InterpFlags& config, PyThreadState** out);

// The thread state current on this thread, or nullptr, without failing.
inline PyThreadState* CurrentThreadState() {
#if PY_VERSION_HEX >= 0x030D0000
  return PyThreadState_GetUnchecked();
#else
  return _PyThreadState_UncheckedGet();
#endif
}

// Before 3.13, deleting an interpreter's first thread state leaves its
// preallocated slot marked initialized, and the next PyThreadState_New for
// that interpreter aborts ("init_threadstate: thread state already
// initialized"). There the creating thread state is kept (as 3.12's
// _xxsubinterpreters does) and Py_EndInterpreter runs on it.
inline constexpr bool kKeepInitialThreadState = PY_VERSION_HEX < 0x030D0000;

// Interpreter id (>= 0), as the interpreters module numbers them.
inline int64_t InterpreterId(PyInterpreterState* interp) { return PyInterpreterState_GetID(interp); }

// Whether the runtime is finalizing.
inline bool IsFinalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing();
#else
  return _Py_IsFinalizing();
#endif
}

// Names of the low-level interpreters modules to try, best first.
inline constexpr const char* kInterpretersModules[] = {
    "concurrent.interpreters",  // 3.14+ (PEP 734)
    "_interpreters",            // 3.13
    "_xxsubinterpreters",       // 3.11, 3.12
};

}  // namespace endgame::py::shim

#endif  // ENDGAME_PY_SHIM_H_
