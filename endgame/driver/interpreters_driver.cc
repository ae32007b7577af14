// The `interpreters` driver: the interpreters module of the running CPython,
// called from threads attached to the main interpreter (as an actor runtime
// calls `_interpreters.exec`). Thread states are the module's business.
#include "absl/strings/str_cat.h"
#include "endgame/driver/driver.h"
#include "endgame/py/interpreters_module.h"

namespace endgame::driver {
namespace {

class InterpretersDriver final : public Driver {
 public:
  const char* name() const override { return "interpreters"; }

  absl::StatusOr<InterpRef> Create(const py::InterpFlags& flags) override {
    absl::StatusOr<py::InterpretersModule> m = py::InterpretersModule::Load();
    if (!m.ok()) return absl::UnimplementedError(m.status().message());
    absl::StatusOr<int64_t> id = m->Create(flags);
    if (!id.ok()) return id.status();
    return py::FindInterpreter(*id);
  }

  absl::Status Exec(const InterpRef& interp, const std::string& code, scenario::TstateMode tstate,
                    ExecState&) override {
    if (tstate != scenario::TstateMode::kPerCall) {
      return absl::InvalidArgumentError("tstate=sticky needs driver capi");
    }
    absl::StatusOr<py::InterpretersModule> m = py::InterpretersModule::Load();
    if (!m.ok()) return absl::UnimplementedError(m.status().message());
    return m->Exec(interp.id, code);
  }

  absl::Status Destroy(const InterpRef& interp, scenario::DestroyVia via) override {
    return DestroyVia(interp, via == scenario::DestroyVia::kAuto ? scenario::DestroyVia::kModule : via);
  }

  absl::Status Gc(const InterpRef& interp) override {
    absl::StatusOr<py::InterpretersModule> m = py::InterpretersModule::Load();
    if (!m.ok()) return absl::UnimplementedError(m.status().message());
    return m->Exec(interp.id, "import gc\ngc.collect()\n");
  }
};

}  // namespace

std::unique_ptr<Driver> MakeInterpretersDriver() { return std::make_unique<InterpretersDriver>(); }

}  // namespace endgame::driver
