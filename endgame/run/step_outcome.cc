#include "endgame/run/step_outcome.h"

#include "absl/strings/str_cat.h"
#include "endgame/py/error.h"

namespace endgame::run {

std::string StepOutcome::ToText() const {
  switch (kind) {
    case Kind::kOk: return detail.empty() ? "ok" : absl::StrCat("ok: ", detail);
    case Kind::kStarted: return "started";
    case Kind::kTimeout: return "timeout";
    case Kind::kAbandoned: return "abandoned";
    case Kind::kSkipped: return absl::StrCat("skipped: ", detail);
    case Kind::kCancelled: return absl::StrCat("cancelled: ", detail);
    case Kind::kError: return absl::StrCat("error ", detail);
    case Kind::kRunning: return "running";
    case Kind::kHang: return "hang";
  }
  return "";
}

std::string StepOutcome::ErrorType() const {
  if (kind != Kind::kError) return "";
  return detail.substr(0, detail.find(':'));
}

StepOutcome OutcomeOf(const absl::Status& s) {
  if (s.ok()) return StepOutcome::Ok();
  std::string type = py::PythonExceptionType(s);
  if (!type.empty()) {
    std::string msg(s.message());
    size_t at = msg.find(type);
    std::string text = at == std::string::npos ? msg : msg.substr(at);
    while (!text.empty() && (text.back() == ' ' || text.back() == ':')) text.pop_back();
    return StepOutcome::Of(StepOutcome::Kind::kError, std::move(text));
  }
  if (s.code() == absl::StatusCode::kCancelled) {
    return StepOutcome::Of(StepOutcome::Kind::kCancelled, std::string(s.message()));
  }
  if (s.code() == absl::StatusCode::kUnimplemented) return StepOutcome::Skipped(std::string(s.message()));
  return StepOutcome::Of(StepOutcome::Kind::kError,
                         absl::StrCat(absl::StatusCodeToString(s.code()), ": ", s.message()));
}

}  // namespace endgame::run
