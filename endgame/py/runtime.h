// File: endgame/py/runtime.h
//
// The embedded CPython runtime: initialized once per process, then released so
// that any thread can attach. Python types stay opaque outside endgame/py/.
//
// Example:
//   endgame::py::RuntimeOptions opts;
//   opts.install_signal_handlers = false;   // under libFuzzer
//   ENDGAME_RETURN_IF_ERROR(endgame::py::InitializeRuntime(opts));
//   {
//     endgame::py::MainThreadAttach attach;   // this thread, main interpreter
//     ...
//   }
#ifndef ENDGAME_PY_RUNTIME_H_
#define ENDGAME_PY_RUNTIME_H_

#include <string>

#include "absl/status/status.h"

// CPython's own struct tags, so headers can name these types without Python.h.
typedef struct _ts PyThreadState;
typedef struct _is PyInterpreterState;

namespace endgame::py {

struct RuntimeOptions {
  // CPython's SIGINT handler and friends. Off under libFuzzer, as CPython's
  // own fuzzers run.
  bool install_signal_handlers = true;
  // Import `site` in every interpreter (subinterpreters inherit it). Off by
  // default: it costs milliseconds per interpreter and reads the filesystem.
  bool site_import = false;
  // PYTHONHOME for relocated builds (OSS-Fuzz's $OUT); empty: the prefix the
  // CPython was built for, or $ENDGAME_PYTHONHOME when set.
  std::string home;
};

// Initializes CPython on the calling thread, then detaches it (the GIL is free
// afterwards). A second call is a no-op returning OK.
absl::Status InitializeRuntime(const RuntimeOptions& options);

bool RuntimeInitialized();

// The main interpreter (valid after InitializeRuntime).
PyInterpreterState* MainInterpreter();

// Py_FinalizeEx from the thread that initialized the runtime, with nothing
// attached. Returns Py_FinalizeEx's failure as an error.
absl::Status FinalizeRuntime();

}  // namespace endgame::py

#endif  // ENDGAME_PY_RUNTIME_H_
