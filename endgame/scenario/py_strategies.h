// File: endgame/scenario/py_strategies.h
//
// The built-in Python strategies of the `.scn` language, as data: each word,
// its arguments with their defaults and bounds, and a line of documentation.
// The parser, printer, checker and docs read this table; the strategy layer
// finds each one's source as endgame/strategy/py/<word>.py (embedded at build
// time). Adding a Python strategy is that file plus one line here.
//
// Example:
//   const PyStrategyInfo* t = FindPyStrategy("threadpool");   // workers=1..16
//   StrategySpec s = PyStrategySpec("actor");                 // its defaults
#ifndef ENDGAME_SCENARIO_PY_STRATEGIES_H_
#define ENDGAME_SCENARIO_PY_STRATEGIES_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "endgame/scenario/scenario.h"

namespace endgame::scenario {

struct PyStrategyArg {
  std::string_view key;
  int64_t default_value;
  int64_t min, max;
  std::string_view doc;
};

struct PyStrategyInfo {
  std::string_view word;
  std::vector<PyStrategyArg> args;
  std::string_view doc;
};

// Every built-in Python strategy, in canonical order.
const std::vector<PyStrategyInfo>& PyStrategies();
// The built-in named `word`, or nullptr.
const PyStrategyInfo* FindPyStrategy(std::string_view word);
// A spec for built-in `word` with its default arguments.
StrategySpec PyStrategySpec(std::string_view word);
// The value of argument `key` of a built-in spec (its default when omitted).
int64_t PyStrategyArgValue(const StrategySpec& spec, std::string_view key);

}  // namespace endgame::scenario

#endif  // ENDGAME_SCENARIO_PY_STRATEGIES_H_
