#include "endgame/scenario/snippets.h"

#include <algorithm>

namespace endgame::scenario {
namespace {

using F = SnippetField;
using T = ArgType;

constexpr SnippetArg kNoArg = {"", F::kN, T::kInt, 0, 0, 0, "", ""};

// Milliseconds: every *ms argument shares the bound kMaxMs.
constexpr SnippetArg Ms(int64_t def, std::string_view doc) {
  return {"ms", F::kMs, T::kInt, def, 0, kMaxMs, "", doc};
}

// The table. Order: SnippetKind order; arguments in canonical print order.
constexpr SnippetInfo kSnippets[] = {
    {SnippetKind::kNoop,
     "noop",
     "runs `pass` (measures the exec round trip)",
     0,
     {kNoArg, kNoArg, kNoArg}},
    {SnippetKind::kCompute,
     "compute",
     "a pure-Python arithmetic loop (a sum of squares)",
     1,
     {{"n", F::kN, T::kInt, 1000, 0, 100000000, "", "loop iterations"}, kNoArg, kNoArg}},
    {SnippetKind::kSleep,
     "sleep",
     "`time.sleep()` (releases the GIL)",
     1,
     {Ms(10, "how long to sleep"), kNoArg, kNoArg}},
    {SnippetKind::kBusy,
     "busy",
     "a pure-Python loop; only cancel via=async_exc stops it early",
     1,
     {Ms(100, "how long to spin; 0 spins until cancelled"), kNoArg, kNoArg}},
    {SnippetKind::kBusyPoll,
     "busy_poll",
     "like busy, but polls the cooperative cancel flag (cancel via=flag stops it)",
     1,
     {Ms(100, "how long to spin; 0 spins until cancelled"), kNoArg, kNoArg}},
    {SnippetKind::kThread,
     "thread",
     "starts n `threading.Thread`s inside the interpreter, each sleeping ms; it does not join them",
     3,
     {{"daemon", F::kDaemon, T::kBool, 0, 0, 1, "", "1: daemon threads"},
      Ms(100, "how long each thread sleeps"),
      {"n", F::kN, T::kInt, 1, 1, 64, "", "how many threads"}}},
    {SnippetKind::kImport,
     "import",
     "`importlib.import_module(module)`",
     1,
     {{"module", F::kText, T::kIdentOrString, 0, 0, 0, "json", "the module to import"},
      kNoArg,
      kNoArg}},
    {SnippetKind::kAlloc,
     "alloc",
     "allocates a bytearray and keeps it alive until teardown",
     1,
     {{"kb", F::kKb, T::kInt, 64, 0, 1048576, "", "kilobytes to allocate"}, kNoArg, kNoArg}},
    {SnippetKind::kFiles,
     "files",
     "opens `os.devnull` n times and keeps the files open",
     1,
     {{"n", F::kN, T::kInt, 1, 1, 256, "", "how many files"}, kNoArg, kNoArg}},
    {SnippetKind::kLockWait,
     "lock_wait",
     "blocks acquiring a `threading.Lock` nobody releases",
     1,
     {Ms(100,
         "timeout; 0 waits forever: an asynchronous exception lands only once the acquire returns, "
         "so only `abandon` (or a bounded `dedicated` join) ends it"),
      kNoArg, kNoArg}},
    {SnippetKind::kRaise,
     "raise",
     "raises the exception (a builtin name or module.Class)",
     1,
     {{"exc", F::kText, T::kIdentOrString, 0, 0, 0, "RuntimeError", "the exception type"},
      kNoArg,
      kNoArg}},
    {SnippetKind::kRecurse,
     "recurse",
     "a recursive Python function",
     1,
     {{"depth", F::kDepth, T::kInt, 50, 0, 100000, "", "recursion depth"}, kNoArg, kNoArg}},
    {SnippetKind::kAtexit,
     "atexit",
     "registers an `atexit` callback in the interpreter; it runs when the interpreter is torn down",
     2,
     {Ms(0, "how long the callback sleeps (teardown runs Python that long)"),
      {"raises", F::kN, T::kBool, 0, 0, 1, "", "1: the callback raises (teardown prints and ignores it)"},
      kNoArg}},
    {SnippetKind::kDelCycle,
     "del_cycle",
     "leaves a reference cycle whose `__del__` runs at gc or at teardown",
     0,
     {kNoArg, kNoArg, kNoArg}},
    {SnippetKind::kCode,
     "code",
     "runs the given Python source (the escape hatch)",
     1,
     {{"source", F::kText, T::kSource, 0, 0, 0, "", "the Python source"}, kNoArg, kNoArg}},
    {SnippetKind::kRaiseWith,
     "raise_with",
     "raises a `RuntimeError` whose message must cross back to the caller: msg's bytes decoded as "
     "UTF-8 with surrogateescape (so `\\x00` is a NUL, `\\xff` a lone surrogate); with str_fails=1 "
     "its `__str__` raises",
     2,
     {{"msg", F::kText, T::kIdentOrString, 0, 0, 0, "endgame", "the message"},
      {"str_fails", F::kN, T::kBool, 0, 0, 1, "", "1: the exception's `__str__` raises"},
      kNoArg}},
    {SnippetKind::kNested,
     "nested",
     "from inside this interpreter, runs an exec in `target` (`_interpreters.exec` nested in an exec: it "
     "sleeps ms, or runs `pass`); the inner exec's error is raised here under its type's name, and counts "
     "as the API's (the `error` verdict)",
     2,
     {{"target", F::kText, T::kInterp, 0, 0, 0, "",
       "the interpreter to enter, spawned before this step (this one, or one destroyed, too)"},
      Ms(0, "how long the inner exec sleeps; 0 runs `pass`"),
      kNoArg}},
    {SnippetKind::kRawThread,
     "raw_thread",
     "starts n threads with `_thread.start_new_thread`, each sleeping ms: threads `threading` does not know, "
     "which nothing joins at teardown",
     2,
     {Ms(100, "how long each thread sleeps"), {"n", F::kN, T::kInt, 1, 1, 64, "", "how many threads"}, kNoArg}},
    {SnippetKind::kFork,
     "fork",
     "calls `os.fork()` in the interpreter; the child sleeps ms and leaves with `os._exit(0)`, the parent "
     "waits for it at most ms + 2000 ms (then kills it) with the child's stderr captured: a child that dies is "
     "a finding (`fatal \"fork child: ...\"`, `crash fork child: SIGABRT`, `hang fork child`); a refused fork "
     "(isolated interpreters, `fork=0`) is the API's error",
     1,
     {Ms(0, "how long the child sleeps before it exits"), kNoArg, kNoArg}},
};

static_assert(static_cast<int>(SnippetKind::kFork) + 1 ==
                  static_cast<int>(sizeof kSnippets / sizeof kSnippets[0]),
              "one table entry per SnippetKind");

}  // namespace

const SnippetArg* SnippetInfo::FindArg(std::string_view arg_name) const {
  for (const SnippetArg& a : Args()) {
    if (a.name == arg_name && a.type != ArgType::kSource) return &a;
  }
  return nullptr;
}

absl::Span<const SnippetInfo> AllSnippets() { return kSnippets; }

const SnippetInfo& InfoOf(SnippetKind kind) {
  size_t i = static_cast<size_t>(kind);
  return i < std::size(kSnippets) ? kSnippets[i] : kSnippets[0];
}

const SnippetInfo* FindSnippet(std::string_view name) {
  for (const SnippetInfo& s : kSnippets) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::vector<std::string_view> SnippetNames() {
  std::vector<std::string_view> out;
  for (const SnippetInfo& s : kSnippets) out.push_back(s.name);
  return out;
}

std::vector<std::string_view> AllSnippetArgNames() {
  std::vector<std::string_view> out;
  for (const SnippetInfo& s : kSnippets) {
    for (const SnippetArg& a : s.Args()) {
      if (a.type == ArgType::kSource) continue;
      if (std::find(out.begin(), out.end(), a.name) == out.end()) out.push_back(a.name);
    }
  }
  return out;
}

Snippet DefaultSnippet(SnippetKind kind) {
  Snippet s;
  s.kind = kind;
  for (const SnippetArg& a : InfoOf(kind).Args()) {
    if (a.type == ArgType::kIdentOrString) {
      s.text = std::string(a.text_def);
    } else if (a.type != ArgType::kSource && a.type != ArgType::kInterp) {
      SetIntField(&s, a.field, a.def);
    }
  }
  return s;
}

int64_t GetIntField(const Snippet& s, SnippetField field) {
  switch (field) {
    case SnippetField::kN:
      return s.n;
    case SnippetField::kMs:
      return s.ms;
    case SnippetField::kKb:
      return s.kb;
    case SnippetField::kDepth:
      return s.depth;
    case SnippetField::kDaemon:
      return s.daemon ? 1 : 0;
    case SnippetField::kText:
      break;
  }
  return 0;
}

void SetIntField(Snippet* s, SnippetField field, int64_t value) {
  switch (field) {
    case SnippetField::kN:
      s->n = value;
      break;
    case SnippetField::kMs:
      s->ms = value;
      break;
    case SnippetField::kKb:
      s->kb = value;
      break;
    case SnippetField::kDepth:
      s->depth = value;
      break;
    case SnippetField::kDaemon:
      s->daemon = value != 0;
      break;
    case SnippetField::kText:
      break;
  }
}

const std::string* NestedTarget(const Snippet& s) {
  if (static_cast<size_t>(s.kind) >= std::size(kSnippets)) return nullptr;
  for (const SnippetArg& a : InfoOf(s.kind).Args()) {
    if (a.type == ArgType::kInterp) return &s.text;
  }
  return nullptr;
}

bool ArgIsDefault(const Snippet& s, const SnippetArg& arg) {
  switch (arg.type) {
    case ArgType::kInt:
    case ArgType::kBool:
      return GetIntField(s, arg.field) == arg.def;
    case ArgType::kIdentOrString:
      return s.text == arg.text_def;
    case ArgType::kSource:
    case ArgType::kInterp:
      return false;
  }
  return false;
}

}  // namespace endgame::scenario
