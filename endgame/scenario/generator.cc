#include "endgame/scenario/generator.h"

#include <algorithm>
#include <array>

#include "endgame/scenario/internal/random.h"
#include "endgame/scenario/internal/strings.h"
#include "endgame/scenario/internal/tracker.h"
#include "endgame/scenario/names.h"
#include "endgame/scenario/snippets.h"
#include "endgame/scenario/strategies.h"

namespace endgame::scenario {
namespace internal {

uint64_t Below(std::mt19937_64& rng, uint64_t n) { return n == 0 ? 0 : rng() % n; }

int64_t Between(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  if (hi <= lo) return lo;
  return lo + static_cast<int64_t>(Below(rng, static_cast<uint64_t>(hi - lo) + 1));
}

bool Percent(std::mt19937_64& rng, int percent) {
  return static_cast<int>(Below(rng, 100)) < percent;
}

int Weighted(std::mt19937_64& rng, absl::Span<const int> weights) {
  int64_t total = 0;
  for (int w : weights) total += std::max(w, 0);
  if (total <= 0) return -1;
  int64_t x = static_cast<int64_t>(Below(rng, static_cast<uint64_t>(total)));
  for (size_t i = 0; i < weights.size(); ++i) {
    x -= std::max(weights[i], 0);
    if (x < 0) return static_cast<int>(i);
  }
  return static_cast<int>(weights.size()) - 1;
}

int64_t RandomIntArg(const SnippetArg& arg, SnippetKind kind, const GeneratorOptions& o,
                     std::mt19937_64& rng) {
  int64_t cap = arg.max;
  switch (arg.field) {
    case SnippetField::kMs:
      cap = o.max_ms;
      break;
    case SnippetField::kKb:
      cap = o.max_alloc_kb;
      break;
    case SnippetField::kDepth:
      cap = o.max_recurse_depth;
      break;
    case SnippetField::kN:
      cap = kind == SnippetKind::kCompute ? o.max_compute_n
            : kind == SnippetKind::kFiles ? o.max_files
                                          : o.max_threads;
      break;
    case SnippetField::kDaemon:
    case SnippetField::kText:
      break;
  }
  cap = std::min(std::max(cap, arg.min), arg.max);
  return Between(rng, arg.min, cap);
}

namespace {

template <typename T>
const T& PickFrom(const std::vector<T>& v, std::mt19937_64& rng) {
  return v[Below(rng, v.size())];
}

const std::vector<std::string>& OrDefault(const std::vector<std::string>& v,
                                          const std::vector<std::string>& def) {
  return v.empty() ? def : v;
}

}  // namespace

Snippet RandomSnippet(SnippetKind kind, const GeneratorOptions& o, std::mt19937_64& rng) {
  Snippet s = DefaultSnippet(kind);
  for (const SnippetArg& a : InfoOf(kind).Args()) {
    switch (a.type) {
      case ArgType::kInt:
      case ArgType::kBool:
        if (!Percent(rng, o.default_arg_percent)) {
          SetIntField(&s, a.field, RandomIntArg(a, kind, o, rng));
        }
        break;
      case ArgType::kIdentOrString:
        if (!Percent(rng, o.default_arg_percent)) {
          s.text = kind == SnippetKind::kImport      ? PickFrom(OrDefault(o.modules, DefaultModules()), rng)
                   : kind == SnippetKind::kRaiseWith ? PickFrom(OrDefault(o.texts, DefaultTexts()), rng)
                                                     : PickFrom(OrDefault(o.exceptions, DefaultExceptions()), rng);
        }
        break;
      case ArgType::kSource:
        s.text = PickFrom(OrDefault(o.code_dictionary, DefaultCodeDictionary()), rng);
        break;
      case ArgType::kInterp:
        break;  // the caller names an interpreter of its scenario

    }
    if (s.text.size() > static_cast<size_t>(kMaxStringLength)) s.text.resize(kMaxStringLength);
  }
  return s;
}

SnippetKind RandomSnippetKind(const GeneratorOptions& o, std::mt19937_64& rng) {
  int i = Weighted(rng, o.snippet_weights);
  return i < 0 ? SnippetKind::kNoop : static_cast<SnippetKind>(i);
}

// One of the table's other built-ins (not cache, dedicated or a user's
// module), uniformly, restricted to o.other_strategies when that is set; its
// arguments at their default or drawn within their bounds and the caps.
std::optional<StrategySpec> RandomOtherStrategy(Driver driver, const GeneratorOptions& o, std::mt19937_64& rng) {
  std::vector<const StrategyInfo*> pool;
  for (const StrategyInfo& i : Strategies()) {
    if (i.kind != StrategyKind::kPython || i.user_module) continue;
    if (!o.other_strategies.empty() &&
        std::find(o.other_strategies.begin(), o.other_strategies.end(), i.word) == o.other_strategies.end()) {
      continue;
    }
    pool.push_back(&i);
  }
  if (pool.empty()) return std::nullopt;
  const StrategyInfo& info = *pool[static_cast<size_t>(Between(rng, 0, static_cast<int64_t>(pool.size()) - 1))];
  StrategySpec st = DefaultSpec(info);
  for (const StrategyArg& a : info.args) {
    if (Percent(rng, o.default_arg_percent)) continue;
    int64_t hi = a.max;
    if (a.unit == ArgUnit::kCount) hi = std::min<int64_t>(hi, std::max(o.max_workers, 1));
    if (a.unit == ArgUnit::kMs) hi = std::min<int64_t>(hi, o.max_bound_ms);
    int64_t v = Between(rng, a.min, std::max(a.min, hi));
    if (v == a.capi_only && driver != Driver::kCapi) continue;
    SetStrategyArg(&st, a.key, v);
  }
  return st;
}

StrategySpec RandomStrategy(Driver driver, const GeneratorOptions& o, std::mt19937_64& rng) {
  // Drawn only when asked for, so that a seed's scenarios stay what they were.
  if (o.other_strategy_percent > 0 && Percent(rng, o.other_strategy_percent)) {
    if (std::optional<StrategySpec> other = RandomOtherStrategy(driver, o, rng)) return *other;
  }
  StrategySpec st;
  if (Percent(rng, o.dedicated_percent)) {
    st.kind = StrategyKind::kDedicated;
    if (Percent(rng, 50)) st.bound_ms = Between(rng, 1, std::min<int64_t>(o.max_bound_ms, kMaxMs));
  } else {
    st.workers = static_cast<int>(Between(rng, 1, std::clamp(o.max_workers, 1, kMaxWorkers)));
    if (driver == Driver::kCapi && Percent(rng, o.sticky_percent)) st.tstate = TstateMode::kSticky;
  }
  return st;
}

const std::vector<std::string>& OddGilTexts() {
  // A lone surrogate (surrogateescape of bytes that are not UTF-8), a NUL
  // inside (a char* literal would end at it, hence the length), none at all,
  // and words new_config() does not know.
  static const std::vector<std::string> kTexts = {"\xed\xa0\x80", "own\xff", std::string("own\0shared", 10), "",
                                                  "bogus",       "OWN",      "default"};
  return kTexts;
}

InterpConfig RandomConfig(const GeneratorOptions& o, std::mt19937_64& rng) {
  InterpConfig c;
  if (Percent(rng, o.legacy_percent)) c.base = InterpConfig::Base::kLegacy;
  if (Percent(rng, o.config_flag_percent))
    c.gil = static_cast<InterpConfig::Gil>(Between(rng, 1, 2));
  if (Percent(rng, o.gil_text_percent)) {
    c.gil = InterpConfig::Gil::kDefault;
    c.gil_text = PickFrom(OddGilTexts(), rng);
  }
  if (Percent(rng, o.config_flag_percent)) {
    c.obmalloc = static_cast<InterpConfig::Obmalloc>(Between(rng, 1, 2));
  }
  for (int8_t* f : {&c.threads, &c.daemon_threads, &c.fork, &c.exec, &c.check_extensions}) {
    if (Percent(rng, o.config_flag_percent)) *f = static_cast<int8_t>(Between(rng, 0, 1));
  }
  return c;
}

std::string FreshTask(const Tracker& t) {
  for (int i = 1;; ++i) {
    std::string name = internal::Cat("t", i);
    if (t.tasks().count(name) == 0) return name;
  }
}

Value RandomValue(const GeneratorOptions& o, std::mt19937_64& rng, const std::vector<std::string>& queues) {
  Value v;
  v.kind = Words<Value::Kind>::kAll[Below(rng, std::size(Words<Value::Kind>::kAll))].value;
  if (v.kind == Value::Kind::kInt) v.n = Between(rng, 0, 1000);
  if (v.kind == Value::Kind::kQueue) {
    if (queues.empty()) return Value{};
    v.text = PickFrom(queues, rng);
  }
  if (v.has_text()) {
    v.text = PickFrom(OrDefault(o.texts, DefaultTexts()), rng);
    if (v.text.size() > static_cast<size_t>(kMaxStringLength)) v.text.resize(kMaxStringLength);
  }
  return v;
}

// A fork step's ms: 0 (the child exits at once) half of the time, else 1..max_ms.
int64_t RandomForkMs(const GeneratorOptions& o, std::mt19937_64& rng) {
  return Percent(rng, 50) ? Between(rng, 1, std::clamp<int64_t>(o.max_ms, 1, kMaxMs)) : 0;
}

std::optional<Step> RandomStep(const Tracker& t, const GeneratorOptions& o, std::mt19937_64& rng) {
  if (t.finalized() || t.steps() >= kMaxSteps) return std::nullopt;
  std::vector<std::string> usable, spawnable, cancellable;
  for (const auto& [name, info] : t.interps()) {
    if (t.CanUse(name)) usable.push_back(name);
    if (t.CanSpawn(name)) spawnable.push_back(name);
  }
  for (int i = 0; i < kMaxSpawns; ++i) {  // one fresh name
    std::string n(1, static_cast<char>('a' + i));
    if (t.interps().count(n) == 0) {
      spawnable.push_back(n);
      break;
    }
  }
  for (const std::string& name : t.task_order()) {
    if (!t.tasks().at(name).destroys) cancellable.push_back(name);
  }
  const bool can_define = t.num_tasks() < kMaxTasks;

  std::array<int, kNumStepKinds> w = o.step_weights;
  auto zero = [&](StepKind k) { w[static_cast<int>(k)] = 0; };
  if (t.spawns() >= kMaxSpawns || spawnable.empty()) zero(StepKind::kSpawn);
  if (usable.empty()) {
    zero(StepKind::kExec);
    zero(StepKind::kDestroy);
    zero(StepKind::kGc);
    zero(StepKind::kShare);
    zero(StepKind::kCall);
    zero(StepKind::kFork);  // a fork is about the subinterpreters alive at it
  }
  if (t.task_order().empty()) zero(StepKind::kWait);
  if (cancellable.empty()) zero(StepKind::kCancel);
  std::vector<std::string> queues;
  for (const auto& [name, at] : t.queues()) queues.push_back(name);
  if (t.queues().size() >= static_cast<size_t>(kMaxQueues)) zero(StepKind::kQueue);
  if (queues.empty() || usable.empty()) {
    zero(StepKind::kPut);
    zero(StepKind::kGet);
  }
  std::vector<std::string> channels, plain_queues;
  for (const std::string& q : queues) {
    (t.IsChannel(q) ? channels : plain_queues).push_back(q);
  }
  if (channels.empty()) zero(StepKind::kClose);
  int k = Weighted(rng, w);
  if (k < 0) return std::nullopt;

  Step st;
  st.kind = static_cast<StepKind>(k);
  switch (st.kind) {
    case StepKind::kSpawn:
      st.interp = PickFrom(spawnable, rng);
      st.config = RandomConfig(o, rng);
      break;
    case StepKind::kExec:
      st.interp = PickFrom(usable, rng);
      st.snippet = RandomSnippet(RandomSnippetKind(o, rng), o, rng);
      if (NestedTarget(st.snippet) != nullptr) {
        // Any interpreter spawned so far: another, this one, or a destroyed one.
        std::vector<std::string> known;
        for (const auto& [name, info] : t.interps()) known.push_back(name);
        st.snippet.text = PickFrom(known, rng);
      }
      if (Percent(rng, o.on_override_percent)) st.on = static_cast<ExecOn>(Between(rng, 1, 3));
      if (st.on != ExecOn::kConductor && can_define && Percent(rng, o.async_percent)) {
        st.task = FreshTask(t);
      }
      break;
    case StepKind::kWait:
      st.task = PickFrom(t.task_order(), rng);
      if (Percent(rng, o.wait_timeout_percent)) {
        st.timeout_ms = Between(rng, 1, std::min<int64_t>(std::max<int64_t>(o.max_ms, 1), kMaxMs));
      }
      break;
    case StepKind::kCancel:
      st.task = PickFrom(cancellable, rng);
      st.via = static_cast<CancelVia>(Between(rng, 0, 2));
      break;
    case StepKind::kDestroy:
      st.interp = PickFrom(usable, rng);
      if (Percent(rng, o.destroy_args_percent)) {
        st.destroy_via = static_cast<DestroyVia>(Between(rng, 0, 3));
        st.from = static_cast<DestroyFrom>(Between(rng, 0, 2));
      }
      if (can_define && Percent(rng, o.async_percent)) st.task = FreshTask(t);
      break;
    case StepKind::kSleep:
      st.ms = Between(rng, 0, std::min<int64_t>(std::max<int64_t>(o.max_ms, 0), kMaxMs));
      break;
    case StepKind::kFork:
      st.ms = RandomForkMs(o, rng);
      break;
    case StepKind::kGc:
      st.interp = PickFrom(usable, rng);
      break;
    case StepKind::kFinalize:
      break;
    case StepKind::kQueue:
      st.queue = internal::Cat("q", t.queues().size() + 1);
      st.channel = Percent(rng, o.channel_percent);
      if (Percent(rng, o.queue_args_percent)) {
        if (!st.channel) st.maxsize = Between(rng, 0, 4);
        st.unbound = static_cast<Unbound>(Between(rng, 0, 2));
      }
      break;
    case StepKind::kClose:
      st.queue = PickFrom(channels, rng);
      st.force = Percent(rng, o.close_force_percent);
      break;
    case StepKind::kExit:
      st.code = Between(rng, 0, 3);
      break;
    case StepKind::kPut:
    case StepKind::kGet:
      st.queue = PickFrom(queues, rng);
      st.interp = PickFrom(usable, rng);
      if (st.kind == StepKind::kPut) st.value = RandomValue(o, rng, plain_queues);
      if (st.kind == StepKind::kGet && Percent(rng, o.wait_timeout_percent)) {
        st.timeout_ms = Between(rng, 1, std::min<int64_t>(std::max<int64_t>(o.max_ms, 1), kMaxMs));
      }
      if (can_define && Percent(rng, o.async_percent)) st.task = FreshTask(t);
      break;
    case StepKind::kShare:
      st.interp = PickFrom(usable, rng);
      st.attr = kShareAttrNames[Below(rng, std::size(kShareAttrNames))];
      st.value = RandomValue(o, rng, plain_queues);
      break;
    case StepKind::kCall:
      st.interp = PickFrom(usable, rng);
      st.func = static_cast<CallFunc>(Below(rng, 3));
      if (Percent(rng, 75)) st.value = RandomValue(o, rng, plain_queues);  // else no argument
      break;
  }
  if (Percent(rng, o.delay_percent)) {
    st.delay_us = Between(rng, 1, std::clamp<int64_t>(o.max_delay_us, 1, kMaxDelayUs));
  }
  if (t.Check(st)) return std::nullopt;  // cannot happen; keeps the contract
  return st;
}

}  // namespace internal

const std::vector<std::string>& DefaultCodeDictionary() {
  static const auto* v = new std::vector<std::string>{
      "pass",
      "import threading\nthreading.Thread(target=lambda: None).start()",
      "import threading\nev = threading.Event()\nthreading.Thread(target=ev.wait, "
      "daemon=True).start()",
      "import _thread\n_thread.start_new_thread(lambda: None, ())",
      "import time\ntime.sleep(0.005)",
      "import gc\ngc.collect()",
      "x = [bytearray(1024) for _ in range(64)]",
      "import atexit\natexit.register(lambda: None)",
      "class C:\n    def __del__(self):\n        import time\n        time.sleep(0.001)\nc = "
      "C()\nc.self = c",
      "import sys\nsys.setrecursionlimit(100)",
      "raise SystemExit(3)",
      // A pipe as file objects, which teardown closes. Raw fds from os.pipe()
      // are closed by nothing: the scenario's own leak, not CPython's (it made
      // e9b7c0d0d708, "leak fd +2", x8 in the 10-minute campaign of 2026-12-03).
      "import os\nr, w = os.pipe()\nr, w = os.fdopen(r, 'rb'), os.fdopen(w, 'wb')",
      "import threading\nlock = threading.Lock()\nlock.acquire()\nlock.acquire(timeout=0.01)",
      "import asyncio\nasyncio.run(asyncio.sleep(0))",
      "import weakref\nclass K: pass\nk = K()\nweakref.finalize(k, print)",
  };
  return *v;
}

const std::vector<std::string>& DefaultModules() {
  static const auto* v = new std::vector<std::string>{
      "json",     "os",       "threading", "asyncio",
      "decimal",  "datetime", "array",     "math",
      "pickle",   "re",       "select",    "socket",
      "zlib",     "ctypes",   "sqlite3",   "_testsinglephase",
      "readline",
  };
  return *v;
}

const std::vector<std::string>& DefaultTexts() {
  static const auto* v = new std::vector<std::string>{
      "endgame", std::string("a\0b", 3), "\xff", "\xed\xb2\x80", "caf\xc3\xa9", "", std::string(300, 'x'),
  };
  return *v;
}

const std::vector<std::string>& DefaultExceptions() {
  static const auto* v = new std::vector<std::string>{
      "RuntimeError", "ValueError",     "KeyboardInterrupt", "SystemExit",
      "MemoryError",  "RecursionError", "BaseException",     "GeneratorExit",
  };
  return *v;
}

std::optional<Step> GenerateStep(const Scenario& scenario, const GeneratorOptions& options,
                                 std::mt19937_64& rng) {
  internal::Tracker t;
  for (const Step& st : scenario.steps) t.Apply(st, {});
  return internal::RandomStep(t, options, rng);
}

Scenario Generate(const GeneratorOptions& o, std::mt19937_64& rng) {
  Scenario s;
  if (internal::Percent(rng, o.interpreters_driver_percent)) s.driver = Driver::kInterpreters;
  s.strategy = internal::RandomStrategy(s.driver, o, rng);
  s.deadline_ms = std::clamp<int64_t>(o.deadline_ms, 1, kMaxMs);
  const int lo = std::clamp(o.min_steps, 0, kMaxSteps);
  const int hi = std::clamp(o.max_steps, lo, kMaxSteps);
  const int n = static_cast<int>(internal::Between(rng, lo, hi));
  const int fork_at =
      n > 0 && internal::Percent(rng, o.fork_percent) ? static_cast<int>(internal::Between(rng, 0, n - 1)) : -1;
  internal::Tracker t;
  for (int i = 0; i < n; ++i) {
    if (i == fork_at && !t.finalized() && t.steps() < kMaxSteps) {
      Step fork = Step::Fork(internal::RandomForkMs(o, rng));
      t.Apply(fork, {});
      s.steps.push_back(std::move(fork));
      continue;
    }
    std::optional<Step> st = internal::RandomStep(t, o, rng);
    if (!st) continue;
    // A gil string is new_config()'s: under the C API it would skip the
    // whole scenario (run/requirements.cc).
    if (s.driver == Driver::kCapi) st->config.gil_text.reset();
    t.Apply(*st, {});
    s.steps.push_back(std::move(*st));
  }
  // The exit counts among the steps: at most max_steps in all.
  if (!t.finalized() && t.steps() < hi && internal::Percent(rng, o.exit_percent)) {
    s.steps.push_back(Step::Exit(internal::Between(rng, 0, 3)));
  }
  return s;
}

}  // namespace endgame::scenario
