#include "endgame/py/interp.h"

#include "absl/strings/str_cat.h"
#include "endgame/base/check.h"
#include "endgame/py/error.h"
#include "endgame/py/shim.h"

namespace endgame::py {
namespace {

// Runs `code` as __main__ of the interpreter current on this thread.
absl::Status RunCurrent(const std::string& code) {
  PyObject* main = PyImport_AddModule("__main__");  // borrowed
  if (main == nullptr) return FetchPythonError("__main__");
  PyObject* globals = PyModule_GetDict(main);       // borrowed
  PyObject* result = PyRun_String(code.c_str(), Py_file_input, globals, globals);
  if (result == nullptr) return FetchPythonError("");
  Py_DECREF(result);
  return absl::OkStatus();
}

PyThreadState* AttachedOrDie() {
  PyThreadState* ts = shim::CurrentThreadState();
  ENDGAME_CHECK(ts != nullptr) << "endgame::py interp call without an attached thread state";
  return ts;
}

}  // namespace

absl::StatusOr<Interp> CreateInterpreter(const InterpFlags& flags) {
  PyThreadState* save = AttachedOrDie();
  PyThreadState* sub = nullptr;
  if (const char* err = shim::NewInterpreter(flags, &sub)) {
    // On failure CPython restores the caller's thread state.
    if (shim::CurrentThreadState() != save) PyThreadState_Swap(save);
    PyErr_Clear();
    return absl::InvalidArgumentError(absl::StrCat("cannot create interpreter: ", err));
  }
  Interp interp{PyThreadState_GetInterpreter(sub), shim::InterpreterId(PyThreadState_GetInterpreter(sub))};
  if (shim::kKeepInitialThreadState) {
    PyThreadState_Swap(save);
    return interp;
  }
  PyThreadState_Clear(sub);
  PyThreadState_Swap(save);
  PyThreadState_Delete(sub);
  return interp;
}

absl::Status RunAttached(const std::string& code) {
  AttachedOrDie();
  return RunCurrent(code);
}

absl::Status RunInInterpreter(const Interp& interp, const std::string& code) {
  PyThreadState* save = AttachedOrDie();
  PyThreadState* ts = PyThreadState_New(interp.state);
  if (ts == nullptr) return absl::ResourceExhaustedError("PyThreadState_New failed");
  PyThreadState_Swap(ts);
  absl::Status s = RunCurrent(code);
  PyThreadState_Clear(ts);
  PyThreadState_Swap(save);
  PyThreadState_Delete(ts);
  return s;
}

SubThreadState::SubThreadState(const Interp& interp) : interp_(interp) {
  tstate_ = PyThreadState_New(interp.state);
  ENDGAME_CHECK(tstate_ != nullptr) << "PyThreadState_New failed";
}

absl::Status SubThreadState::Run(const std::string& code) {
  ENDGAME_CHECK(tstate_ != nullptr) << "SubThreadState::Run after Delete";
  PyThreadState* save = AttachedOrDie();
  PyThreadState_Swap(tstate_);
  absl::Status s = RunCurrent(code);
  PyThreadState_Swap(save);
  return s;
}

void SubThreadState::Delete() {
  if (tstate_ == nullptr) return;
  PyThreadState* save = AttachedOrDie();
  PyThreadState_Swap(tstate_);
  PyThreadState_Clear(tstate_);
  PyThreadState_Swap(save);
  PyThreadState_Delete(tstate_);
  tstate_ = nullptr;
}

absl::Status EndInterpreter(const Interp& interp) {
  PyThreadState* save = AttachedOrDie();
  PyThreadState* ts = nullptr;
  if (shim::kKeepInitialThreadState) {
    // The creating thread state is the oldest: the tail of the list.
    for (PyThreadState* t = PyInterpreterState_ThreadHead(interp.state); t != nullptr; t = PyThreadState_Next(t)) {
      ts = t;
    }
  }
  if (ts == nullptr) ts = PyThreadState_New(interp.state);
  if (ts == nullptr) return absl::ResourceExhaustedError("PyThreadState_New failed");
  PyThreadState_Swap(ts);
  // Joins the interpreter's non-daemon threads, then fails fatally if any
  // other thread state remains: that is the behaviour under test.
  Py_EndInterpreter(ts);
  // As _PyXI_EndInterpreter does: the caller's thread state comes back by swap.
  PyThreadState_Swap(save);
  return absl::OkStatus();
}

absl::StatusOr<int> SetAsyncExc(const Interp& interp, unsigned long thread_ident,
                                const char* exc_type_name) {
  PyThreadState* save = AttachedOrDie();
  PyThreadState* ts = PyThreadState_New(interp.state);
  if (ts == nullptr) return absl::ResourceExhaustedError("PyThreadState_New failed");
  PyThreadState_Swap(ts);
  PyObject* builtins = PyEval_GetBuiltins();  // borrowed
  PyObject* exc = builtins ? PyDict_GetItemString(builtins, exc_type_name) : nullptr;
  int n = -1;
  if (exc != nullptr) n = PyThreadState_SetAsyncExc(thread_ident, exc);
  PyThreadState_Clear(ts);
  PyThreadState_Swap(save);
  PyThreadState_Delete(ts);
  if (exc == nullptr) return absl::InvalidArgumentError(absl::StrCat("no builtin exception '", exc_type_name, "'"));
  return n;
}

absl::StatusOr<Interp> FindInterpreter(int64_t id) {
  AttachedOrDie();
  for (PyInterpreterState* i = PyInterpreterState_Head(); i != nullptr; i = PyInterpreterState_Next(i)) {
    if (shim::InterpreterId(i) == id) return Interp{i, id};
  }
  return absl::NotFoundError(absl::StrCat("no interpreter ", id));
}

int KeptThreadStates() { return shim::kKeepInitialThreadState ? 1 : 0; }

int InterpreterCount() {
  AttachedOrDie();
  int n = 0;
  for (PyInterpreterState* i = PyInterpreterState_Head(); i != nullptr; i = PyInterpreterState_Next(i)) ++n;
  return n;
}

int ThreadStateCount(const Interp& interp) {
  AttachedOrDie();
  int n = 0;
  for (PyThreadState* t = PyInterpreterState_ThreadHead(interp.state); t != nullptr; t = PyThreadState_Next(t)) ++n;
  return n;
}

int MainThreadStateCount() {
  AttachedOrDie();
  int n = 0;
  for (PyThreadState* t = PyInterpreterState_ThreadHead(PyInterpreterState_Main()); t != nullptr;
       t = PyThreadState_Next(t)) {
    ++n;
  }
  return n;
}

MemoryCounters MainMemoryCounters() {
  AttachedOrDie();
  MemoryCounters c;
  auto call = [](const char* name) -> int64_t {
    PyObject* f = PySys_GetObject(name);  // borrowed
    if (f == nullptr) return -1;
    PyObject* r = PyObject_CallNoArgs(f);
    if (r == nullptr) {
      PyErr_Clear();
      return -1;
    }
    int64_t v = PyLong_AsLongLong(r);
    Py_DECREF(r);
    return v;
  };
  c.total_refs = call("gettotalrefcount");
  c.allocated_blocks = call("getallocatedblocks");
  return c;
}

absl::Status CollectGarbage(const Interp& interp) {
  return RunInInterpreter(interp, "import gc\ngc.collect()\n");
}

}  // namespace endgame::py
