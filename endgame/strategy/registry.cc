// The strategies endgame knows, by scenario strategy kind. Adding one is a
// file with a factory and a line here.
#include "endgame/strategy/strategy.h"

namespace endgame::strategy {

std::unique_ptr<Strategy> MakeCacheStrategy(const scenario::StrategySpec& spec);
std::unique_ptr<Strategy> MakeDedicatedStrategy(const scenario::StrategySpec& spec);
absl::StatusOr<std::unique_ptr<Strategy>> MakePythonStrategy(const scenario::StrategySpec& spec);

namespace {

struct Entry {
  scenario::StrategyKind kind;
  std::unique_ptr<Strategy> (*make)(const scenario::StrategySpec&);
};

constexpr Entry kStrategies[] = {
    {scenario::StrategyKind::kCache, MakeCacheStrategy},
    {scenario::StrategyKind::kDedicated, MakeDedicatedStrategy},
};

}  // namespace

absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(const scenario::StrategySpec& spec) {
  // Python strategies, built-in (scenario/py_strategies.h, py/<word>.py) or a user's module.
  if (spec.kind == scenario::StrategyKind::kPython) return MakePythonStrategy(spec);
  for (const Entry& e : kStrategies) {
    if (e.kind == spec.kind) return e.make(spec);
  }
  return absl::InvalidArgumentError("unknown strategy");
}

}  // namespace endgame::strategy

namespace endgame::strategy {

absl::StatusOr<int64_t> Strategy::SubmitCode(int64_t, const std::string&, std::function<void(absl::Status)>) {
  return absl::UnimplementedError(name() + " runs jobs, not code");
}

absl::Status Strategy::Cancel(int64_t, scenario::CancelVia) {
  return absl::UnimplementedError(name() + " leaves cancelling to the conductor");
}

}  // namespace endgame::strategy
