// File: endgame/scenario/strategies.h
//
// Every strategy word of the `.scn` language, as data: its arguments (key,
// default, bounds, the allowed words of an enum argument, a line of doc) and
// the traits the other components need (C++ or Python, which driver a value
// needs, which library or CPython it needs). The parser, printer, checker,
// byte codec, generator, mutator, fuzz shaping, `--strategies`, `compare` and
// the benchmarks read this table instead of naming strategies.
//
// Adding a strategy: a Python one is endgame/strategy/py/<word>.py plus one
// entry here; a C++ one is endgame/strategy/<word>.cc plus one entry here and
// its factory's line in endgame/strategy/registry.cc (a test checks the two
// tables agree). docs/strategies.md walks through it.
//
// Example:
//   const StrategyInfo* t = FindStrategy("threadpool");   // workers=1..16
//   StrategySpec s = DefaultSpec(*t);                     // its defaults
//   SetStrategyArg(&s, "workers", 4);                     // `strategy threadpool workers=4`
//   int64_t w = StrategyArgValue(s, "workers");           // 4
#ifndef ENDGAME_SCENARIO_STRATEGIES_H_
#define ENDGAME_SCENARIO_STRATEGIES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "endgame/scenario/scenario.h"

namespace endgame::scenario {

// What an argument counts, for the generator's and fuzz shaping's caps.
enum class ArgUnit { kCount, kMs, kWord };

struct StrategyArg {
  std::string_view key;
  int64_t default_value;
  int64_t min, max;  // kWord: 0 .. words.size() - 1
  std::string_view doc;
  ArgUnit unit = ArgUnit::kCount;
  // kWord: value i is written words[i] (`tstate=sticky`).
  std::vector<std::string_view> words = {};
  // This value needs driver capi (-1: none does), e.g. tstate=sticky.
  int64_t capi_only = -1;
};

enum class StrategyRuntime { kCpp, kPython };

struct StrategyInfo {
  std::string_view word;
  // kCache and kDedicated keep their arguments in StrategySpec's typed fields
  // (workers, tstate, bound_ms), as they did before this table. Every other
  // entry has kind kPython ("named by StrategySpec::python", whatever its
  // runtime) and keeps its arguments in StrategySpec::args, canonical: table
  // order, defaults omitted.
  StrategyKind kind;
  StrategyRuntime runtime;
  std::vector<StrategyArg> args;
  std::string_view doc;
  std::string_view library = {};  // a Python package it imports ("trio"); "" for none
  int min_minor = 0;              // needs CPython 3.<min_minor> or newer (0: any)
  // `strategy python module=NAME|PATH k=v...`: the user's module; its
  // arguments are strings for the module's make(**args) to judge.
  bool user_module = false;
  // In the default `--strategies` set of `stress` and `compare`.
  bool default_set = false;
};

// Every strategy, in canonical order: cache, dedicated, the Python built-ins,
// then `python` (the user's module).
const std::vector<StrategyInfo>& Strategies();
// The entry named `word`, or nullptr.
const StrategyInfo* FindStrategy(std::string_view word);
// The entry a spec is an instance of, or nullptr for an invalid spec.
const StrategyInfo* InfoOf(const StrategySpec& spec);
// The spec's word: `cache`, `trio`, `python`, ...
std::string StrategyWord(const StrategySpec& spec);
// A spec for `info` with every argument at its default.
StrategySpec DefaultSpec(const StrategyInfo& info);
// The argument `key` of the spec's entry, or nullptr.
const StrategyArg* FindArg(const StrategyInfo& info, std::string_view key);

// The value of argument `key` (its default when omitted; 0 for no such key).
int64_t StrategyArgValue(const StrategySpec& spec, std::string_view key);
// Sets argument `key` of a built-in spec; a value equal to the default is
// omitted from StrategySpec::args, so that `==` compares meaning.
void SetStrategyArg(StrategySpec* spec, std::string_view key, int64_t value);
// Written form of an argument value: the number, or the word of a kWord arg.
std::string ArgText(const StrategyArg& arg, int64_t value);

// The keys StrategySpec stores as typed fields (workers, tstate, bound_ms),
// with their defaults, for the checks that a kind uses only its own.
struct TypedField {
  std::string_view key;
  int64_t default_value;
};
const std::vector<TypedField>& TypedFields();

// The comma list of the default `--strategies` set ("cache,dedicated,...").
std::string DefaultStrategyList();
// Every built-in word (all but the user's module), comma-separated.
std::string AllStrategyList();

}  // namespace endgame::scenario

#endif  // ENDGAME_SCENARIO_STRATEGIES_H_
