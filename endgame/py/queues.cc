#include "endgame/py/queues.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "endgame/py/error.h"
#include "endgame/py/shim.h"

namespace endgame::py {
namespace {

// Evaluates `expr` (an expression over `q`, the module `module`) in a fresh
// namespace of the current interpreter: a new reference.
absl::StatusOr<PyObject*> EvalIn(const char* module, const char* what, const std::string& expr) {
  PyObject* mod = PyImport_ImportModule(module);
  if (mod == nullptr) {
    PyErr_Clear();
    return absl::UnimplementedError(absl::StrCat("this CPython has no ", module, " (cross-interpreter ",
                                                 what, ": 3.13+)"));
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
  return r;
}

// The same for an int expression.
absl::StatusOr<int64_t> EvalIntIn(const char* module, const char* what, const std::string& expr) {
  absl::StatusOr<PyObject*> r = EvalIn(module, what, expr);
  if (!r.ok()) return r.status();
  int64_t v = PyLong_AsLongLong(*r);
  Py_DECREF(*r);
  if (v == -1 && PyErr_Occurred()) return FetchPythonError("queue");
  return v;
}

absl::StatusOr<int64_t> EvalInt(const std::string& expr) { return EvalIntIn("_interpqueues", "queues", expr); }
absl::StatusOr<int64_t> EvalChannels(const std::string& expr) { return EvalIntIn("_interpchannels", "channels", expr); }

}  // namespace

std::string CreateQueueExpression(const std::string& module, int64_t maxsize, int unbound_op) {
  // 3.13: create(maxsize, fmt, unboundop); 3.14+: create(maxsize, unboundop, fallback).
  return absl::StrCat(module, ".create(", maxsize, ", 0, ", unbound_op, ") if sys.version_info < (3, 14) else ",
                      module, ".create(", maxsize, ", ", unbound_op, ", 0)");
}

absl::StatusOr<int64_t> CreateQueue(int64_t maxsize, int unbound_op) {
  return EvalInt(CreateQueueExpression("q", maxsize, unbound_op));
}

absl::Status BindQueue(int64_t qid) { return EvalInt(absl::StrCat("q.bind(", qid, ") or 0")).status(); }

absl::StatusOr<int64_t> QueueCount(int64_t qid) { return EvalInt(absl::StrCat("q.get_count(", qid, ")")); }

absl::Status DestroyQueue(int64_t qid) {
  return EvalInt(absl::StrCat("q.destroy(", qid, ") or 0")).status();
}

absl::StatusOr<bool> QueueExists(int64_t qid) {
  absl::StatusOr<int64_t> n = EvalInt(absl::StrCat("sum(1 for e in q.list_all() if e[0] == ", qid, ")"));
  if (!n.ok()) return n.status();
  return *n > 0;
}

std::string CreateChannelExpression(const std::string& module, int unbound_op) {
  // The same on 3.13, 3.14 and 3.15 (3.13 requires the argument).
  return absl::StrCat(module, ".create(", unbound_op, ")");
}

namespace {
// The ChannelID objects create() returned, by id, owned by the main
// interpreter: a channel lives only while some ChannelID of it does (dropping
// the last one destroys it, 3.13.15, 3.14.10 and 3.15.2 alike), so the
// conductor keeps its handle until DestroyChannel. Main-attached only.
std::map<int64_t, PyObject*>& ChannelHandles() {
  static auto* m = new std::map<int64_t, PyObject*>();
  return *m;
}
}  // namespace

absl::StatusOr<int64_t> CreateChannel(int unbound_op) {
  absl::StatusOr<PyObject*> handle =
      EvalIn("_interpchannels", "channels", CreateChannelExpression("q", unbound_op));
  if (!handle.ok()) return handle.status();
  PyObject* n = PyNumber_Long(*handle);
  int64_t cid = n == nullptr ? -1 : PyLong_AsLongLong(n);
  Py_XDECREF(n);
  if (cid == -1 && PyErr_Occurred()) {
    Py_DECREF(*handle);
    return FetchPythonError("channel");
  }
  PyObject*& kept = ChannelHandles()[cid];
  Py_XDECREF(kept);
  kept = *handle;
  return cid;
}

absl::StatusOr<ChannelState> GetChannelState(int64_t cid) {
  // get_info answers for a closed channel too (list_all() leaves those out).
  absl::StatusOr<int64_t> v = EvalChannels(absl::StrCat("(lambda i: i.count * 2 + bool(i.closed))(q.get_info(", cid, "))"));
  if (!v.ok()) return v.status();
  return ChannelState{*v / 2, (*v % 2) == 1};
}

absl::Status DestroyChannel(int64_t cid) {
  absl::Status s = EvalChannels(absl::StrCat("q.destroy(", cid, ") or 0")).status();
  auto it = ChannelHandles().find(cid);
  if (it != ChannelHandles().end()) {
    Py_DECREF(it->second);
    ChannelHandles().erase(it);
  }
  return s;
}

absl::StatusOr<bool> ChannelExists(int64_t cid) {
  // A closed channel is not in list_all() until it is destroyed, but
  // get_info() still finds it; after destroy() it raises ChannelNotFoundError.
  absl::StatusOr<int64_t> v = EvalChannels(absl::StrCat("q.get_info(", cid, ") and 1"));
  if (v.ok()) return true;
  if (PythonExceptionType(v.status()) == "ChannelNotFoundError") return false;
  return v.status();
}

}  // namespace endgame::py
