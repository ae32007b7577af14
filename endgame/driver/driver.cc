#include "endgame/driver/driver.h"

#include "endgame/py/interpreters_module.h"

namespace endgame::driver {

using scenario::InterpConfig;

py::InterpFlags ToFlags(const InterpConfig& c) {
  py::InterpFlags f = c.base == InterpConfig::Base::kLegacy ? py::InterpFlags::Legacy() : py::InterpFlags::Isolated();
  if (c.gil != InterpConfig::Gil::kDefault) f.own_gil = c.gil == InterpConfig::Gil::kOwn;
  if (c.obmalloc != InterpConfig::Obmalloc::kDefault) f.use_main_obmalloc = c.obmalloc == InterpConfig::Obmalloc::kMain;
  auto set = [](bool& field, int8_t v) {
    if (v >= 0) field = v != 0;
  };
  set(f.allow_threads, c.threads);
  set(f.allow_daemon_threads, c.daemon_threads);
  set(f.allow_fork, c.fork);
  set(f.allow_exec, c.exec);
  set(f.check_multi_interp_extensions, c.check_extensions);
  f.gil_text = c.gil_text;
  return f;
}

absl::Status DestroyVia(const InterpRef& interp, scenario::DestroyVia via) {
  switch (via) {
    case scenario::DestroyVia::kAuto:
    case scenario::DestroyVia::kCapi:
      return py::EndInterpreter(interp);
    case scenario::DestroyVia::kModule:
    case scenario::DestroyVia::kClose: {
      absl::StatusOr<py::InterpretersModule> m = py::InterpretersModule::Load();
      if (!m.ok()) return absl::UnimplementedError(m.status().message());
      return via == scenario::DestroyVia::kModule ? m->Destroy(interp.id) : m->Close(interp.id);
    }
  }
  return absl::InvalidArgumentError("unknown destroy route");
}

}  // namespace endgame::driver

namespace endgame::driver {

std::unique_ptr<Driver> MakeCapiDriver();
std::unique_ptr<Driver> MakeInterpretersDriver();

std::unique_ptr<Driver> MakeDriver(scenario::Driver kind) {
  return kind == scenario::Driver::kCapi ? MakeCapiDriver() : MakeInterpretersDriver();
}

}  // namespace endgame::driver
