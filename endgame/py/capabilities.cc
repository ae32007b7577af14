#include "endgame/py/capabilities.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "endgame/py/error.h"
#include "endgame/py/shim.h"
#include "endgame/py/thread_state.h"

namespace endgame::py {
namespace {

// Facts gathered in Python; each value is a str.
constexpr const char kProbe[] = R"(
import os, sys, sysconfig, importlib
def _v(name):
    x = sysconfig.get_config_var(name)
    return '' if x is None else str(x)
_mods = []
for _m in MODULES:
    try:
        importlib.import_module(_m)
        _mods.append(_m)
    except ImportError:
        pass
facts = {
    'version': '%d.%d.%d' % sys.version_info[:3],
    'debug': str(int(hasattr(sys, 'gettotalrefcount'))),
    'config_args': _v('CONFIG_ARGS'),
    'cflags': _v('CFLAGS') + ' ' + _v('CONFIGURE_CFLAGS') + ' ' + _v('PY_CFLAGS_NODIST'),
    'gil_disabled': _v('Py_GIL_DISABLED'),
    'pymalloc': _v('WITH_PYMALLOC'),
    'shared': _v('Py_ENABLE_SHARED'),
    'prefix': sys.base_prefix,
    'bindir': _v('BINDIR'),
    'modules': ','.join(_mods),
    # CPython's gdb helpers (py-bt): copied into the prefix by
    # scripts/build-cpython.sh, or where Debian's packages put them.
    'gdb_script': next((p for p in (
        sys.base_prefix + '/share/endgame/libpython.py',
        '/usr/share/gdb/auto-load' + _v('LIBDIR') + '/' + _v('INSTSONAME') + '-gdb.py')
        if os.path.isfile(p)), ''),
}
)";

std::string Get(PyObject* dict, const char* key) {
  PyObject* v = PyDict_GetItemString(dict, key);  // borrowed
  const char* s = v ? PyUnicode_AsUTF8(v) : nullptr;
  return s ? s : "";
}

}  // namespace

bool Capabilities::Has(const std::string& w) const {
  if (w == "debug") return debug;
  if (w == "release") return !debug;
  if (w == "own_gil") return own_gil;
  if (w == "freethreaded") return freethreaded;
  if (w == "asan") return asan;
  if (w == "tsan") return tsan;
  if (w == "interpreters_module") return !interpreters_module.empty();
  return false;
}

std::vector<std::pair<std::string, std::string>> Capabilities::Fields() const {
  auto b = [](bool x) { return std::string(x ? "yes" : "no"); };
  return {
      {"version", version},
      {"header_version", header_version},
      {"build", build},
      {"variant", variant.empty() ? "-" : variant},
      {"built_by_endgame", b(built_by_endgame)},
      {"debug", b(debug)},
      {"asserts", b(asserts)},
      {"asan", b(asan)},
      {"tsan", b(tsan)},
      {"freethreaded", b(freethreaded)},
      {"pymalloc", b(pymalloc)},
      {"shared", b(shared)},
      {"own_gil", b(own_gil)},
      {"config_api", b(config_api)},
      {"interpreters_module", interpreters_module.empty() ? "-" : interpreters_module},
      {"interpreters_modules", interpreters_modules.empty() ? "-" : absl::StrJoin(interpreters_modules, ",")},
      {"prefix", prefix},
      {"executable", executable.empty() ? "-" : executable},
      {"gdb_script", gdb_script.empty() ? "-" : gdb_script},
      {"compiler", compiler},
      {"configure_args", configure_args},
  };
}

absl::StatusOr<Capabilities> DetectCapabilities() {
  if (!RuntimeInitialized()) return absl::FailedPreconditionError("runtime not initialized");
  Capabilities c;
  c.header_version = PY_VERSION;
  c.config_api = shim::kHasInterpreterConfig;
  c.compiler = Py_GetCompiler();
  while (!c.compiler.empty() && (c.compiler[0] == '\n' || c.compiler[0] == ' ')) c.compiler.erase(0, 1);

  MainThreadState main;
  Attached attached(main);
  std::string modules = "MODULES = [";
  for (const char* m : shim::kInterpretersModules) absl::StrAppend(&modules, "'", m, "',");
  absl::StrAppend(&modules, "]\n", kProbe);
  PyObject* globals = PyDict_New();
  PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
  PyObject* r = PyRun_String(modules.c_str(), Py_file_input, globals, globals);
  absl::Status status = r ? absl::OkStatus() : FetchPythonError("capability probe");
  Py_XDECREF(r);
  PyObject* facts = PyDict_GetItemString(globals, "facts");
  if (status.ok() && facts != nullptr) {
    c.version = Get(facts, "version");
    std::sscanf(c.version.c_str(), "%d.%d.%d", &c.major, &c.minor, &c.micro);
    c.debug = Get(facts, "debug") == "1";
    c.build = c.debug ? "debug" : "release";
    c.configure_args = Get(facts, "config_args");
    std::string cflags = Get(facts, "cflags");
    c.asan = absl::StrContains(c.configure_args, "--with-address-sanitizer") ||
             absl::StrContains(cflags, "-fsanitize=address");
    c.tsan = absl::StrContains(c.configure_args, "--with-thread-sanitizer") ||
             absl::StrContains(cflags, "-fsanitize=thread");
    c.asserts = c.debug || absl::StrContains(cflags, "-UNDEBUG");
    c.freethreaded = Get(facts, "gil_disabled") == "1";
    c.pymalloc = Get(facts, "pymalloc") == "1";
    c.shared = Get(facts, "shared") == "1";
    c.prefix = Get(facts, "prefix");
    c.gdb_script = Get(facts, "gdb_script");
    std::string bindir = Get(facts, "bindir");
    std::string exe = absl::StrCat(bindir, "/python", c.major, ".", c.minor);
    if (std::ifstream(exe).good()) c.executable = exe;
    std::string mods = Get(facts, "modules");
    for (absl::string_view m : absl::StrSplit(mods, ',', absl::SkipEmpty())) {
      c.interpreters_modules.emplace_back(m);
    }
    if (!c.interpreters_modules.empty()) c.interpreters_module = c.interpreters_modules.front();
  }
  Py_DECREF(globals);
  if (!status.ok()) return status;
  c.own_gil = c.config_api && (c.major > 3 || c.minor >= 12);

  // scripts/build-cpython.sh leaves a stamp in the prefix.
  std::ifstream stamp(c.prefix + "/.endgame-built");
  std::string line;
  while (std::getline(stamp, line)) {
    c.built_by_endgame = true;
    if (absl::StartsWith(line, "variant=")) c.variant = line.substr(8);
  }
  return c;
}

}  // namespace endgame::py
