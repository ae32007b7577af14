// File: endgame/py/interp_config.h
//
// InterpFlags: the fields of CPython's PyInterpreterConfig, free of Python.h,
// with the two presets CPython names (isolated and legacy).
#ifndef ENDGAME_PY_INTERP_CONFIG_H_
#define ENDGAME_PY_INTERP_CONFIG_H_

#include <optional>
#include <string>

namespace endgame::py {

struct InterpFlags {
  bool use_main_obmalloc = false;
  bool allow_fork = false;
  bool allow_exec = false;
  bool allow_threads = true;
  bool allow_daemon_threads = false;
  bool check_multi_interp_extensions = true;
  bool own_gil = true;
  // An odd gil value for _interpreters.new_config(gil=...), as bytes decoded
  // as UTF-8 with surrogateescape (scenario `gil="TEXT"`); it replaces
  // own_gil. The C API's PyInterpreterConfig has no string: CreateInterpreter
  // refuses it (Unimplemented).
  std::optional<std::string> gil_text;

  // _PyInterpreterConfig_INIT: own GIL, own obmalloc.
  static InterpFlags Isolated() { return InterpFlags{}; }
  // _PyInterpreterConfig_LEGACY_INIT: what Py_NewInterpreter() creates.
  static InterpFlags Legacy() {
    InterpFlags f;
    f.use_main_obmalloc = true;
    f.allow_fork = true;
    f.allow_exec = true;
    f.allow_daemon_threads = true;
    f.check_multi_interp_extensions = false;
    f.own_gil = false;
    return f;
  }
  bool operator==(const InterpFlags& o) const {
    return use_main_obmalloc == o.use_main_obmalloc && allow_fork == o.allow_fork &&
           allow_exec == o.allow_exec && allow_threads == o.allow_threads &&
           allow_daemon_threads == o.allow_daemon_threads &&
           check_multi_interp_extensions == o.check_multi_interp_extensions && own_gil == o.own_gil &&
           gil_text == o.gil_text;
  }
};

}  // namespace endgame::py

#endif  // ENDGAME_PY_INTERP_CONFIG_H_
