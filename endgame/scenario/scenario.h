// File: endgame/scenario/scenario.h
//
// The scenario value: a header plus an ordered list of steps (DESIGN.md §1, §3).
// A scenario is plain data. It knows nothing of Python, threads or time; the
// conductor (endgame/run/) gives it behaviour. Text form: text.h; byte form for
// fuzzers: codec.h; structural mutation and generation: mutator.h.
//
// Field use is per step kind (see Step). Fields a kind does not use keep their
// defaults, so that `==` compares meaning, and printing omits every argument
// equal to its default, which makes the printed text canonical.
//
// Example (DefaultSnippet is in snippets.h):
//   Scenario s;
//   s.driver = Driver::kCapi;
//   s.steps.push_back(Step::Spawn("a"));
//   s.steps.push_back(Step::Exec("a", DefaultSnippet(SnippetKind::kBusy), "t1"));
//   s.steps.push_back(Step::Cancel("t1", CancelVia::kAsyncExc));
//   s.steps.push_back(Step::Destroy("a"));
#ifndef ENDGAME_SCENARIO_SCENARIO_H_
#define ENDGAME_SCENARIO_SCENARIO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace endgame::scenario {

// Bounds every valid scenario respects; the byte decoder never exceeds them.
inline constexpr int kMaxSpawns = 8;       // spawn steps
inline constexpr int kMaxTasks = 16;       // `as` handles
inline constexpr int kMaxSteps = 64;       // steps (the expect line is not a step)
inline constexpr int kMaxNameLength = 32;  // interpreter and task names
inline constexpr int kMaxStringLength = 4096;  // code, module, exc, name, expect text
inline constexpr int kMaxWorkers = 16;
inline constexpr int kMaxStrategyArgs = 8;    // key=value arguments of a Python strategy
inline constexpr int64_t kMaxMs = 600000;        // any *ms argument
inline constexpr int64_t kMaxDelayUs = 1000000;  // delay_us
inline constexpr int kMaxRequirements = 16;      // entries of `requires` lines
inline constexpr int kMaxVersionComponent = 999; // python>=X.Y.Z: each of X, Y, Z
inline constexpr int kMaxQueues = 4;             // queue and channel steps (one name space)
inline constexpr int64_t kMaxQueueSize = 1000;   // queue maxsize=
inline constexpr int64_t kMaxExitCode = 255;     // exit code= (a process exit status)
inline constexpr int64_t kMaxIntValue = 999999999999999999;  // value=N
inline constexpr int kMaxGilTextLength = 64;                 // spawn gil="TEXT"

enum class Driver { kCapi, kInterpreters };
enum class StrategyKind { kCache, kDedicated, kPython };
enum class TstateMode { kPerCall, kSticky };

// `strategy cache [workers=N] [tstate=per_call|sticky]` | `strategy dedicated [bound_ms=N]`
// | a Python strategy: a built-in (`strategy trio`, `strategy threadpool workers=4`; the
// table is strategies.h) or a user's module (`strategy python module=NAME|PATH k=v...`).
// Every word, its arguments and their bounds are the strategy table (strategies.h);
// cache and dedicated keep theirs in the typed fields below, every other
// strategy (kind kPython: "named by `python`", C++ or Python) in `args`.
struct StrategySpec {
  StrategyKind kind = StrategyKind::kCache;
  int workers = 1;                          // cache: 1..kMaxWorkers
  TstateMode tstate = TstateMode::kPerCall;  // cache; sticky needs driver capi
  int64_t bound_ms = 0;                     // dedicated: 0 = join without bound
  // kPython: the entry's word (`trio`, ...) or "python" for a user's module.
  std::string python;
  std::string module;  // `python` only: module=NAME (on sys.path) or a file path
  // key=value arguments, values as written. Built-ins: in table order, defaults
  // omitted (canonical); `python`: in source order.
  std::vector<std::pair<std::string, std::string>> args;
  bool operator==(const StrategySpec&) const;
  bool operator!=(const StrategySpec& o) const { return !(*this == o); }
};

// `requires python>=3.13` or a capability word. Several may be given.
struct Requirement {
  enum class Kind { kPythonVersion, kCapability };
  enum class Op { kGe, kGt, kLe, kLt, kEq, kNe };
  Kind kind = Kind::kPythonVersion;
  Op op = Op::kGe;
  int major = 3, minor = 0, micro = -1;  // micro -1: not given ("3.13")
  // Capability words: debug, release, own_gil, freethreaded, asan, tsan,
  // interpreters_module (some interpreters module is importable).
  std::string capability;
  bool operator==(const Requirement&) const;
  bool operator!=(const Requirement& o) const { return !(*this == o); }
};

