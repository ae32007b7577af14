#include "endgame/scenario/py_strategies.h"

#include <string>

namespace endgame::scenario {

const std::vector<PyStrategyInfo>& PyStrategies() {
  static const std::vector<PyStrategyInfo>* table = new std::vector<PyStrategyInfo>{
      {"trio", {}, "trio.to_thread.run_sync from a trio loop thread (trio's thread cache); cancel through a cancel scope, abandon with abandon_on_cancel=True"},
      {"threadpool", {{"workers", 1, 1, kMaxWorkers, "max_workers of the ThreadPoolExecutor"}},
       "concurrent.futures.ThreadPoolExecutor: non-daemon workers, no idle timeout, joined at shutdown"},
      {"actor",
       {{"cancel_bound_ms", 1000, 0, kMaxMs, "how long a cancelled exec is given to stop before the join"},
        {"join_bound_ms", 1000, 0, kMaxMs, "how long the exec thread is joined before the interpreter is left"}},
       "a one-shot threading.Thread per exec, cancel by flag with a bound, bounded join, then destroy"},
      {"interpreter_pool", {{"workers", 1, 1, kMaxWorkers, "max_workers of the InterpreterPoolExecutor"}},
       "3.14+ concurrent.futures.InterpreterPoolExecutor: each worker owns and finalizes its interpreter"},
  };
  return *table;
}

const PyStrategyInfo* FindPyStrategy(std::string_view word) {
  for (const PyStrategyInfo& p : PyStrategies()) {
    if (p.word == word) return &p;
  }
  return nullptr;
}

StrategySpec PyStrategySpec(std::string_view word) {
  StrategySpec s;
  s.kind = StrategyKind::kPython;
  s.python = std::string(word);
  return s;
}

int64_t PyStrategyArgValue(const StrategySpec& spec, std::string_view key) {
  for (const auto& [k, v] : spec.args) {
    if (k == key) return std::stoll(v);
  }
  if (const PyStrategyInfo* info = FindPyStrategy(spec.python)) {
    for (const PyStrategyArg& a : info->args) {
      if (a.key == key) return a.default_value;
    }
  }
  return 0;
}

}  // namespace endgame::scenario
