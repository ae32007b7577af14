// File: endgame/driver/driver.h
//
// A driver is the API level that creates, enters and destroys interpreters
// (DESIGN.md §1): `capi` (Py_NewInterpreterFromConfig, per-call thread
// states, Py_EndInterpreter) or `interpreters` (the interpreters module,
// called from threads attached to the main interpreter). Every method is
// called on a thread whose py::MainThreadState is attached.
//
// Example:
//   std::unique_ptr<Driver> d = MakeDriver(scenario::Driver::kCapi);
//   ENDGAME_ASSIGN_OR_RETURN(InterpRef a, d->Create(ToFlags(config)));
//   ExecState state;  // one per worker thread
//   ENDGAME_RETURN_IF_ERROR(d->Exec(a, "pass", TstateMode::kPerCall, state));
//   ENDGAME_RETURN_IF_ERROR(d->Destroy(a, DestroyVia::kAuto));
#ifndef ENDGAME_DRIVER_DRIVER_H_
#define ENDGAME_DRIVER_DRIVER_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "endgame/py/interp.h"
#include "endgame/py/interp_config.h"
#include "endgame/scenario/scenario.h"

namespace endgame::driver {

using InterpRef = py::Interp;

// What one worker thread keeps between execs: its sticky thread states per
// interpreter (tstate=sticky only). Never shared between threads.
struct ExecState {
  std::map<int64_t, std::unique_ptr<py::SubThreadState>> sticky;
};

class Driver {
 public:
  virtual ~Driver() = default;
  virtual const char* name() const = 0;
  virtual absl::StatusOr<InterpRef> Create(const py::InterpFlags& flags) = 0;
  // Runs code in `interp` on this thread. kSticky keeps this thread's thread
  // state for the interpreter in `state` (capi only).
  virtual absl::Status Exec(const InterpRef& interp, const std::string& code,
                            scenario::TstateMode tstate, ExecState& state) = 0;
  virtual absl::Status Destroy(const InterpRef& interp, scenario::DestroyVia via) = 0;
  virtual absl::Status Gc(const InterpRef& interp) = 0;
};

std::unique_ptr<Driver> MakeDriver(scenario::Driver kind);

// The interpreter flags of a scenario's spawn config.
py::InterpFlags ToFlags(const scenario::InterpConfig& config);

// Destroys by an explicit route shared by both drivers: module, close or capi.
absl::Status DestroyVia(const InterpRef& interp, scenario::DestroyVia via);

}  // namespace endgame::driver

#endif  // ENDGAME_DRIVER_DRIVER_H_
