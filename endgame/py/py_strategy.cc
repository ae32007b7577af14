#include "endgame/py/py_strategy.h"

#include <atomic>
#include <map>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "endgame/py/error.h"
#include "endgame/py/shim.h"

namespace endgame::py {
namespace {

// The glue between the conductor and a strategy object, as the module
// `_endgame_pystrat` in the main interpreter. `_notify` is a C function.
constexpr const char kGlue[] = R"(
import concurrent.futures, importlib, importlib.util, os, sys, types

class Missing(Exception):
    """The user's module or file does not exist."""

class Skip(Exception):
    """A library or CPython feature the strategy needs is missing."""

def _site():
    # A strategy runs as its library's users run it: with this CPython's
    # site-packages on sys.path (endgame starts CPython without `site`).
    import site
    if not any(p.endswith(('site-packages', 'dist-packages')) for p in sys.path):
        site.main()

def _module(name, source, module):
    _site()
    if source:
        mod = types.ModuleType('endgame_strategy_' + name)
        mod.__file__ = 'endgame/strategy/py/%s.py' % name
        try:
            exec(compile(source, mod.__file__, 'exec'), mod.__dict__)
        except ImportError as e:
            raise Skip('strategy %s needs %s (%s)' % (name, e.name or 'a module', e)) from None
        return mod
    if module.endswith('.py') or os.sep in module:
        if not os.path.isfile(module):
            raise Missing('no such file: %s (cwd %s)' % (module, os.getcwd()))
        spec = importlib.util.spec_from_file_location(
            os.path.splitext(os.path.basename(module))[0], module)
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
        except ImportError as e:
            raise Skip('strategy module %s needs %s' % (module, e)) from None
        return mod
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name is not None and (module == e.name or module.startswith(e.name + '.')):
            raise Missing('module %r not found on sys.path' % module) from None
        raise Skip('strategy module %s needs %s' % (module, e)) from None
    except ImportError as e:
        raise Skip('strategy module %s needs %s' % (module, e)) from None

def _outcome(f):
    # (kind, type name, message): ok | error (exec returned a snapshot) |
    # raised | cancelled.
    if f.cancelled():
        return ('cancelled', 'CancelledError', 'the future was cancelled')
    exc = f.exception()
    if exc is not None:
        if isinstance(exc, concurrent.futures.CancelledError):
            return ('cancelled', type(exc).__name__, str(exc))
        # InterpreterPoolExecutor raises ExecutionFailed carrying the snapshot.
        snap = getattr(exc, 'excinfo', None)
        if snap is not None and getattr(snap, 'type', None) is not None:
            return ('error', snap.type.__name__, str(snap.msg))
        return ('raised', type(exc).__name__, str(exc))
    r = f.result()
    if r is None:
        return ('ok', '', '')
    t = getattr(r, 'type', None)
    return ('error', getattr(t, '__name__', type(r).__name__), str(getattr(r, 'msg', r)))

class Handle:
    def __init__(self, name, source, module, args):
        self.name = name
        self.futures = {}
        mod = _module(name, source, module)
        make = getattr(mod, 'make', None)
        if make is None:
            raise TypeError('%s defines no make(**args)' % (module or name))
        try:
            self.obj = make(**dict(args))
        except ImportError as e:
            raise Skip('strategy %s needs %s' % (module or name, e)) from None
        for m in ('submit', 'cancel', 'before_destroy', 'shutdown'):
            if not callable(getattr(self.obj, m, None)):
                raise TypeError('the object make() returned has no %s()' % m)

    def submit(self, iid, code, token):
        fut = self.obj.submit(iid, code)
        if not isinstance(fut, concurrent.futures.Future):
            raise TypeError('submit() returned %s, not a concurrent.futures.Future' % type(fut).__name__)
        self.futures[token] = fut
        fut.add_done_callback(lambda f: _notify(token, *_outcome(f)))

    def cancel(self, token, via):
        self.obj.cancel(self.futures[token], via)

    def before_destroy(self, iid):
        r = self.obj.before_destroy(iid)
        if not isinstance(r, bool):
            raise TypeError('before_destroy() returned %r, not a bool' % (r,))
        return r

    def shutdown(self):
        self.obj.shutdown()

