// File: endgame/run/embedded.h
//
// Starting the embedded CPython as every endgame binary does (the `endgame`
// commands, the fuzz targets, the benchmarks): CPython's signal handlers off
// (endgame owns the signals; under libFuzzer, libFuzzer does, as in CPython's
// own fuzzers), then the build's capabilities read once. One place, so that
// a change to how the runtime starts reaches every binary.
//
// Example:
//   absl::StatusOr<py::Capabilities> caps = run::PrepareEmbedded({});
//   if (!caps.ok()) { std::fprintf(stderr, "%s\n", caps.status().message().data()); return 1; }
//   options.python_gdb_script = caps->gdb_script;
#ifndef ENDGAME_RUN_EMBEDDED_H_
#define ENDGAME_RUN_EMBEDDED_H_

#include <string>

#include "absl/status/statusor.h"
#include "endgame/py/capabilities.h"

namespace endgame::run {

struct EmbeddedOptions {
  // Import `site` (the benchmarks leave it off: it costs milliseconds per
  // interpreter; see py::RuntimeOptions).
  bool site_import = false;
  // PYTHONHOME for a relocated CPython (OSS-Fuzz's $OUT/python); empty: the
  // build's prefix, or $ENDGAME_PYTHONHOME.
  std::string home;
};

// Initializes the runtime on the calling thread (which ends detached) and
// returns the capabilities. The error says which of the two failed:
// "cannot start the embedded CPython: ..." or "cannot read the embedded
// CPython's capabilities: ...".
absl::StatusOr<py::Capabilities> PrepareEmbedded(const EmbeddedOptions& options);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_EMBEDDED_H_
