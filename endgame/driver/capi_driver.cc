// The `capi` driver: Py_NewInterpreterFromConfig, a thread state per exec
// (or a sticky one per worker and interpreter), Py_EndInterpreter.
#include "endgame/driver/driver.h"

namespace endgame::driver {
namespace {

class CapiDriver final : public Driver {
 public:
  const char* name() const override { return "capi"; }

  absl::StatusOr<InterpRef> Create(const py::InterpFlags& flags) override {
    if (flags.gil_text) {
      return absl::UnimplementedError("gil=\"TEXT\" is a string for _interpreters.new_config(): the interpreters driver's");
    }
    return py::CreateInterpreter(flags);
  }

  absl::Status Exec(const InterpRef& interp, const std::string& code, scenario::TstateMode tstate,
                    ExecState& state) override {
    if (tstate == scenario::TstateMode::kPerCall) return py::RunInInterpreter(interp, code);
    // Sticky: created on first use by this thread, kept for the worker's life.
    std::unique_ptr<py::SubThreadState>& ts = state.sticky[interp.id];
    if (ts == nullptr) ts = std::make_unique<py::SubThreadState>(interp);
    return ts->Run(code);
  }

  absl::Status Destroy(const InterpRef& interp, scenario::DestroyVia via) override {
    return DestroyVia(interp, via == scenario::DestroyVia::kAuto ? scenario::DestroyVia::kCapi : via);
  }

  absl::Status Gc(const InterpRef& interp) override { return py::CollectGarbage(interp); }
};

}  // namespace

std::unique_ptr<Driver> MakeCapiDriver() { return std::make_unique<CapiDriver>(); }

}  // namespace endgame::driver
