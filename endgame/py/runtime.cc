#include "endgame/py/runtime.h"

#include <cstdlib>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "endgame/base/check.h"
#include "endgame/py/shim.h"

namespace endgame::py {
namespace {

std::mutex g_mu;
PyThreadState* g_main_tstate = nullptr;  // guarded by g_mu until published
bool g_initialized = false;

absl::Status FromPyStatus(PyStatus status, const char* what) {
  return absl::InternalError(absl::StrCat(what, ": ", status.func ? status.func : "", status.func ? ": " : "",
                                          status.err_msg ? status.err_msg : "failed"));
}

}  // namespace

absl::Status InitializeRuntime(const RuntimeOptions& options) {
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_initialized) return absl::OkStatus();
  if (Py_IsInitialized()) {
    return absl::FailedPreconditionError("CPython was initialized outside endgame::py");
  }
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  config.parse_argv = 0;
  config.install_signal_handlers = options.install_signal_handlers ? 1 : 0;
  config.site_import = options.site_import ? 1 : 0;
  // Do not let a user's PYTHONSTARTUP/PYTHONPATH-less environment matter more
  // than necessary; PYTHONMALLOC and friends (leak lanes) still apply.
  config.user_site_directory = 0;
  std::string home = options.home;
  if (home.empty()) {
    if (const char* env = std::getenv("ENDGAME_PYTHONHOME")) home = env;
  }
  PyStatus status = PyConfig_SetBytesString(&config, &config.program_name, "endgame");
  if (!PyStatus_Exception(status) && !home.empty()) {
    status = PyConfig_SetBytesString(&config, &config.home, home.c_str());
  }
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) return FromPyStatus(status, "Py_InitializeFromConfig");
  g_main_tstate = PyEval_SaveThread();
  g_initialized = true;
  return absl::OkStatus();
}

bool RuntimeInitialized() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_initialized;
}

PyInterpreterState* MainInterpreter() {
  ENDGAME_CHECK(RuntimeInitialized()) << "MainInterpreter() before InitializeRuntime()";
  return PyInterpreterState_Main();
}

PyThreadState* MainThreadStateForInitThread() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_main_tstate;
}

absl::Status FinalizeRuntime() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (!g_initialized) return absl::FailedPreconditionError("runtime not initialized");
  PyEval_RestoreThread(g_main_tstate);
  int rc = Py_FinalizeEx();
  g_initialized = false;
  g_main_tstate = nullptr;
  if (rc != 0) return absl::InternalError("Py_FinalizeEx failed (buffered data could not be flushed)");
  return absl::OkStatus();
}

}  // namespace endgame::py
