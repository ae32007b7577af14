// File: endgame/scenario/names.h
//
// The keywords of the `.scn` language for every enum of scenario.h, in one
// table per enum. The parser, printer, checker, docs and error suggestions all
// read these tables, so a keyword is spelled in exactly one place.
//
// Example:
//   NameOf(Driver::kInterpreters)          // "interpreters"
//   FromName<CancelVia>("flag")            // CancelVia::kFlag
//   DidYouMean("bussy", SnippetNames())    // " (did you mean 'busy'?)"
#ifndef ENDGAME_SCENARIO_NAMES_H_
#define ENDGAME_SCENARIO_NAMES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "endgame/scenario/scenario.h"

namespace endgame::scenario {

// `share ... name=` attributes the byte codec, the generator and the mutator
// draw from (any valid name may be written; these need no bytes).
inline constexpr std::string_view kShareAttrNames[] = {"x", "data", "__name__"};

template <typename E>
struct Keyword {
  E value;
  std::string_view word;
};

// Words<E>::kAll lists every value of E with its keyword, in canonical order.
template <typename E>
struct Words;

template <>
struct Words<StepKind> {
  static constexpr Keyword<StepKind> kAll[] = {
      {StepKind::kSpawn, "spawn"},   {StepKind::kExec, "exec"},         {StepKind::kWait, "wait"},
      {StepKind::kCancel, "cancel"}, {StepKind::kDestroy, "destroy"},   {StepKind::kSleep, "sleep"},
      {StepKind::kGc, "gc"},         {StepKind::kFinalize, "finalize"}, {StepKind::kQueue, "queue"},
      {StepKind::kPut, "put"},       {StepKind::kGet, "get"},           {StepKind::kShare, "share"},
      {StepKind::kCall, "call"},     {StepKind::kClose, "close"},       {StepKind::kExit, "exit"},
      {StepKind::kFork, "fork"},
  };
};
// `channel C` is a queue step with Step::channel set (scenario.h), so it has
// no StepKind of its own: its keyword is this one, and StepWord picks it.
inline constexpr std::string_view kChannelWord = "channel";
template <>
struct Words<CallFunc> {
  static constexpr Keyword<CallFunc> kAll[] = {
      {CallFunc::kEcho, "echo"}, {CallFunc::kBuiltin, "builtin"}, {CallFunc::kClosure, "closure"}};
};
template <>
struct Words<Unbound> {
  static constexpr Keyword<Unbound> kAll[] = {
      {Unbound::kReplace, "replace"}, {Unbound::kRemove, "remove"}, {Unbound::kError, "error"}};
};
// The value words of `value=` (an int or a string need no word; bytes are
// `bytes:HEX`, a queue handle `queue:Q`).
template <>
struct Words<Value::Kind> {
  static constexpr Keyword<Value::Kind> kAll[] = {
      {Value::Kind::kNone, "none"},   {Value::Kind::kInt, "int"},     {Value::Kind::kStr, "str"},
      {Value::Kind::kBytes, "bytes"}, {Value::Kind::kTuple, "tuple"}, {Value::Kind::kUnshareable, "unshareable"},
      {Value::Kind::kQueue, "queue"}};
};
template <>
struct Words<Driver> {
  static constexpr Keyword<Driver> kAll[] = {{Driver::kCapi, "capi"},
                                             {Driver::kInterpreters, "interpreters"}};
};
// Strategy words and their arguments' words (tstate=per_call|sticky) are
// data: the strategy table, strategies.h.
template <>
struct Words<ExecOn> {
  static constexpr Keyword<ExecOn> kAll[] = {{ExecOn::kStrategy, "strategy"},
                                             {ExecOn::kCache, "cache"},
                                             {ExecOn::kDedicated, "dedicated"},
                                             {ExecOn::kConductor, "conductor"}};
};
template <>
struct Words<CancelVia> {
  static constexpr Keyword<CancelVia> kAll[] = {{CancelVia::kAsyncExc, "async_exc"},
                                                {CancelVia::kFlag, "flag"},
                                                {CancelVia::kAbandon, "abandon"}};
};
template <>
struct Words<DestroyVia> {
  static constexpr Keyword<DestroyVia> kAll[] = {{DestroyVia::kAuto, "auto"},
                                                 {DestroyVia::kCapi, "capi"},
                                                 {DestroyVia::kModule, "module"},
                                                 {DestroyVia::kClose, "close"}};
};
template <>
struct Words<DestroyFrom> {
  static constexpr Keyword<DestroyFrom> kAll[] = {{DestroyFrom::kConductor, "conductor"},
                                                  {DestroyFrom::kWorker, "worker"},
                                                  {DestroyFrom::kThread, "thread"}};
};
template <>
struct Words<InterpConfig::Base> {
  static constexpr Keyword<InterpConfig::Base> kAll[] = {
      {InterpConfig::Base::kIsolated, "isolated"}, {InterpConfig::Base::kLegacy, "legacy"}};
};
template <>
struct Words<InterpConfig::Gil> {
  // kDefault has no keyword of its own: it is the absence of gil=.
  static constexpr Keyword<InterpConfig::Gil> kAll[] = {{InterpConfig::Gil::kOwn, "own"},
                                                        {InterpConfig::Gil::kShared, "shared"}};
};
template <>
struct Words<InterpConfig::Obmalloc> {
  static constexpr Keyword<InterpConfig::Obmalloc> kAll[] = {
      {InterpConfig::Obmalloc::kOwn, "own"}, {InterpConfig::Obmalloc::kMain, "main"}};
};
template <>
struct Words<Requirement::Op> {
  // Longest first, so that a prefix match on "python>=3" finds ">=" not ">".
  static constexpr Keyword<Requirement::Op> kAll[] = {
      {Requirement::Op::kGe, ">="}, {Requirement::Op::kLe, "<="}, {Requirement::Op::kEq, "=="},
      {Requirement::Op::kNe, "!="}, {Requirement::Op::kGt, ">"},  {Requirement::Op::kLt, "<"}};
};

// The keyword of `value`; "?" for a value outside the table.
template <typename E>
std::string_view NameOf(E value) {
  for (const auto& k : Words<E>::kAll) {
    if (k.value == value) return k.word;
  }
  return "?";
}

// The value whose keyword is `word`, if any.
template <typename E>
std::optional<E> FromName(std::string_view word) {
  for (const auto& k : Words<E>::kAll) {
    if (k.word == word) return k.value;
  }
  return std::nullopt;
}

// Every keyword of E, in canonical order.
template <typename E>
std::vector<std::string_view> AllNames() {
  std::vector<std::string_view> out;
  for (const auto& k : Words<E>::kAll) out.push_back(k.word);
  return out;
}

// The keyword a step is written with: NameOf(kind), except `channel` for a
// channel's queue step.
inline std::string_view StepWord(const Step& step) {
  return step.kind == StepKind::kQueue && step.channel ? kChannelWord : NameOf(step.kind);
}

// Capability words accepted by `requires` (Requirement::capability).
inline constexpr std::string_view kCapabilityWords[] = {
    "debug", "release", "own_gil", "freethreaded", "asan", "tsan", "interpreters_module"};
// Verdict words accepted by `expect` (Expect::verdict).
inline constexpr std::string_view kVerdictWords[] = {"ok",        "error", "fatal", "crash",
                                                     "sanitizer", "hang",  "leak",  "skipped"};
// Header keywords, in canonical print order (expect is printed last, after the steps).
inline constexpr std::string_view kHeaderWords[] = {"name",     "requires",    "driver",
                                                    "strategy", "deadline_ms", "expect"};

bool IsCapabilityWord(std::string_view word);
bool IsVerdictWord(std::string_view word);

// True when `name` is a valid interpreter or task name: [a-z][a-z0-9_]*, at
// most kMaxNameLength characters.
bool IsValidName(std::string_view name);

// True when `text` is a dotted identifier ([A-Za-z_][A-Za-z0-9_]* joined by
// '.'), which module= and exc= may spell without quotes.
bool IsDottedIdentifier(std::string_view text);

// The candidate closest to `word` by edit distance (insert, delete, substitute,
// swap two neighbours), if it is close enough to be a likely typo; else "".
std::string_view ClosestWord(std::string_view word,
                             const std::vector<std::string_view>& candidates);

// " (did you mean 'busy'?)" for ClosestWord, or "" when nothing is close.
std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates);

// "a, b, c or d": the candidates as an English list.
std::string OrList(const std::vector<std::string_view>& words);

// `text` between single quotes for a message, non-printable bytes escaped.
std::string Quoted(std::string_view text);

}  // namespace endgame::scenario

#endif  // ENDGAME_SCENARIO_NAMES_H_
