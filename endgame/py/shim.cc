#include "endgame/py/shim.h"

namespace endgame::py::shim {

const char* NewInterpreter(const InterpFlags& f, PyThreadState** out) {
  *out = nullptr;
#if PY_VERSION_HEX >= 0x030C0000
  PyInterpreterConfig config = {};
  config.use_main_obmalloc = f.use_main_obmalloc;
  config.allow_fork = f.allow_fork;
  config.allow_exec = f.allow_exec;
  config.allow_threads = f.allow_threads;
  config.allow_daemon_threads = f.allow_daemon_threads;
  config.check_multi_interp_extensions = f.check_multi_interp_extensions;
  config.gil = f.own_gil ? PyInterpreterConfig_OWN_GIL : PyInterpreterConfig_SHARED_GIL;
  PyStatus status = Py_NewInterpreterFromConfig(out, &config);
  if (PyStatus_Exception(status)) {
    *out = nullptr;
    return status.err_msg ? status.err_msg : "Py_NewInterpreterFromConfig failed";
  }
  return nullptr;
#else
  // 3.11: Py_NewInterpreter() is the legacy config; nothing else exists.
  if (f.own_gil || !f.use_main_obmalloc) {
    return "this CPython has no per-interpreter GIL or obmalloc (needs 3.12+)";
  }
  *out = Py_NewInterpreter();
  return *out ? nullptr : "Py_NewInterpreter failed";
#endif
}

}  // namespace endgame::py::shim
