// The strategies endgame can run, by word of the strategy table
// (scenario/strategies.h). A Python entry runs its endgame/strategy/py/<word>.py
// (or the user's module) through MakePythonStrategy; a C++ entry needs its
// factory here. Adding a C++ strategy is a file with a factory and a line in
// kFactories; registry_test checks every C++ entry of the table has one.
#include "absl/strings/str_cat.h"
#include "endgame/scenario/strategies.h"
#include "endgame/strategy/strategy.h"

namespace endgame::strategy {

std::unique_ptr<Strategy> MakeCacheStrategy(const scenario::StrategySpec& spec);
std::unique_ptr<Strategy> MakeDedicatedStrategy(const scenario::StrategySpec& spec);
absl::StatusOr<std::unique_ptr<Strategy>> MakePythonStrategy(const scenario::StrategySpec& spec);

namespace {

struct Factory {
  std::string_view word;
  std::unique_ptr<Strategy> (*make)(const scenario::StrategySpec&);
};

constexpr Factory kFactories[] = {
    {"cache", MakeCacheStrategy},
    {"dedicated", MakeDedicatedStrategy},
};

}  // namespace

bool HasFactory(std::string_view word) {
  for (const Factory& f : kFactories) {
    if (f.word == word) return true;
  }
  return false;
}

absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(const scenario::StrategySpec& spec) {
  const scenario::StrategyInfo* info = scenario::InfoOf(spec);
  if (info == nullptr) return absl::InvalidArgumentError("unknown strategy " + scenario::StrategyWord(spec));
  if (info->runtime == scenario::StrategyRuntime::kPython) return MakePythonStrategy(spec);
  for (const Factory& f : kFactories) {
    if (f.word == info->word) return f.make(spec);
  }
  return absl::InvalidArgumentError(absl::StrCat("no factory for strategy ", std::string(info->word)));
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