    def lingering(self):
        f = getattr(self.obj, 'lingering', None)
        return [int(x) for x in f()] if f is not None else []
)";

std::once_flag g_once;
PyObject* g_glue = nullptr;  // never freed (lives until finalize)
std::string g_load_error;

std::mutex g_mu;
std::map<int64_t, std::function<void(absl::Status)>>* g_done = new std::map<int64_t, std::function<void(absl::Status)>>;
std::atomic<int64_t> g_next_token{1};

// _notify(token, kind, type, message), called by the future's done callback.
PyObject* Notify(PyObject*, PyObject* args) {
  long long token;
  const char *kind, *type, *msg;
  if (!PyArg_ParseTuple(args, "Lsss", &token, &kind, &type, &msg)) return nullptr;
  std::function<void(absl::Status)> fn;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    auto it = g_done->find(token);
    if (it != g_done->end()) {
      fn = std::move(it->second);
      g_done->erase(it);
    }
  }
  if (fn) {
    std::string k = kind;
    absl::Status s = k == "ok"          ? absl::OkStatus()
                     : k == "cancelled" ? absl::CancelledError(absl::StrCat(type, ": ", msg))
                                        : PythonError(type, msg);
    fn(std::move(s));
  }
  Py_RETURN_NONE;
}

PyMethodDef g_notify_def = {"_notify", Notify, METH_VARARGS, nullptr};

void LoadGlue() {
  PyObject* mod = PyModule_New("_endgame_pystrat");
  PyObject* dict = mod ? PyModule_GetDict(mod) : nullptr;
  if (dict) PyDict_SetItemString(dict, "__builtins__", PyEval_GetBuiltins());
  PyObject* r = dict ? PyRun_String(kGlue, Py_file_input, dict, dict) : nullptr;
  PyObject* notify = r ? PyCFunction_New(&g_notify_def, nullptr) : nullptr;
  if (notify == nullptr || PyDict_SetItemString(dict, "_notify", notify) < 0) {
    g_load_error = FetchPythonError("strategy glue").ToString();
    Py_XDECREF(r);
    Py_XDECREF(mod);
    return;
  }
  Py_DECREF(notify);
  Py_DECREF(r);
  g_glue = mod;
}

// The exception pending from a call into the glue, classified.
absl::Status LoadError() {
  // Set aside while the glue's classes are looked up: an attribute lookup
  // with an exception pending is an error (a debug build asserts).
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyObject* missing = PyObject_GetAttrString(g_glue, "Missing");
  PyObject* skip = PyObject_GetAttrString(g_glue, "Skip");
  PyErr_Clear();
  absl::StatusCode code = absl::StatusCode::kInvalidArgument;
  if (type != nullptr && missing != nullptr && PyErr_GivenExceptionMatches(type, missing)) {
    code = absl::StatusCode::kNotFound;
  }
  if (type != nullptr && skip != nullptr && PyErr_GivenExceptionMatches(type, skip)) {
    code = absl::StatusCode::kUnimplemented;
  }
  Py_XDECREF(missing);
  Py_XDECREF(skip);
  PyErr_Restore(type, value, tb);
  absl::Status s = FetchPythonError("");
  if (code == absl::StatusCode::kInvalidArgument) return absl::InvalidArgumentError(s.message());
  // Missing / Skip: their message alone, without the type name.
  std::string text(s.message());
  for (const char* tag : {"Skip: ", "Missing: "}) {
    size_t at = text.find(tag);
    if (at != std::string::npos) text = text.substr(at + std::string(tag).size());
  }
  return absl::Status(code, text);
}

// handle.<method>(*args); steals `args`.
absl::StatusOr<PyObject*> CallMethod(void* handle, const char* method, PyObject* args) {
  if (args == nullptr) return FetchPythonError(method);
  PyObject* f = PyObject_GetAttrString(static_cast<PyObject*>(handle), method);
  PyObject* r = f ? PyObject_CallObject(f, args) : nullptr;
  Py_XDECREF(f);
  Py_DECREF(args);
  if (r == nullptr) return FetchPythonError(absl::StrCat("strategy ", method, "()"));
  return r;
}

