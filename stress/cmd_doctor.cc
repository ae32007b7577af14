// `endgame doctor [--json]`: the embedded CPython build and its capabilities,
// one per line (or one JSON object).
#include <cstdio>
#include <cstring>

#include "endgame/base/json.h"
#include "endgame/py/capabilities.h"
#include "endgame/py/runtime.h"
#include "stress/commands.h"

namespace endgame::cli {

int Doctor(int argc, char** argv) {
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--json")) {
      json = true;
    } else {
      std::fprintf(stderr, "endgame doctor: unknown argument '%s'\nusage: endgame doctor [--json]\n", argv[i]);
      return 2;
    }
  }
  py::RuntimeOptions options;
  options.install_signal_handlers = false;
  absl::Status s = py::InitializeRuntime(options);
  if (!s.ok()) {
    std::fprintf(stderr, "endgame doctor: cannot start the embedded CPython: %s\n", s.ToString().c_str());
    return 1;
  }
  absl::StatusOr<py::Capabilities> caps = py::DetectCapabilities();
  if (!caps.ok()) {
    std::fprintf(stderr, "endgame doctor: %s\n", caps.status().ToString().c_str());
    return 1;
  }
  if (json) {
    JsonWriter j;
    j.BeginObject();
    for (const auto& [k, v] : caps->Fields()) {
      j.Key(k);
      if (v == "yes" || v == "no") {
        j.Bool(v == "yes");
      } else {
        j.String(v);
      }
    }
    j.Key("interpreters_modules_list");
    j.BeginArray();
    for (const auto& m : caps->interpreters_modules) j.String(m);
    j.EndArray();
    j.EndObject();
    std::printf("%s\n", j.str().c_str());
  } else {
    for (const auto& [k, v] : caps->Fields()) std::printf("%-22s %s\n", k.c_str(), v.c_str());
  }
  return 0;
}

}  // namespace endgame::cli