// Interpreter configuration: a base (isolated, the default, or legacy) plus
// explicit flag overrides. -1 means "as the base says".
struct InterpConfig {
  enum class Base { kIsolated, kLegacy };
  enum class Gil { kDefault, kOwn, kShared };        // gil=own|shared
  enum class Obmalloc { kDefault, kOwn, kMain };     // obmalloc=own|main
  Base base = Base::kIsolated;
  Gil gil = Gil::kDefault;
  Obmalloc obmalloc = Obmalloc::kDefault;
  int8_t threads = -1, daemon_threads = -1, fork = -1, exec = -1, check_extensions = -1;
  // `gil="TEXT"`: an odd gil value, the string new_config() gets verbatim
  // (the bytes decoded as UTF-8 with surrogateescape, so a byte that is not
  // UTF-8 is a lone surrogate); then `gil` stays kDefault. At most
  // kMaxGilTextLength bytes. Only the interpreters driver can pass it.
  std::optional<std::string> gil_text;
  bool operator==(const InterpConfig&) const;
  bool operator!=(const InterpConfig& o) const { return !(*this == o); }
};

enum class SnippetKind {
  kNoop, kCompute, kSleep, kBusy, kBusyPoll, kThread, kImport, kAlloc, kFiles,
  kLockWait, kRaise, kRecurse, kAtexit, kDelCycle, kCode, kRaiseWith, kNested, kRawThread,
  kFork,
};

// A named Python workload and its arguments. Which fields apply, their
// defaults and their bounds are in snippets.h (SnippetInfo).
struct Snippet {
  SnippetKind kind = SnippetKind::kNoop;
  int64_t n = 0;      // compute n=, thread n=, raw_thread n=, files n=, atexit raises=
  int64_t ms = 0;     // sleep/busy/busy_poll/thread/raw_thread/lock_wait/atexit/fork ms=
  int64_t kb = 0;     // alloc kb=
  int64_t depth = 0;  // recurse depth=
  bool daemon = false;  // thread daemon=
  std::string text;   // import module=, raise exc=, code "source", raise_with msg=, nested target=
  bool operator==(const Snippet&) const;
  bool operator!=(const Snippet& o) const { return !(*this == o); }
};

// Where an exec runs: the scenario's strategy, an explicit one, or
// synchronously on the conductor thread itself.
enum class ExecOn { kStrategy, kCache, kDedicated, kConductor };
enum class CancelVia { kAsyncExc, kFlag, kAbandon };
// kAuto: capi driver -> capi, interpreters driver -> module.
enum class DestroyVia { kAuto, kCapi, kModule, kClose };
enum class DestroyFrom { kConductor, kWorker, kThread };

enum class StepKind {
  kSpawn, kExec, kWait, kCancel, kDestroy, kSleep, kGc, kFinalize, kQueue, kPut, kGet, kShare, kCall, kClose,
  kExit, kFork,
};

// Whether a step of this kind ends the scenario (`finalize`, `exit`):
// nothing may follow it, and it needs a process of its own.
inline bool EndsScenario(StepKind kind) { return kind == StepKind::kFinalize || kind == StepKind::kExit; }

// What a queue does with the items an interpreter put once that interpreter
// is destroyed (CPython's unbound ops; `replace`, CPython's default, hands
// out an UNBOUND marker in their place).
enum class Unbound { kReplace, kRemove, kError };

// What a `call` step calls in the interpreter (`func=`): a plain function
// returning its arguments (`echo`, the default), a builtin (`builtin`: `str`)
// or a closure (`closure`). Each crosses by a different path, or is refused.
enum class CallFunc { kEcho, kBuiltin, kClosure };

// A value that crosses interpreters (`put ... value=`, `share ... value=`), from a small typed set:
// `none`, an int `N`, a str `"text"` (its bytes decoded as UTF-8 with
// surrogateescape, so a byte that is not UTF-8 becomes a lone surrogate),
// `bytes:HEX`, `tuple` (the fixed tuple (1, 'endgame', b'\x00', None)),
// `unshareable` (an object() , which CPython refuses to share) and
// `queue:Q` (a handle of queue Q: the high-level Queue object, made where the
// value is made; Q is a queue, not a channel, defined before the step).
struct Value {
  enum class Kind { kNone, kInt, kStr, kBytes, kTuple, kUnshareable, kQueue };
  Kind kind = Kind::kNone;
  int64_t n = 0;     // kInt: 0..kMaxIntValue
  std::string text;  // kStr, kBytes: at most kMaxStringLength bytes; kQueue: the queue's name
  // Whether this kind carries `text` (str and bytes).
  bool has_text() const { return kind == Kind::kStr || kind == Kind::kBytes; }
  bool operator==(const Value&) const;
  bool operator!=(const Value& o) const { return !(*this == o); }
};

// Where a step came from in `.scn` text, for error messages. Columns count
// UTF-8 code points, 1-based; 0 means unknown.
struct SourcePos {
  int line = 0;           // 1-based; 0 when the step did not come from text
  int column = 0;         // the step keyword
  int target_column = 0;  // the interpreter or task the step names
  int as_column = 0;      // the task name after `as`
  int queue_column = 0;   // put and get: the queue they name
};