absl::Status CallNoResult(void* handle, const char* method, PyObject* args) {
  absl::StatusOr<PyObject*> r = CallMethod(handle, method, args);
  if (!r.ok()) return r.status();
  Py_DECREF(*r);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PyStrategyObject>> PyStrategyObject::Load(const PyStrategySource& src) {
  PyThreadState* ts = shim::CurrentThreadState();
  if (ts == nullptr) return absl::FailedPreconditionError("PyStrategyObject::Load needs an attached thread state");
  // As InterpretersModule::Load: never wait on g_once holding the GIL.
  PyEval_SaveThread();
  std::call_once(g_once, [ts] {
    PyEval_RestoreThread(ts);
    LoadGlue();
    PyEval_SaveThread();
  });
  PyEval_RestoreThread(ts);
  if (g_glue == nullptr) return absl::InternalError(g_load_error);
  PyObject* args = PyList_New(0);
  for (const auto& [k, v] : src.args) {
    PyObject* kv = Py_BuildValue("(s#s#)", k.data(), static_cast<Py_ssize_t>(k.size()), v.data(),
                                 static_cast<Py_ssize_t>(v.size()));
    if (kv == nullptr || PyList_Append(args, kv) < 0) {
      Py_XDECREF(kv);
      Py_DECREF(args);
      return FetchPythonError("strategy arguments");
    }
    Py_DECREF(kv);
  }
  PyObject* cls = PyObject_GetAttrString(g_glue, "Handle");
  PyObject* h = cls ? PyObject_CallFunction(cls, "s#s#s#O", src.name.data(), static_cast<Py_ssize_t>(src.name.size()),
                                            src.source.data(), static_cast<Py_ssize_t>(src.source.size()),
                                            src.module.data(), static_cast<Py_ssize_t>(src.module.size()), args)
                    : nullptr;
  Py_XDECREF(cls);
  Py_DECREF(args);
  if (h == nullptr) return LoadError();
  return std::unique_ptr<PyStrategyObject>(new PyStrategyObject(h));
}

PyStrategyObject::~PyStrategyObject() {
  if (shim::CurrentThreadState() != nullptr) Py_DECREF(static_cast<PyObject*>(handle_));
}

absl::StatusOr<int64_t> PyStrategyObject::Submit(int64_t interp_id, const std::string& code,
                                                 std::function<void(absl::Status)> on_done) {
  const int64_t token = g_next_token.fetch_add(1);
  {
    std::lock_guard<std::mutex> lock(g_mu);
    (*g_done)[token] = std::move(on_done);
  }
  absl::Status s = CallNoResult(handle_, "submit",
                                Py_BuildValue("(Ls#L)", static_cast<long long>(interp_id), code.data(),
                                              static_cast<Py_ssize_t>(code.size()), static_cast<long long>(token)));
  if (!s.ok()) {
    std::lock_guard<std::mutex> lock(g_mu);
    g_done->erase(token);
    return s;
  }
  return token;
}

absl::Status PyStrategyObject::Cancel(int64_t token, const std::string& via) {
  absl::Status s = CallNoResult(handle_, "cancel", Py_BuildValue("(Ls)", static_cast<long long>(token), via.c_str()));
  if (PythonExceptionType(s) == "NotImplementedError") return absl::UnimplementedError(s.message());
  return s;
}

absl::StatusOr<bool> PyStrategyObject::BeforeDestroy(int64_t interp_id) {
  absl::StatusOr<PyObject*> r =
      CallMethod(handle_, "before_destroy", Py_BuildValue("(L)", static_cast<long long>(interp_id)));
  if (!r.ok()) return r.status();
  bool settled = *r == Py_True;
  Py_DECREF(*r);
  return settled;
}

absl::Status PyStrategyObject::Shutdown() { return CallNoResult(handle_, "shutdown", PyTuple_New(0)); }

std::vector<int64_t> PyStrategyObject::Lingering() {
  std::vector<int64_t> out;
  absl::StatusOr<PyObject*> r = CallMethod(handle_, "lingering", PyTuple_New(0));
  if (!r.ok()) return out;
  Py_ssize_t n = PyList_Size(*r);
  for (Py_ssize_t i = 0; i < n; ++i) out.push_back(PyLong_AsLongLong(PyList_GetItem(*r, i)));
  Py_DECREF(*r);
  return out;
}

}  // namespace endgame::py
