// File: endgame/py/capabilities.h
//
// What the embedded CPython is and can do: version, build kind, sanitizers,
// free-threading, own-GIL support, and which interpreters module exists.
// `endgame doctor` prints these; scenarios' `requires` lines test them.
//
// Example:
//   ENDGAME_ASSIGN_OR_RETURN(Capabilities caps, DetectCapabilities());
//   if (!caps.own_gil) ...;
#ifndef ENDGAME_PY_CAPABILITIES_H_
#define ENDGAME_PY_CAPABILITIES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace endgame::py {

struct Capabilities {
  std::string version;         // "3.13.15" (runtime, sys.version_info)
  int major = 0, minor = 0, micro = 0;
  std::string header_version;  // PY_VERSION endgame was compiled against
  std::string build;           // "release" | "debug"
  bool debug = false;          // Py_DEBUG (sys.gettotalrefcount exists)
  bool asserts = false;        // C asserts on (debug, or -UNDEBUG in CFLAGS)
  bool asan = false;
  bool tsan = false;
  bool freethreaded = false;   // Py_GIL_DISABLED
  bool pymalloc = false;       // WITH_PYMALLOC
  bool shared = false;         // Py_ENABLE_SHARED
  bool own_gil = false;        // per-interpreter GIL (PEP 684)
  bool config_api = false;     // Py_NewInterpreterFromConfig
  // Best interpreters module ("" when none), and every one importable.
  std::string interpreters_module;
  std::vector<std::string> interpreters_modules;
  std::string prefix;          // sys.base_prefix
  std::string executable;      // <prefix>/bin/pythonX.Y when it exists
  std::string gdb_script;      // CPython's gdb helpers (libpython.py, for py-bt); "" when none
  std::string compiler;        // Py_GetCompiler()
  std::string configure_args;  // sysconfig CONFIG_ARGS
  std::string variant;         // from scripts/build-cpython.sh's stamp, "" otherwise
  bool built_by_endgame = false;

  // Whether a capability word of the scenario language holds (debug,
  // release, own_gil, freethreaded, asan, tsan, interpreters_module).
  bool Has(const std::string& word) const;
  // (name, value) pairs in doctor's order, values as text.
  std::vector<std::pair<std::string, std::string>> Fields() const;
};

// Detects capabilities; the runtime must be initialized (attaches itself).
absl::StatusOr<Capabilities> DetectCapabilities();

}  // namespace endgame::py

#endif  // ENDGAME_PY_CAPABILITIES_H_
