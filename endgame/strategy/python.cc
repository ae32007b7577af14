// Python strategies: a module in the main interpreter whose make(**args)
// object runs each exec's code on its own threads (docs/strategies.md). The
// built-ins are endgame/strategy/py/<word>.py, embedded; a user's module is
// imported by name from sys.path or from a file path.
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "endgame/py/py_strategy.h"
#include "endgame/scenario/names.h"
#include "endgame/strategy/strategy.h"

namespace endgame::strategy {
namespace {

struct EmbeddedSource {
  const char* word;
  const char* text;
};

constexpr EmbeddedSource kSources[] = {
#include "py_sources.inc"
};

class PythonStrategy final : public Strategy {
 public:
  PythonStrategy(std::string name, std::unique_ptr<py::PyStrategyObject> obj)
      : name_(std::move(name)), obj_(std::move(obj)) {}
  // Destroyed attached (the conductor resets it while attached), or leaked
  // when the process is poisoned.
  ~PythonStrategy() override { Shutdown(); }

  std::string name() const override { return name_; }
  bool runs_code() const override { return true; }
  bool needs_attached() const override { return true; }

  void Submit(int64_t, Job) override {}  // never called: runs_code()

  absl::StatusOr<int64_t> SubmitCode(int64_t interp_id, const std::string& code,
                                     std::function<void(absl::Status)> on_done) override {
    return obj_->Submit(interp_id, code, std::move(on_done));
  }

  absl::Status Cancel(int64_t future, scenario::CancelVia via) override {
    return obj_->Cancel(future, std::string(scenario::NameOf(via)));
  }

  Settled BeforeDestroy(int64_t interp_id) override {
    absl::StatusOr<bool> settled = obj_->BeforeDestroy(interp_id);
    if (!settled.ok()) {
      last_error_ = settled.status().ToString();
      return Settled::kJoined;  // the destroy goes ahead and tells what it finds
    }
    return *settled ? Settled::kJoined : Settled::kAbandoned;
  }

  void Shutdown() override {
    if (shut_down_) return;
    shut_down_ = true;
    absl::Status s = obj_->Shutdown();
    if (!s.ok()) last_error_ = s.ToString();
  }

  // The contract has no abandon: shutdown() is called once at the end either way.
  void AbandonAll() override { Shutdown(); }
  int abandoned_threads() const override { return 0; }
  std::vector<int64_t> Lingering() override { return obj_->Lingering(); }

 private:
  const std::string name_;
  std::unique_ptr<py::PyStrategyObject> obj_;
  bool shut_down_ = false;
  std::string last_error_;
};

}  // namespace

std::vector<std::string_view> BuiltinPythonSources() {
  std::vector<std::string_view> words;
  for (const EmbeddedSource& e : kSources) words.push_back(e.word);
  return words;
}

absl::StatusOr<std::unique_ptr<Strategy>> MakePythonStrategy(const scenario::StrategySpec& spec) {
  py::PyStrategySource src;
  src.name = spec.python;
  src.module = spec.module;
  src.args = spec.args;
  if (spec.module.empty()) {
    for (const EmbeddedSource& e : kSources) {
      if (spec.python == e.word) src.source = e.text;
    }
    if (src.source.empty()) return absl::NotFoundError(absl::StrCat("no built-in Python strategy ", spec.python));
  }
  absl::StatusOr<std::unique_ptr<py::PyStrategyObject>> obj = py::PyStrategyObject::Load(src);
  if (!obj.ok()) return obj.status();
  std::string name = spec.module.empty() ? spec.python : absl::StrCat("python module=", spec.module);
  for (const auto& [k, v] : spec.args) absl::StrAppend(&name, " ", k, "=", v);
  return std::unique_ptr<Strategy>(new PythonStrategy(std::move(name), std::move(*obj)));
}

}  // namespace endgame::strategy
