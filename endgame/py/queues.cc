#include "endgame/py/queues.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "endgame/py/error.h"
#include "endgame/py/shim.h"

namespace endgame::py {
namespace {

// Evaluates `expr` (an int expression over `q`, the module) in a fresh
// namespace of the current interpreter.
absl::StatusOr<int64_t> EvalInt(const std::string& expr) {
  PyObject* mod = PyImport_ImportModule("_interpqueues");
  if (mod == nullptr) {
    PyErr_Clear();
    return absl::UnimplementedError("this CPython has no _interpqueues (cross-interpreter queues: 3.13+)");
  }
  PyObject* ns = PyDict_New();
  if (ns == nullptr) {
    Py_DECREF(mod);
    return FetchPythonError("queue");
  }
  PyDict_SetItemString(ns, "__builtins__", PyEval_GetBuiltins());
  PyDict_SetItemString(ns, "q", mod);
  PyDict_SetItemString(ns, "sys", PyImport_AddModule("sys"));
  Py_DECREF(mod);
  PyObject* r = PyRun_String(expr.c_str(), Py_eval_input, ns, ns);
  Py_DECREF(ns);
  if (r == nullptr) return FetchPythonError("queue");
  int64_t v = PyLong_AsLongLong(r);
  Py_DECREF(r);
  if (v == -1 && PyErr_Occurred()) return FetchPythonError("queue");
  return v;
}

}  // namespace

std::string CreateQueueExpression(const std::string& module, int64_t maxsize, int unbound_op) {
  // 3.13: create(maxsize, fmt, unboundop); 3.14+: create(maxsize, unboundop, fallback).
  return absl::StrCat(module, ".create(", maxsize, ", 0, ", unbound_op, ") if sys.version_info < (3, 14) else ",
                      module, ".create(", maxsize, ", ", unbound_op, ", 0)");
}

absl::StatusOr<int64_t> CreateQueue(int64_t maxsize, int unbound_op) {
  return EvalInt(CreateQueueExpression("q", maxsize, unbound_op));
}

absl::StatusOr<int64_t> QueueCount(int64_t qid) { return EvalInt(absl::StrCat("q.get_count(", qid, ")")); }

absl::Status DestroyQueue(int64_t qid) {
  return EvalInt(absl::StrCat("q.destroy(", qid, ") or 0")).status();
}

absl::StatusOr<bool> QueueExists(int64_t qid) {
  absl::StatusOr<int64_t> n = EvalInt(absl::StrCat("sum(1 for e in q.list_all() if e[0] == ", qid, ")"));
  if (!n.ok()) return n.status();
  return *n > 0;
}

}  // namespace endgame::py
