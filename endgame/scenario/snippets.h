// File: endgame/scenario/snippets.h
//
// The snippet table: every snippet `exec` can run, the arguments it takes,
// their defaults and bounds. One table drives the parser, the printer, the
// checker, the byte codec, the mutator, the generator and the docs, so adding
// a snippet argument is one line here (plus its meaning in the engine).
//
// Example:
//   const SnippetInfo& info = InfoOf(SnippetKind::kThread);
//   for (const SnippetArg& a : info.Args()) {
//     std::printf("%s default %lld\n", std::string(a.name).c_str(), (long long)a.def);
//   }
//   Snippet s = DefaultSnippet(SnippetKind::kBusy);  // busy ms=100
#ifndef ENDGAME_SCENARIO_SNIPPETS_H_
#define ENDGAME_SCENARIO_SNIPPETS_H_

#include <cstdint>
#include <string_view>

#include "absl/types/span.h"
#include "endgame/scenario/scenario.h"

namespace endgame::scenario {

// The Snippet field an argument is stored in.
enum class SnippetField { kN, kMs, kKb, kDepth, kDaemon, kText };

enum class ArgType {
  kInt,            // key=N, N in [min, max]
  kBool,           // key=0|1
  kIdentOrString,  // key=dotted.identifier or key="any string"
  kSource,         // a positional quoted string, required (code's source)
  kInterp,         // key=NAME, required: an interpreter spawned before the step
};

struct SnippetArg {
  std::string_view name;  // keyword; for kSource the word used in messages
  SnippetField field;
  ArgType type;
  int64_t def;                // kInt, kBool
  int64_t min;                // kInt, kBool
  int64_t max;                // kInt, kBool
  std::string_view text_def;  // kIdentOrString
  std::string_view doc;       // one line for docs and help
};

inline constexpr int kMaxSnippetArgs = 3;

struct SnippetInfo {
  SnippetKind kind;
  std::string_view name;
  std::string_view doc;
  int num_args;
  SnippetArg args[kMaxSnippetArgs];

  absl::Span<const SnippetArg> Args() const { return {args, static_cast<size_t>(num_args)}; }
  // The argument named `name`, or nullptr.
  const SnippetArg* FindArg(std::string_view name) const;
};

// Every snippet, in SnippetKind order.
absl::Span<const SnippetInfo> AllSnippets();
// The entry of `kind`.
const SnippetInfo& InfoOf(SnippetKind kind);
// The snippet called `name`, or nullptr.
const SnippetInfo* FindSnippet(std::string_view name);
// Every snippet name, in table order (for suggestions).
std::vector<std::string_view> SnippetNames();
// Every argument name of every snippet, deduplicated.
std::vector<std::string_view> AllSnippetArgNames();

// A snippet of `kind` with every argument at its default. code's source is "".
Snippet DefaultSnippet(SnippetKind kind);

// Integer view of a numeric or boolean field (kN, kMs, kKb, kDepth, kDaemon).
int64_t GetIntField(const Snippet& s, SnippetField field);
void SetIntField(Snippet* s, SnippetField field, int64_t value);

// The interpreter name a snippet enters (an ArgType::kInterp argument:
// nested target=), or nullptr for a snippet that names none.
const std::string* NestedTarget(const Snippet& snippet);

// True when `s` and DefaultSnippet(s.kind) agree on the argument `arg`.
bool ArgIsDefault(const Snippet& s, const SnippetArg& arg);

}  // namespace endgame::scenario

#endif  // ENDGAME_SCENARIO_SNIPPETS_H_