// One operation. Fields used per kind:
//   spawn:    interp, config
//   exec:     interp, snippet, on, task (optional `as`: asynchronous when set)
//   wait:     task, timeout_ms (0 = until the step deadline)
//   cancel:   task, via
//   destroy:  interp, destroy_via, from, task (optional `as`: asynchronous)
//   sleep:    ms
//   gc:       interp
//   finalize: -
//   queue:    queue, maxsize, unbound, channel (`channel C`: a channel, maxsize 0)
//   put:      queue, interp (from=), value, task (optional `as`)
//   get:      queue, interp (in=), timeout_ms, task (optional `as`)
//   share:    interp, attr (name=), value (synchronous, from the conductor)
//   call:     interp, func, value (synchronous, from the conductor; no value
//             means no argument)
//   close:    queue (a channel's name), force (synchronous, from the conductor)
//   exit:     code (the process's exit status, 0..kMaxExitCode)
//   fork:     ms (synchronous: os.fork() in the main interpreter, from the
//             conductor; the child sleeps ms and leaves with os._exit(0))
// Every kind: delay_us.
struct Step {
  StepKind kind = StepKind::kSleep;
  std::string interp;
  std::string task;
  InterpConfig config;
  Snippet snippet;
  ExecOn on = ExecOn::kStrategy;
  CancelVia via = CancelVia::kAsyncExc;
  DestroyVia destroy_via = DestroyVia::kAuto;
  DestroyFrom from = DestroyFrom::kConductor;
  int64_t timeout_ms = 0;
  int64_t ms = 0;
  int64_t delay_us = 0;
  std::string queue;  // queue, put, get: the queue's name
  int64_t maxsize = 0;  // queue: 0 = unbounded, else 1..kMaxQueueSize
  Unbound unbound = Unbound::kReplace;
  // queue: the step is `channel C` (`_interpchannels`), which shares the queue
  // name space, put, get and the item oracles; put and get name it as a queue.
  bool channel = false;
  bool force = false;  // close: force=1 (drops the items left in it)
  Value value;        // put, share, call
  std::string attr;   // share: the `__main__` attribute it sets ([A-Za-z_][A-Za-z0-9_]*)
  CallFunc func = CallFunc::kEcho;  // call
  int64_t code = 0;   // exit: `code=`, the status the process ends with
  SourcePos pos;  // not part of equality

  bool operator==(const Step&) const;
  bool operator!=(const Step& o) const { return !(*this == o); }

  static Step Spawn(std::string interp, InterpConfig config = {});
  static Step Exec(std::string interp, Snippet snippet, std::string task = "");
  static Step Wait(std::string task, int64_t timeout_ms = 0);
  static Step Cancel(std::string task, CancelVia via = CancelVia::kAsyncExc);
  static Step Destroy(std::string interp, std::string task = "");
  static Step Sleep(int64_t ms);
  static Step Gc(std::string interp);
  static Step Finalize();
  static Step Queue(std::string queue, int64_t maxsize = 0, Unbound unbound = Unbound::kReplace);
  static Step Put(std::string queue, std::string from, Value value, std::string task = "");
  static Step Get(std::string queue, std::string in, int64_t timeout_ms = 0, std::string task = "");
  static Step Share(std::string interp, std::string attr, Value value = {});
  static Step Call(std::string interp, CallFunc func = CallFunc::kEcho, Value value = {});
  static Step Channel(std::string channel, Unbound unbound = Unbound::kReplace);
  static Step Close(std::string channel, bool force = false);
  static Step Exit(int64_t code = 0);
  static Step Fork(int64_t ms = 0);
};

// `expect <verdict> ["detail"]`: what this scenario is known to produce.
// verdict is one of ok, error, fatal, crash, sanitizer, hang, leak, skipped;
// detail is free text matched as a substring of the verdict's detail.
struct Expect {
  std::string verdict;
  std::string detail;
  bool operator==(const Expect&) const;
  bool operator!=(const Expect& o) const { return !(*this == o); }
};

struct Scenario {
  std::string name;
  std::vector<Requirement> requires_;
  Driver driver = Driver::kCapi;
  StrategySpec strategy;
  int64_t deadline_ms = 5000;  // per-step hang deadline, 1..kMaxMs
  std::vector<Step> steps;
  std::optional<Expect> expect;

  bool operator==(const Scenario&) const;
  bool operator!=(const Scenario& o) const { return !(*this == o); }
};

// The scenario's `exit` step (a valid scenario has it last), or nullptr.
inline const Step* ExitStepOf(const Scenario& s) {
  return !s.steps.empty() && s.steps.back().kind == StepKind::kExit ? &s.steps.back() : nullptr;
}

}  // namespace endgame::scenario

#endif  // ENDGAME_SCENARIO_SCENARIO_H_
