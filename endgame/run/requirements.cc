#include "endgame/run/requirements.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "endgame/base/check.h"
#include "endgame/scenario/names.h"
#include "endgame/scenario/snippets.h"

namespace endgame::run {

using scenario::Scenario;
using scenario::Step;
using scenario::StepKind;

const py::Capabilities& HostCapabilities() {
  static const py::Capabilities* caps = [] {
    absl::StatusOr<py::Capabilities> c = py::DetectCapabilities();
    ENDGAME_CHECK(c.ok()) << c.status().ToString();
    return new py::Capabilities(*c);
  }();
  return *caps;
}

const char* Needs313(const Step& st) {
  switch (st.kind) {
    case StepKind::kQueue: return st.channel ? "channel steps need _interpchannels" : "queue steps need _interpqueues";
    case StepKind::kClose: return "close steps need _interpchannels";
    case StepKind::kShare: return "share steps need _interpreters.set___main___attrs";
    case StepKind::kCall: return "call steps need _interpreters.call";
    case StepKind::kSpawn: return st.config.gil_text ? "gil=\"TEXT\" needs _interpreters.new_config" : nullptr;
    case StepKind::kExec:
      return scenario::NestedTarget(st.snippet) != nullptr ? "nested execs need _interpreters in the interpreter"
                                                            : nullptr;
    default: return nullptr;
  }
}

std::string Unmet(const Scenario& s, const py::Capabilities& caps) {
  for (const scenario::Requirement& r : s.requires_) {
    if (r.kind == scenario::Requirement::Kind::kCapability) {
      if (!caps.Has(r.capability)) return absl::StrCat("requires ", r.capability);
      continue;
    }
    int have[3] = {caps.major, caps.minor, caps.micro};
    int want[3] = {r.major, r.minor, r.micro < 0 ? 0 : r.micro};
    int n = r.micro < 0 ? 2 : 3;
    int cmp = 0;
    for (int i = 0; i < n && cmp == 0; ++i) cmp = (have[i] > want[i]) - (have[i] < want[i]);
    bool ok = false;
    switch (r.op) {
      case scenario::Requirement::Op::kGe: ok = cmp >= 0; break;
      case scenario::Requirement::Op::kGt: ok = cmp > 0; break;
      case scenario::Requirement::Op::kLe: ok = cmp <= 0; break;
      case scenario::Requirement::Op::kLt: ok = cmp < 0; break;
      case scenario::Requirement::Op::kEq: ok = cmp == 0; break;
      case scenario::Requirement::Op::kNe: ok = cmp != 0; break;
    }
    if (!ok) {
      // The operator too: "requires python<3.14 (have 3.15.2)", not a bare
      // "requires python 3.14", which reads as the opposite.
      return absl::StrCat("requires python", std::string(scenario::NameOf(r.op)), r.major, ".", r.minor,
                          r.micro >= 0 ? absl::StrCat(".", r.micro) : "",
                          " (have ", caps.version, ")");
    }
  }
  if (s.driver == scenario::Driver::kInterpreters && caps.interpreters_module.empty()) {
    return "driver interpreters needs an interpreters module";
  }
  if (s.driver != scenario::Driver::kInterpreters) {
    for (const Step& st : s.steps) {
      if (st.kind == StepKind::kSpawn && st.config.gil_text) {
        return "gil=\"TEXT\" is a string for _interpreters.new_config(): it needs driver interpreters";
      }
    }
  }
  if (caps.major == 3 && caps.minor < 13) {
    for (const Step& st : s.steps) {
      if (const char* needs = Needs313(st)) return absl::StrCat(needs, " (CPython 3.13+; have ", caps.version, ")");
    }
  }
  return "";
}

}  // namespace endgame::run
