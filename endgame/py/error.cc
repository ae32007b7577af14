#include "endgame/py/error.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "endgame/py/shim.h"

namespace endgame::py {
namespace {

constexpr absl::string_view kMarker = "python exception ";

std::string Str(PyObject* o) {
  if (o == nullptr) return "";
  PyObject* s = PyObject_Str(o);
  if (s == nullptr) {
    PyErr_Clear();
    return "<unprintable>";
  }
  const char* utf8 = PyUnicode_AsUTF8(s);
  std::string out = utf8 ? utf8 : "<unprintable>";
  if (!utf8) PyErr_Clear();
  Py_DECREF(s);
  return out;
}

}  // namespace

absl::Status PythonError(absl::string_view type, absl::string_view text) {
  return absl::AbortedError(absl::StrCat(kMarker, type, ": ", text));
}

absl::Status FetchPythonError(absl::string_view context) {
  if (!PyErr_Occurred()) return absl::OkStatus();
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyErr_NormalizeException(&type, &value, &tb);
  std::string type_name = type ? reinterpret_cast<PyTypeObject*>(type)->tp_name : "?";
  // Builtins print bare; others keep their module (e.g. _interpreters.InterpreterError).
  std::string text = Str(value);
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(tb);
  absl::Status s = PythonError(type_name, text);
  return absl::Status(s.code(), absl::StrCat(context, context.empty() ? "" : ": ", s.message()));
}

std::string PythonExceptionType(const absl::Status& status) {
  absl::string_view m = status.message();
  size_t at = m.find(kMarker);
  if (status.code() != absl::StatusCode::kAborted || at == absl::string_view::npos) return "";
  m.remove_prefix(at + kMarker.size());
  size_t colon = m.find(':');
  return std::string(m.substr(0, colon));
}

}  // namespace endgame::py
