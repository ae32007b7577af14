#include "endgame/run/embedded.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "endgame/py/runtime.h"

namespace endgame::run {

absl::StatusOr<py::Capabilities> PrepareEmbedded(const EmbeddedOptions& options) {
  py::RuntimeOptions ro;
  ro.install_signal_handlers = false;
  ro.site_import = options.site_import;
  ro.home = options.home;
  if (absl::Status st = py::InitializeRuntime(ro); !st.ok()) {
    return absl::Status(st.code(), absl::StrCat("cannot start the embedded CPython: ", st.ToString()));
  }
  absl::StatusOr<py::Capabilities> caps = py::DetectCapabilities();
  if (!caps.ok()) {
    return absl::Status(caps.status().code(),
                        absl::StrCat("cannot read the embedded CPython's capabilities: ", caps.status().ToString()));
  }
  return caps;
}

}  // namespace endgame::run
