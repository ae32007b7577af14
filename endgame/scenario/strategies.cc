#include "endgame/scenario/strategies.h"

#include <string>

namespace endgame::scenario {

const std::vector<StrategyInfo>& Strategies() {
  // The order is canonical, and the byte codec indexes the entries after
  // cache and dedicated by position: append new strategies before `python`.
  static const std::vector<StrategyInfo>* table = new std::vector<StrategyInfo>{
      {"cache", StrategyKind::kCache, StrategyRuntime::kCpp,
       {{"workers", 1, 1, kMaxWorkers, "how many reused worker threads"},
        {"tstate", 0, 0, 1,
         "per_call: a thread state per exec; sticky: cached per (worker, interpreter), the PyGILState anti-pattern",
         ArgUnit::kWord, {"per_call", "sticky"}, /*capi_only=*/1}},
       "a pool of reused workers, like trio's thread cache or ThreadPoolExecutor; nothing happens before destroy",
       {}, 0, false, /*default_set=*/true},
      {"dedicated", StrategyKind::kDedicated, StrategyRuntime::kCpp,
       {{"bound_ms", 0, 0, kMaxMs, "join bound before destroy; 0 joins without bound, past it the thread is abandoned",
         ArgUnit::kMs}},
       "a new OS thread per exec, which exits afterwards; joined before destroy", {}, 0, false, /*default_set=*/true},
      {"trio", StrategyKind::kPython, StrategyRuntime::kPython, {},
       "trio.to_thread.run_sync from a trio loop thread (trio's thread cache); cancel through a cancel scope, abandon "
       "with abandon_on_cancel=True",
       "trio"},
      {"threadpool", StrategyKind::kPython, StrategyRuntime::kPython,
       {{"workers", 1, 1, kMaxWorkers, "max_workers of the ThreadPoolExecutor"}},
       "concurrent.futures.ThreadPoolExecutor: non-daemon workers, no idle timeout, joined at shutdown"},
      {"actor", StrategyKind::kPython, StrategyRuntime::kPython,
       {{"cancel_bound_ms", 1000, 0, kMaxMs, "how long a cancelled exec is given to stop before the join", ArgUnit::kMs},
        {"join_bound_ms", 1000, 0, kMaxMs, "how long the exec thread is joined before the interpreter is left",
         ArgUnit::kMs}},
       "a one-shot threading.Thread per exec, cancel by flag with a bound, bounded join, then destroy"},
      {"interpreter_pool", StrategyKind::kPython, StrategyRuntime::kPython,
       {{"workers", 1, 1, kMaxWorkers, "max_workers of the InterpreterPoolExecutor"}},
       "3.14+ concurrent.futures.InterpreterPoolExecutor: each worker owns and finalizes its interpreter", {}, 14},
      {"anyio", StrategyKind::kPython, StrategyRuntime::kPython,
       {{"backend", 0, 0, 1, "the event loop anyio runs on", ArgUnit::kWord, {"asyncio", "trio"}}},
       "anyio.to_thread.run_sync through a blocking portal (anyio's worker threads); cancel by cancelling the "
       "portal's future, abandon with abandon_on_cancel=True",
       "anyio"},
      {"python", StrategyKind::kPython, StrategyRuntime::kPython, {},
       "the user's module: module=NAME (on sys.path) or module=PATH (a .py file), key=value arguments for its make()",
       {}, 0, /*user_module=*/true},
  };
  return *table;
}

const StrategyInfo* FindStrategy(std::string_view word) {
  for (const StrategyInfo& i : Strategies()) {
    if (i.word == word) return &i;
  }
  return nullptr;
}

const StrategyInfo* InfoOf(const StrategySpec& spec) {
  for (const StrategyInfo& i : Strategies()) {
    if (i.kind != spec.kind) continue;
    if (i.kind != StrategyKind::kPython || i.word == spec.python) return &i;
  }
  return nullptr;
}

std::string StrategyWord(const StrategySpec& spec) {
  if (spec.kind == StrategyKind::kPython) return spec.python;
  const StrategyInfo* info = InfoOf(spec);
  return info == nullptr ? std::string() : std::string(info->word);
}

StrategySpec DefaultSpec(const StrategyInfo& info) {
  StrategySpec s;
  s.kind = info.kind;
  if (info.kind == StrategyKind::kPython) s.python = std::string(info.word);
  return s;
}

const StrategyArg* FindArg(const StrategyInfo& info, std::string_view key) {
  for (const StrategyArg& a : info.args) {
    if (a.key == key) return &a;
  }
  return nullptr;
}

const std::vector<TypedField>& TypedFields() {
  static const std::vector<TypedField>* f = new std::vector<TypedField>{{"workers", 1}, {"tstate", 0}, {"bound_ms", 0}};
  return *f;
}

namespace {

bool Typed(const StrategySpec& spec) { return spec.kind != StrategyKind::kPython; }

// The typed field `key` of a cache/dedicated spec, or -1 when there is none.
int64_t TypedGet(const StrategySpec& spec, std::string_view key) {
  if (key == "workers") return spec.workers;
  if (key == "tstate") return static_cast<int64_t>(spec.tstate);
  if (key == "bound_ms") return spec.bound_ms;
  return -1;
}

void TypedSet(StrategySpec* spec, std::string_view key, int64_t v) {
  if (key == "workers") spec->workers = static_cast<int>(v);
  if (key == "tstate") spec->tstate = static_cast<TstateMode>(v);
  if (key == "bound_ms") spec->bound_ms = v;
}

}  // namespace

int64_t StrategyArgValue(const StrategySpec& spec, std::string_view key) {
  if (Typed(spec)) {
    int64_t v = TypedGet(spec, key);
    return v < 0 ? 0 : v;
  }
  const StrategyInfo* info = InfoOf(spec);
  const StrategyArg* arg = info == nullptr ? nullptr : FindArg(*info, key);
  for (const auto& [k, v] : spec.args) {
    if (k != key) continue;
    if (arg != nullptr && arg->unit == ArgUnit::kWord) {
      for (size_t i = 0; i < arg->words.size(); ++i) {
        if (arg->words[i] == v) return static_cast<int64_t>(i);
      }
      return arg->default_value;
    }
    // A number as the parser writes it; anything else (a fuzzer-made value)
    // reads as the default.
    int64_t n = 0;
    bool ok = !v.empty() && v.size() <= 18;
    for (char c : v) {
      ok &= c >= '0' && c <= '9';
      n = n * 10 + (c - '0');
    }
    return ok ? n : (arg == nullptr ? 0 : arg->default_value);
  }
  return arg == nullptr ? 0 : arg->default_value;
}

std::string ArgText(const StrategyArg& arg, int64_t value) {
  if (arg.unit == ArgUnit::kWord && value >= 0 && static_cast<size_t>(value) < arg.words.size()) {
    return std::string(arg.words[static_cast<size_t>(value)]);
  }
  return std::to_string(value);
}

void SetStrategyArg(StrategySpec* spec, std::string_view key, int64_t value) {
  if (Typed(*spec)) {
    TypedSet(spec, key, value);
    return;
  }
  const StrategyInfo* info = InfoOf(*spec);
  if (info == nullptr) return;
  std::vector<std::pair<std::string, std::string>> args;
  for (const StrategyArg& a : info->args) {
    int64_t v = a.key == key ? value : StrategyArgValue(*spec, a.key);
    if (v != a.default_value) args.emplace_back(std::string(a.key), ArgText(a, v));
  }
  spec->args = std::move(args);
}

namespace {

std::string List(bool only_default) {
  std::string out;
  for (const StrategyInfo& i : Strategies()) {
    if (i.user_module || (only_default && !i.default_set)) continue;
    if (!out.empty()) out += ",";
    out += i.word;
  }
  return out;
}

}  // namespace

std::string DefaultStrategyList() { return List(true); }
std::string AllStrategyList() { return List(false); }

}  // namespace endgame::scenario
