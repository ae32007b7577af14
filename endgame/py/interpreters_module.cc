#include "endgame/py/interpreters_module.h"

#include <mutex>

#include "absl/strings/str_cat.h"
#include "endgame/py/error.h"
#include "endgame/py/shim.h"

namespace endgame::py {
namespace {

// The adapter: one API over every CPython's interpreters module. It lives in
// the main interpreter as the module `_endgame_xi`.
constexpr const char kAdapter[] = R"(
import importlib, sys
low = None
for _name in ('_interpreters', '_xxsubinterpreters'):
    try:
        low = importlib.import_module(_name)
        NAME = _name
        break
    except ImportError:
        pass
high = None
for _name in ('concurrent.interpreters', 'test.support.interpreters'):
    try:
        high = importlib.import_module(_name)
        break
    except Exception:
        pass

# Before 3.13 an interpreter made by the module lives as long as its
# InterpreterID object: keep it until destroy.
_ids = {}

def create(isolated, overrides):
    if hasattr(low, 'new_config'):
        cfg = low.new_config('isolated' if isolated else 'legacy', **overrides)
        iid = low.create(cfg)
    elif overrides:
        raise NotImplementedError('this CPython cannot set interpreter config flags from Python')
    elif sys.version_info >= (3, 12):
        iid = low.create(isolated=isolated)
    elif isolated:
        raise NotImplementedError('this CPython has only legacy subinterpreters')
    else:
        iid = low.create(isolated=False)
    _ids[int(iid)] = iid
    return int(iid)

_remote_types = {}
def _raise_remote(type_name, msg):
    cls = _remote_types.get(type_name)
    if cls is None:
        cls = _remote_types[type_name] = type(type_name, (Exception,), {})
    raise cls(msg)

def exec_(iid, code):
    iid = _ids.get(iid, iid)
    if hasattr(low, 'exec'):
        exc = low.exec(iid, code)
        if exc is not None:
            _raise_remote(exc.type.__name__, exc.msg)
    else:
        try:
            low.run_string(iid, code)
        except low.RunFailedError as e:
            tname, _, msg = str(e).partition(': ')
            if tname.startswith("<class '"):  # 3.11: "<class 'KeyError'>: 'k'"
                tname = tname[8:-2].rpartition('.')[2]
            _raise_remote(tname or 'RunFailedError', msg)

def share(iid, name, value_source):
    low.set___main___attrs(_ids.get(iid, iid), {name: eval(value_source)})

def destroy(iid):
    low.destroy(_ids.get(iid, iid))
    _ids.pop(iid, None)

def close(iid):
    if high is None or not hasattr(high, 'Interpreter'):
        raise NotImplementedError('no high-level interpreters module in this CPython')
    for interp in high.list_all():
        if int(interp.id) == iid:
            interp.close()
            return
    raise RuntimeError('interpreter %d not found' % iid)

def list_all():
    out = []
    for x in low.list_all():
        out.append(int(x[0] if isinstance(x, tuple) else x))
    return out
)";

std::once_flag g_once;
PyObject* g_adapter = nullptr;  // the module; never freed (lives until finalize)
std::string g_load_error;

void LoadAdapter() {
  PyObject* mod = PyModule_New("_endgame_xi");
  PyObject* dict = mod ? PyModule_GetDict(mod) : nullptr;
  if (dict) PyDict_SetItemString(dict, "__builtins__", PyEval_GetBuiltins());
  PyObject* r = dict ? PyRun_String(kAdapter, Py_file_input, dict, dict) : nullptr;
  if (r == nullptr) {
    g_load_error = FetchPythonError("interpreters adapter").ToString();
    Py_XDECREF(mod);
    return;
  }
  Py_DECREF(r);
  PyObject* low = PyDict_GetItemString(dict, "low");
  if (low == nullptr || low == Py_None) {
    g_load_error = "this CPython has no interpreters module (_interpreters or _xxsubinterpreters)";
    Py_DECREF(mod);
    return;
  }
  g_adapter = mod;
}

// Calls adapter.<fn>(*args); steals `args`.
absl::StatusOr<PyObject*> Call(const char* fn, PyObject* args) {
  if (args == nullptr) return FetchPythonError(fn);
  PyObject* f = PyObject_GetAttrString(g_adapter, fn);
  PyObject* r = f ? PyObject_CallObject(f, args) : nullptr;
  Py_XDECREF(f);
  Py_DECREF(args);
  if (r == nullptr) return FetchPythonError("");
  return r;
}

absl::Status CallNoResult(const char* fn, PyObject* args) {
  absl::StatusOr<PyObject*> r = Call(fn, args);
  if (!r.ok()) return r.status();
  Py_DECREF(*r);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<InterpretersModule> InterpretersModule::Load() {
  if (shim::CurrentThreadState() == nullptr) {
    return absl::FailedPreconditionError("InterpretersModule::Load needs an attached thread state");
  }
  // Never wait on g_once holding the GIL: the loading thread imports, which
  // lets other threads run and then needs the GIL back; a second caller
  // blocked in call_once while attached would deadlock them both (found by
  // lifecycle_fuzzer: two concurrent `destroy ... via=close`).
  PyThreadState* ts = PyEval_SaveThread();
  std::call_once(g_once, [ts] {
    PyEval_RestoreThread(ts);
    LoadAdapter();
    PyEval_SaveThread();
  });
  PyEval_RestoreThread(ts);
  if (g_adapter == nullptr) return absl::NotFoundError(g_load_error);
  PyObject* name = PyObject_GetAttrString(g_adapter, "NAME");
  std::string n = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : "?";
  Py_XDECREF(name);
  return InterpretersModule(n);
}

absl::StatusOr<int64_t> InterpretersModule::Create(const InterpFlags& f) const {
  bool isolated = !f.use_main_obmalloc;
  InterpFlags base = isolated ? InterpFlags::Isolated() : InterpFlags::Legacy();
  PyObject* overrides = PyDict_New();
  auto put = [&](const char* key, bool have, bool want) {
    if (have != want) PyDict_SetItemString(overrides, key, want ? Py_True : Py_False);
  };
  put("allow_fork", base.allow_fork, f.allow_fork);
  put("allow_exec", base.allow_exec, f.allow_exec);
  put("allow_threads", base.allow_threads, f.allow_threads);
  put("allow_daemon_threads", base.allow_daemon_threads, f.allow_daemon_threads);
  put("check_multi_interp_extensions", base.check_multi_interp_extensions, f.check_multi_interp_extensions);
  if (f.gil_text) {
    PyObject* gil = PyUnicode_DecodeUTF8(f.gil_text->data(), static_cast<Py_ssize_t>(f.gil_text->size()),
                                         "surrogateescape");
    if (gil == nullptr) {  // surrogateescape decodes any bytes; only memory can fail
      PyErr_Clear();
      Py_DECREF(overrides);
      return absl::InternalError("cannot decode the gil text");
    }
    PyDict_SetItemString(overrides, "gil", gil);
    Py_DECREF(gil);
  } else if (base.own_gil != f.own_gil) {
    PyObject* gil = PyUnicode_FromString(f.own_gil ? "own" : "shared");
    PyDict_SetItemString(overrides, "gil", gil);
    Py_DECREF(gil);
  }
  absl::StatusOr<PyObject*> r = Call("create", Py_BuildValue("(OO)", isolated ? Py_True : Py_False, overrides));
  Py_DECREF(overrides);
  if (!r.ok()) return r.status();
  int64_t id = PyLong_AsLongLong(*r);
  Py_DECREF(*r);
  return id;
}

absl::Status InterpretersModule::Exec(int64_t id, const std::string& code) const {
  return CallNoResult("exec_", Py_BuildValue("(Ls#)", static_cast<long long>(id), code.data(),
                                             static_cast<Py_ssize_t>(code.size())));
}

absl::Status InterpretersModule::Share(int64_t id, const std::string& name, const std::string& value_source) const {
  return CallNoResult("share", Py_BuildValue("(Lss)", static_cast<long long>(id), name.c_str(), value_source.c_str()));
}

absl::Status InterpretersModule::Destroy(int64_t id) const {
  return CallNoResult("destroy", Py_BuildValue("(L)", static_cast<long long>(id)));
}

absl::Status InterpretersModule::Close(int64_t id) const {
  absl::Status s = CallNoResult("close", Py_BuildValue("(L)", static_cast<long long>(id)));
  if (PythonExceptionType(s) == "NotImplementedError") return absl::UnimplementedError(s.message());
  return s;
}

absl::StatusOr<std::vector<int64_t>> InterpretersModule::ListAll() const {
  absl::StatusOr<PyObject*> r = Call("list_all", PyTuple_New(0));
  if (!r.ok()) return r.status();
  std::vector<int64_t> ids;
  for (Py_ssize_t i = 0; i < PyList_Size(*r); ++i) ids.push_back(PyLong_AsLongLong(PyList_GetItem(*r, i)));
  Py_DECREF(*r);
  return ids;
}

}  // namespace endgame::py
