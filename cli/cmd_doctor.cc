// `endgame doctor [--json]`: the embedded CPython build and its capabilities,
// one per line (or one JSON object).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "endgame/base/json.h"
#include "endgame/py/capabilities.h"
#include "endgame/run/embedded.h"
#include "cli/commands.h"
#include "cli/flags.h"

namespace endgame::cli {

int Doctor(int argc, char** argv) {
  std::unique_ptr<CLI::App> app =
      NewApp("doctor", "[--json]", "print the embedded CPython build and its capabilities");
  bool json = false;
  app->add_flag("--json", json, "one JSON object instead of one field a line");
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  absl::StatusOr<py::Capabilities> caps = run::PrepareEmbedded({});
  if (!caps.ok()) {
    std::fprintf(stderr, "endgame doctor: %s\n", std::string(caps.status().message()).c_str());
    return 1;
  }
  // Where this CPython came from: scripts/endgame names it (--cpython SPEC);
  // a binary run directly says what the build knows.
  auto fields = caps->Fields();
  const char* spec = std::getenv("ENDGAME_CPYTHON");
  const char* origin = std::getenv("ENDGAME_CPYTHON_ORIGIN");
  fields.emplace_back("cpython_spec", spec && *spec ? spec : "-");
  fields.emplace_back("origin", origin && *origin ? origin
                                : absl::StrCat("embedded at build time from ", ENDGAME_PYTHON_CONFIG_PATH));
  fields.emplace_back("python_config", ENDGAME_PYTHON_CONFIG_PATH);
  const char* in_root = std::getenv("ENDGAME_IN_ROOT");
  fields.emplace_back("in_sid_root", in_root && std::string(in_root) == "1" ? "yes" : "no");
  if (json) {
    JsonWriter j;
    j.BeginObject();
    for (const auto& [k, v] : fields) {
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
    for (const auto& [k, v] : fields) std::printf("%-22s %s\n", k.c_str(), v.c_str());
  }
  return 0;
}

}  // namespace endgame::cli
