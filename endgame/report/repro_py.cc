// repro.py: the scenario as a standalone Python program.
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "endgame/py/queues.h"
#include "endgame/report/repro.h"
#include "endgame/run/snippet_source.h"
#include "endgame/scenario/snippets.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/names.h"
#include "endgame/scenario/text.h"

namespace endgame::report {
namespace {

using scenario::Step;
using scenario::StepKind;

// Stand-in for the cancel pipe's fd in snippet sources; replaced at run time.
constexpr int kFdPlaceholder = 987654321;
// Stands for a queue's id in put/get code until the program knows it.
constexpr int64_t kQidPlaceholder = 876543219;
// Stands for the id of the queue a `value=queue:Q` names, likewise.
constexpr int64_t kHandlePlaceholder = 654321987;
// Stands for a nested exec's target interpreter id, likewise.
constexpr int64_t kTargetPlaceholder = 765432198;

// `_interpqueues.create(...)` for a queue step, `_interpchannels.create(...)`
// for a channel, as the engine calls them.
std::string QueueCreate(const Step& st) {
  if (st.channel) return py::CreateChannelExpression("_interpchannels", run::UnboundOp(st.unbound));
  return py::CreateQueueExpression("_interpqueues", st.maxsize, run::UnboundOp(st.unbound));
}

// A queue step's name, unbound op and whether it is a channel, as put and get need them.
struct QueueDecl {
  scenario::Unbound unbound = scenario::Unbound::kReplace;
  bool channel = false;
};

// The code a put or get runs in its interpreter, as the engine makes it
// (run/conductor.cc, DoPutGet), with kQidPlaceholder for the id.
std::string PutGetSource(const Step& st, const QueueDecl& q) {
  if (q.channel) {
    return st.kind == StepKind::kPut ? run::SendSource(kQidPlaceholder, st.value, kHandlePlaceholder)
                                     : run::RecvSource(kQidPlaceholder, st.timeout_ms);
  }
  return st.kind == StepKind::kPut ? run::PutSource(kQidPlaceholder, st.value, q.unbound, kHandlePlaceholder)
                                   : run::GetSource(kQidPlaceholder, st.timeout_ms);
}

constexpr char kPrelude[] = R"PY(import faulthandler, os, queue, sys, threading, time

try:
    import _interpreters as xi          # 3.13+
except ImportError:
    import _xxsubinterpreters as xi     # 3.12

DEADLINE = %DEADLINE%  # seconds per step, as endgame's watchdog
_base = (len(os.listdir('/proc/self/task')), len(os.listdir('/proc/self/fd')))


def step(text):
    """Re-arms the hang watchdog for one step: past DEADLINE, every thread's
    stack is dumped and the process exits 1."""
    print('endgame-repro: step', text, flush=True)
    faulthandler.dump_traceback_later(DEADLINE, exit=True)


def create(isolated, **overrides):
    if hasattr(xi, 'new_config'):
        return xi.create(xi.new_config('isolated' if isolated else 'legacy', **overrides))
    if overrides:
        raise NotImplementedError('config flags need CPython 3.13+')
    return xi.create(isolated=isolated)


def run(iid, code):
    """Runs code in the interpreter on this thread; its exception is raised here."""
    if hasattr(xi, 'exec'):
        exc = xi.exec(iid, code)
        if exc is not None:
            raise RuntimeError('%s: %s' % (exc.type.__name__, exc.msg))
    else:
        try:
            xi.run_string(iid, code)
        except xi.RunFailedError as e:
            raise RuntimeError(str(e)) from None


class Task:
    """One exec (or destroy) running on a strategy thread."""
    made = []  # every task: their cancel pipes are closed before the fd count

    def __init__(self, iid, code=None, fn=None):
        Task.made.append(self)
        self.iid, self.fn = iid, fn
        self.done = threading.Event()
        self.ident = None
        self.cancelled = False
        self.abandoned = False
        self.flag_r, self.flag_w = os.pipe()
        if code is not None:
            code = code.replace('_fd = %FD%', '_fd = %d' % self.flag_r)
            self.fn = lambda: run(iid, code)

    def __call__(self):
        self.ident = threading.get_ident()
        try:
            if not self.cancelled:
                self.fn()
        except BaseException as e:
            print('endgame-repro: task error: %s: %s' % (type(e).__name__, e), flush=True)
        finally:
            self.done.set()

    def wait(self, timeout=None):
        return self.done.wait(timeout)

    def cancel_async_exc(self):
        """PyThreadState_SetAsyncExc issued from inside the target interpreter."""
        self.cancelled = True
        while self.ident is None and not self.done.is_set():
            time.sleep(0.0002)
        while not self.done.is_set():
            try:
                run(self.iid, 'import ctypes\n'
                    'n = ctypes.pythonapi.PyThreadState_SetAsyncExc('
                    'ctypes.c_ulong(%d), ctypes.py_object(KeyboardInterrupt))\n'
                    'if n == 0: raise LookupError("thread not in this interpreter yet")' % self.ident)
                return
            except RuntimeError as e:
                if 'LookupError' not in str(e):
                    raise
            self.done.wait(0.0002)

    def cancel_flag(self):
        self.cancelled = True
        os.write(self.flag_w, b'x')


class Dedicated:
    """A new thread per exec, joined before its interpreter is destroyed."""
    def __init__(self, bound_ms=0):
        self.bound = bound_ms / 1000.0 if bound_ms else None
        self.threads = {}
        self.abandoned = set()

    def submit(self, iid, task):
        t = threading.Thread(target=task, daemon=True)
        t.start()
        self.threads.setdefault(iid, []).append(t)

    def before_destroy(self, iid):
        ok = True
        for t in self.threads.pop(iid, []):
            t.join(self.bound)
            if t.is_alive():
                ok = False
        if not ok:
            self.abandoned.add(iid)
        return ok

    def shutdown(self):
        for iid in list(self.threads):
            self.before_destroy(iid)


class Cache:
    """Reused workers (like trio's thread cache or ThreadPoolExecutor), as
    daemon threads: at exit nothing joins them, as nothing joins the
    engine's workers (a ThreadPoolExecutor's are joined)."""
    def __init__(self, workers=1):
        self.jobs = queue.SimpleQueue()
        self.workers = [threading.Thread(target=self.work, daemon=True) for _ in range(workers)]
        for w in self.workers:
            w.start()
        self.abandoned = set()

    def work(self):
        for job in iter(self.jobs.get, None):
            job()

    def submit(self, iid, task):
        self.jobs.put(task)

    def before_destroy(self, iid):
        return True

    def shutdown(self):
        for _ in self.workers:
            self.jobs.put(None)
        for w in self.workers:
            w.join()


def destroy(strategy, iid, via='module'):
    if not strategy.before_destroy(iid):
        print('endgame-repro: bound expired, interpreter %d abandoned' % iid, flush=True)
        return False
    try:
        if via == 'close':
            from concurrent import interpreters as hi  # 3.14+
            hi.Interpreter(iid).close()
        else:
            xi.destroy(iid)
    except Exception as e:
        print('endgame-repro: destroy error: %s: %s' % (type(e).__name__, e), flush=True)
        return False
    return True


def sync(fn):
    t = Task(None, fn=fn)
    t()
    return t


interps, tasks, alive = {}, {}, {}
)PY";

constexpr char kEpilogue[] = R"PY(
step('drain')
abandoned = any(t.abandoned and not t.done.is_set() for t in tasks.values())
for t in tasks.values():
    if not t.abandoned:
        t.wait()
for name, iid in list(alive.items()):
    if not abandoned and iid not in strategy.abandoned:
        destroy(strategy, iid)
if not abandoned and not strategy.abandoned:
    strategy.shutdown()
    for s in extra.values():
        s.shutdown()
for t in Task.made:
    os.close(t.flag_r)
    os.close(t.flag_w)
faulthandler.cancel_dump_traceback_later()
# Only what CPython left counts: this program's own pipes are closed, its
# pools shut down; a joined thread (a pool worker, faulthandler's watchdog)
# stays listed in /proc/self/task for a moment after the join returns.
for _ in range(200):
    if len(os.listdir('/proc/self/task')) <= _base[0]:
        break
    time.sleep(0.001)
leaks = []
threads = len(os.listdir('/proc/self/task')) - _base[0]
fds = len(os.listdir('/proc/self/fd')) - _base[1]
interpreters = len(xi.list_all()) - 1
if threads > 0:
    leaks.append('thread +%d' % threads)
if fds > 0:
    leaks.append('fd +%d' % fds)
if interpreters > 0:
    leaks.append('interpreter +%d' % interpreters)
for leak in leaks:
    print('endgame-repro: leak', leak, flush=True)
if not leaks:
    print('endgame-repro: ok', flush=True)
os._exit(1 if leaks else 0)
)PY";

std::string PyBool(int8_t v) { return v ? "True" : "False"; }

std::string PyStr(const std::string& s) { return run::PyQuote(s); }

// The config flags as keyword arguments of new_config(), each after ", ".
std::string ConfigKwargs(const scenario::InterpConfig& c) {
  using IC = scenario::InterpConfig;
  std::string args;
  if (c.gil != IC::Gil::kDefault) absl::StrAppend(&args, ", gil=", c.gil == IC::Gil::kOwn ? "'own'" : "'shared'");
  if (c.gil_text) absl::StrAppend(&args, ", gil=", run::PyText(*c.gil_text));
  if (c.obmalloc != IC::Obmalloc::kDefault) {
    absl::StrAppend(&args, ", use_main_obmalloc=", c.obmalloc == IC::Obmalloc::kMain ? "True" : "False");
  }
  auto flag = [&](const char* name, int8_t v) {
    if (v >= 0) absl::StrAppend(&args, ", ", name, "=", PyBool(v));
  };
  flag("allow_threads", c.threads);
  flag("allow_daemon_threads", c.daemon_threads);
  flag("allow_fork", c.fork);
  flag("allow_exec", c.exec);
  flag("check_multi_interp_extensions", c.check_extensions);
  return args;
}

std::string CreateCall(const scenario::InterpConfig& c) {
  return absl::StrCat("create(", c.base == scenario::InterpConfig::Base::kLegacy ? "False" : "True",
                      ConfigKwargs(c), ")");
}

// ---- The minimal program (MinimalReproPy) ----

using scenario::ExecOn;
using scenario::InterpConfig;
using scenario::Scenario;

// A Python string literal, double-quoted unless the text holds double quotes
// and no single ones.
std::string PyLiteral(const std::string& s) {
  const bool has_double = s.find('"') != std::string::npos, has_single = s.find('\'') != std::string::npos;
  return run::PyQuote(s, has_double && !has_single ? '\'' : '"');
}

std::string NewConfig(const InterpConfig& c) {
  return absl::StrCat("xi.new_config(", c.base == InterpConfig::Base::kLegacy ? "'legacy'" : "'isolated'",
                      ConfigKwargs(c), ")");
}

// A fork exec's source in repro.py: the engine's, and when the child did not
// exit 0 the interpreter says so: one "endgame-repro: fork child ..." line on
// stdout (RunReproPy reads it as the engine reads the step's error) and the
// child's stderr on stderr, for the reader; then the error is raised as in the engine.
std::string ForkReproSource(const scenario::Snippet& sn) {
  std::string body;
  for (absl::string_view line : absl::StrSplit(run::ForkSource(sn.ms), '\n', absl::SkipEmpty())) {
    absl::StrAppend(&body, "    ", line, "\n");
  }
  return absl::StrCat("try:\n", body,
                      "except Exception as _endgame_e:\n"
                      "    if type(_endgame_e).__name__ != '", run::kForkChildError, "':\n"
                      "        raise\n"
                      "    import sys\n"
                      "    print('", kForkChildLine, "', _endgame_e, flush=True)\n"
                      "    _endgame_how, _, _endgame_text = str(_endgame_e).partition(': ')\n"
                      "    sys.stderr.write('the fork child died (%s); what it printed:\\n' % _endgame_how)\n"
                      "    sys.stderr.write(_endgame_text.encode('ascii').decode('unicode_escape'))\n"
                      "    sys.stderr.flush()\n"
                      "    raise\n");
}

// The snippet's source, in the shortest words that run the same code: a
// builtin exception raised directly, a top-level module imported directly.
std::string ShortSource(const scenario::Snippet& sn, int64_t target_id) {
  auto identifier = [](const std::string& t) {
    if (t.empty() || std::isdigit(static_cast<unsigned char>(t[0]))) return false;
    for (char c : t) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    }
    return true;
  };
  if (sn.kind == scenario::SnippetKind::kRaise && identifier(sn.text)) {
    return absl::StrCat("raise ", sn.text, "('raised by endgame')");
  }
  if (sn.kind == scenario::SnippetKind::kImport && identifier(sn.text)) return absl::StrCat("import ", sn.text);
  run::SnippetContext ctx;  // no cancel pipe: busy_poll runs until its ms=
  ctx.target_id = target_id;
  std::string code = run::SnippetSource(sn, ctx);
  while (!code.empty() && code.back() == '\n') code.pop_back();
  return code;
}

// What the full program is needed for in this step, or "".
std::string NeedsFullProgram(const Step& st) {
  switch (st.kind) {
    case StepKind::kCancel: return "cancel needs the task helpers";
    case StepKind::kFinalize: return "finalize needs the full program";
    case StepKind::kFork: return "a fork needs the full program (the child's stderr apart)";
    case StepKind::kExec:
      // The child shares the program's stderr: in plain lines its death
      // would read as the parent's. The full program reads it apart.
      if (st.snippet.kind == scenario::SnippetKind::kFork) return "a fork needs the full program (the child's stderr apart)";
      return "";
    case StepKind::kDestroy:
      if (!st.task.empty() || st.from != scenario::DestroyFrom::kConductor) {
        return "a destroy from another thread needs the task helpers";
      }
      if (st.destroy_via == scenario::DestroyVia::kCapi) return "destroy via=capi has no module equivalent";
      if (st.destroy_via == scenario::DestroyVia::kClose) return "destroy via=close needs concurrent.interpreters";
      return "";
    default: return "";
  }
}

// For a code string of the full program: `.replace(...)` of the handle
// placeholder by the id of the queue `value=queue:Q` names ("" for other values).
std::string HandleReplace(const scenario::Value& v) {
  if (v.kind != scenario::Value::Kind::kQueue) return "";
  return absl::StrCat(".replace('", kHandlePlaceholder, "', str(queues[", PyStr(v.text), "]))");
}

class Writer {
 public:
  explicit Writer(const Scenario& s) : s_(s) {
    for (const Step& st : s.steps) {
      if (st.kind == StepKind::kSpawn) interps_.insert(st.interp);
      if (st.kind == StepKind::kQueue) {
        if (st.channel) channel_order_.push_back(st.queue);
        queues_[st.queue] = QueueDecl{st.unbound, st.channel};
      }
      if (st.value.kind == scenario::Value::Kind::kQueue) handles_.insert(st.value.text);
    }
  }

  std::string Write(const std::string& title) {
    for (const Step& st : s_.steps) StepLines(st);
    if (Exits()) return Header(title) + body_;  // the process ends there: no drain
    // The end of the scenario, as the engine's drain: join the tasks, destroy what is alive.
    // Join() erases from unjoined_: walk a copy.
    for (const std::string& t : std::set<std::string>(unjoined_)) Join(t);
    for (const auto& [pool, workers] : pools_) Line(absl::StrCat(pool, ".shutdown()"));
    for (const std::string& name : spawn_order_) {
      if (alive_.count(name)) Line(absl::StrCat("xi.destroy(", Interp(name), ")"));
    }
    // Then the engine's channel oracle asks each channel's state (a debug
    // build can abort right there: tests/surface/channel_left_items_debug.scn).
    for (const std::string& c : channel_order_) Line(absl::StrCat("_interpchannels.get_info(", QueueVar(c), ")"));
    return Header(title) + body_;
  }

  // Why these plain lines would not be faithful, or "".
  const std::string& refused() const { return refused_; }

  // Whether the scenario ends with `exit`.
  bool Exits() const { return scenario::ExitStepOf(s_) != nullptr; }

  // The title comment, the imports and the pools.
  std::string Header(const std::string& title) const {
    std::string out;
    std::string one_line = title;
    for (char& c : one_line) c = c == '\n' ? ' ' : c;
    absl::StrAppend(&out, "# ", one_line, "\n");
    std::set<std::string> imports = imports_;
    imports.insert("_interpreters as xi");
    for (const std::string& m : imports) absl::StrAppend(&out, "import ", m, "\n");
    for (const auto& [pool, workers] : pools_) {
      absl::StrAppend(&out, pool, " = concurrent.futures.ThreadPoolExecutor(", workers, ")\n");
    }
    return out;
  }

 private:
  void Line(const std::string& l) { absl::StrAppend(&body_, l, "\n"); }

  // Names as Python identifiers: an interpreter keeps its name, unless a
  // keyword or a module this program uses takes it.
  std::string Interp(const std::string& n) const { return Reserved(n) ? "interp_" + n : n; }
  std::string Task(const std::string& n) const {
    return Reserved(n) || interps_.count(n) ? "task_" + n : n;
  }
  static bool Reserved(const std::string& n) {
    static const std::set<std::string> kWords = {
        "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
        "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not",
        "or", "pass", "raise", "return", "try", "while", "with", "yield", "xi", "time", "threading",
        "concurrent", "pool", "pool_cache", "print", "len", "id", "sys"};
    return kWords.count(n) > 0;
  }

  // The pool an exec queues on, or "" for a thread of its own.
  std::string PoolOf(const Step& st) {
    const bool cache = s_.strategy.kind == scenario::StrategyKind::kCache;
    if (st.on == ExecOn::kConductor || st.on == ExecOn::kDedicated) return "";
    if (st.on == ExecOn::kStrategy && !cache) return "";
    if (cache) return "pool";
    return "pool_cache";  // on=cache under the dedicated strategy: a one-worker cache
  }

  void Join(const std::string& task) {
    auto it = tasks_.find(task);
    if (it == tasks_.end()) return;
    Line(absl::StrCat(Task(task), it->second ? ".exception()" : ".join()"));
    unjoined_.erase(task);
  }

  // An exec of `code` (a Python expression for the source) as the engine runs it.
  void ExecLines(const Step& st, const std::string& code) {
    const std::string args = absl::StrCat(Interp(st.interp), ", ", code);
    std::string pool = PoolOf(st);
    if (!pool.empty() && (!st.task.empty() || pools_.count(pool))) {
      // Queued behind the pool's earlier jobs, as on the engine's cache workers.
      imports_.insert("concurrent.futures");
      pools_.emplace(pool, pool == "pool" ? s_.strategy.workers : 1);
      std::string call = absl::StrCat(pool, ".submit(xi.exec, ", args, ")");
      if (Exits()) refused_ = "a task on a cache before exit (a ThreadPoolExecutor's workers are joined at exit)";
      if (st.task.empty()) {
        Line(call + ".exception()");
      } else {
        Line(absl::StrCat(Task(st.task), " = ", call));
        tasks_[st.task] = true;
        unjoined_.insert(st.task);
      }
    } else if (!st.task.empty() && st.on != ExecOn::kConductor) {
      imports_.insert("threading");
      // Before an `exit`, a daemon thread: the engine's threads are not joined at exit, threading's are.
      Line(absl::StrCat(Task(st.task), " = threading.Thread(target=xi.exec, args=(", args, ")",
                        Exits() ? ", daemon=True" : "", ")"));
      Line(absl::StrCat(Task(st.task), ".start()"));
      tasks_[st.task] = false;
      unjoined_.insert(st.task);
    } else {
      Line(absl::StrCat("xi.exec(", args, ")"));  // this thread stands in for the worker
    }
  }

  // A literal of `code` whose `placeholder` becomes the value of `var` when
  // the program runs: an f-string.
  static std::string RuntimeIdLiteral(std::string code, int64_t placeholder, const std::string& var) {
    return RuntimeIdLiteral(std::move(code), {{placeholder, var}});
  }
  static std::string RuntimeIdLiteral(std::string code, const std::vector<std::pair<int64_t, std::string>>& vars) {
    while (!code.empty() && code.back() == '\n') code.pop_back();
    code = absl::StrReplaceAll(code, {{"{", "{{"}, {"}", "}}"}});
    code = "f" + PyLiteral(code);
    for (const auto& [placeholder, var] : vars) {
      code = absl::StrReplaceAll(code, {{absl::StrCat(placeholder), absl::StrCat("{", var, "}")}});
    }
    return code;
  }

  // `code` (run in main) with the handle placeholder as the variable of the
  // queue `value=queue:Q` names.
  std::string WithHandle(const std::string& code, const scenario::Value& v) const {
    if (v.kind != scenario::Value::Kind::kQueue) return code;
    return absl::StrReplaceAll(code, {{absl::StrCat(kHandlePlaceholder), QueueVar(v.text)}});
  }

  std::string QueueVar(const std::string& n) const { return Reserved(n) || interps_.count(n) ? "queue_" + n : n; }

  void StepLines(const Step& st) {
    if (st.delay_us > 0) {
      imports_.insert("time");
      Line(absl::StrCat("time.sleep(", st.delay_us, " / 1e6)"));
    }
    switch (st.kind) {
      case StepKind::kSpawn:
        Line(absl::StrCat(Interp(st.interp), " = xi.create(", NewConfig(st.config), ")"));
        if (!alive_.count(st.interp)) spawn_order_.push_back(st.interp);
        alive_.insert(st.interp);
        break;
      case StepKind::kQueue:
        imports_.insert(st.channel ? "_interpchannels" : "_interpqueues");
        imports_.insert("sys");
        Line(absl::StrCat(QueueVar(st.queue), " = ", QueueCreate(st)));
        // A Queue handle of it will come and go: hold a binding, as the engine does.
        if (handles_.count(st.queue)) Line(absl::StrCat("_interpqueues.bind(", QueueVar(st.queue), ")"));
        break;
      case StepKind::kPut:
      case StepKind::kGet: {
        // The queue's id goes into the code at run time: an f-string.
        std::string code = PutGetSource(st, queues_[st.queue]);
        std::vector<std::pair<int64_t, std::string>> vars = {{kQidPlaceholder, QueueVar(st.queue)}};
        if (st.value.kind == scenario::Value::Kind::kQueue) vars.emplace_back(kHandlePlaceholder, QueueVar(st.value.text));
        ExecLines(st, RuntimeIdLiteral(code, vars));
        break;
      }
      case StepKind::kClose: {
        // Run here, in main, as the conductor does: its lines with the channel's variable for the id.
        const std::string code = absl::StrReplaceAll(run::CloseSource(kQidPlaceholder, st.force),
                                                     {{absl::StrCat(kQidPlaceholder), QueueVar(st.queue)}});
        for (absl::string_view line : absl::StrSplit(code, '\n', absl::SkipEmpty())) Line(std::string(line));
        break;
      }
      case StepKind::kExec:
        if (const std::string* target = scenario::NestedTarget(st.snippet)) {
          ExecLines(st, RuntimeIdLiteral(ShortSource(st.snippet, kTargetPlaceholder), kTargetPlaceholder,
                                         Interp(*target)));
        } else {
          ExecLines(st, PyLiteral(ShortSource(st.snippet, -1)));
        }
        break;
      case StepKind::kWait:
        Join(st.task);
        break;
      case StepKind::kDestroy:
        Line(absl::StrCat("xi.destroy(", Interp(st.interp), ")"));
        alive_.erase(st.interp);
        break;
      case StepKind::kSleep:
        imports_.insert("time");
        Line(absl::StrCat("time.sleep(", st.ms, " / 1000)"));
        break;
      case StepKind::kGc:
        Line(absl::StrCat("xi.exec(", Interp(st.interp), ", \"import gc; gc.collect()\")"));
        break;
      case StepKind::kShare:
        Line(absl::StrCat("xi.set___main___attrs(", Interp(st.interp), ", {", PyStr(st.attr), ": ",
                          WithHandle(run::ValueSource(st.value, kHandlePlaceholder), st.value), "})"));
        break;
      case StepKind::kCall:
        for (absl::string_view line :
             absl::StrSplit(WithHandle(run::CallSource(Interp(st.interp), st, kHandlePlaceholder), st.value), '\n',
                            absl::SkipEmpty())) {
          Line(std::string(line));
        }
        break;
      case StepKind::kExit:
        imports_.insert("sys");
        Line(absl::StrCat("sys.exit(", st.code, ")  # Py_Exit: Py_FinalizeEx with everything alive, then the process ends"));
        break;
      case StepKind::kCancel:
      case StepKind::kFinalize:
      case StepKind::kFork:
        break;  // excluded by NeedsFullProgram
    }
  }

  const Scenario& s_;
  std::set<std::string> interps_;
  std::set<std::string> imports_;
  std::map<std::string, int> pools_;        // pool variable -> workers
  std::map<std::string, bool> tasks_;       // task -> on a pool (a future) rather than a thread
  std::map<std::string, QueueDecl> queues_;  // queue or channel -> its declaration
  std::set<std::string> handles_;            // queues some `value=queue:Q` names
  std::vector<std::string> channel_order_;   // the channels, in declaration order
  std::string refused_;
  std::set<std::string> unjoined_;
  std::set<std::string> alive_;
  std::vector<std::string> spawn_order_;
  std::string body_;
};

// Whether the finding is one that ends the process or the API call by itself
// (fatal, crash, sanitizer, error): those need neither the watchdog nor the
// oracles, so the minimal program shows them.
}  // namespace

absl::Status ModelledStrategy(const scenario::Scenario& s) {
  const scenario::StrategyInfo* info = scenario::InfoOf(s.strategy);
  if (info == nullptr || info->runtime != scenario::StrategyRuntime::kCpp) {
    return absl::UnimplementedError(absl::StrCat("strategy ", scenario::StrategyWord(s.strategy),
                                                 ": the reproducers model cache and dedicated only (replay the "
                                                 "finding with endgame replay)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReproPy(const scenario::Scenario& s, const std::string& title,
                                    const run::Verdict* finding) {
  if (absl::Status m = ModelledStrategy(s); !m.ok()) return m;
  if (WantsMinimalRepro(s, finding)) {
    absl::StatusOr<std::string> minimal = MinimalReproPy(s, title);
    if (minimal.ok()) return minimal;
  }
  if (s.strategy.tstate == scenario::TstateMode::kSticky) {
    return absl::UnimplementedError("tstate=sticky has no equivalent in the interpreters module (use repro.c)");
  }
  std::string out = absl::StrCat("#!/usr/bin/env python3\n\"\"\"", title,
                                 "\n\nGenerated by endgame: the scenario below as a standalone program.\n"
                                 "Run with the CPython under test: python3 repro.py\n"
                                 "It prints 'endgame-repro: ok' when nothing goes wrong; a leak prints\n"
                                 "'endgame-repro: leak ...' (exit 1); a hang dumps stacks after DEADLINE\n"
                                 "seconds (exit 1); a fatal error or crash ends the process.\n\"\"\"\n");
  std::string prelude = absl::StrReplaceAll(
      kPrelude, {{"%DEADLINE%", absl::StrCat(s.deadline_ms / 1000.0)}, {"%FD%", absl::StrCat(kFdPlaceholder)}});
  absl::StrAppend(&out, prelude);
  if (s.strategy.kind == scenario::StrategyKind::kCache) {
    absl::StrAppend(&out, "strategy = Cache(workers=", s.strategy.workers, ")\n");
  } else {
    absl::StrAppend(&out, "strategy = Dedicated(bound_ms=", s.strategy.bound_ms, ")\n");
  }
  absl::StrAppend(&out, "extra = {'cache': Cache(), 'dedicated': Dedicated()}\nqueues = {}\n\n");
  std::map<std::string, QueueDecl> queues;  // queue or channel -> its declaration
  for (const Step& st : s.steps) {
    absl::StrAppend(&out, "# ---\n");
    if (st.delay_us > 0) absl::StrAppend(&out, "time.sleep(", st.delay_us, " / 1e6)\n");
    switch (st.kind) {
      case StepKind::kSpawn:
        absl::StrAppend(&out, "step('spawn ", st.interp, "')\n", "interps[", PyStr(st.interp), "] = alive[",
                        PyStr(st.interp), "] = ", CreateCall(st.config), "\n");
        break;
      case StepKind::kQueue:
        absl::StrAppend(&out, "step('", std::string(scenario::StepWord(st)), " ", st.queue, "')\nimport ",
                        st.channel ? "_interpchannels" : "_interpqueues", "\nqueues[", PyStr(st.queue), "] = ",
                        QueueCreate(st), "\n");
        // The engine holds a binding of each queue (py::BindQueue).
        if (!st.channel) absl::StrAppend(&out, "_interpqueues.bind(queues[", PyStr(st.queue), "])\n");
        queues[st.queue] = QueueDecl{st.unbound, st.channel};
        break;
      case StepKind::kClose:
        absl::StrAppend(&out, "step('close ", st.queue, "')\nsync(lambda: exec(",
                        PyStr(run::CloseSource(kQidPlaceholder, st.force)), ".replace('", kQidPlaceholder,
                        "', str(queues[", PyStr(st.queue), "])), {}))\n");
        break;
      case StepKind::kExec:
      case StepKind::kPut:
      case StepKind::kGet: {
        run::SnippetContext ctx;
        ctx.cancel_fd = st.snippet.kind == scenario::SnippetKind::kBusyPoll ? kFdPlaceholder : -1;
        const std::string* target = st.kind == StepKind::kExec ? scenario::NestedTarget(st.snippet) : nullptr;
        if (target != nullptr) ctx.target_id = kTargetPlaceholder;
        std::string code = st.kind == StepKind::kExec
                               ? PyStr(st.snippet.kind == scenario::SnippetKind::kFork ? ForkReproSource(st.snippet)
                                                                                       : run::SnippetSource(st.snippet, ctx))
                           : absl::StrCat(PyStr(PutGetSource(st, queues[st.queue])), ".replace('",
                                          kQidPlaceholder, "', str(queues[", PyStr(st.queue), "]))",
                                          HandleReplace(st.value));
        if (target != nullptr) {
          absl::StrAppend(&code, ".replace('", kTargetPlaceholder, "', str(interps[", PyStr(*target), "]))");
        }
        std::string where = st.on == scenario::ExecOn::kCache       ? "extra['cache']"
                            : st.on == scenario::ExecOn::kDedicated ? "extra['dedicated']"
                                                                    : "strategy";
        absl::StrAppend(&out, "step('", std::string(scenario::NameOf(st.kind)), " ", st.interp, "')\n", "task = Task(interps[",
                        PyStr(st.interp), "], ", code, ")\n");
        if (st.on == scenario::ExecOn::kConductor) {
          absl::StrAppend(&out, "task()\n");
        } else {
          absl::StrAppend(&out, where, ".submit(interps[", PyStr(st.interp), "], task)\n");
          if (st.task.empty()) {
            absl::StrAppend(&out, "task.wait()\n");
          } else {
            absl::StrAppend(&out, "tasks[", PyStr(st.task), "] = task\n");
          }
        }
        break;
      }
      case StepKind::kWait:
        absl::StrAppend(&out, "step('wait ", st.task, "')\n", "tasks[", PyStr(st.task), "].wait(",
                        st.timeout_ms > 0 ? absl::StrCat(st.timeout_ms, " / 1000") : "", ")\n");
        break;
      case StepKind::kCancel:
        absl::StrAppend(&out, "step('cancel ", st.task, "')\n");
        switch (st.via) {
          case scenario::CancelVia::kAsyncExc:
            absl::StrAppend(&out, "tasks[", PyStr(st.task), "].cancel_async_exc()\n");
            break;
          case scenario::CancelVia::kFlag:
            absl::StrAppend(&out, "tasks[", PyStr(st.task), "].cancel_flag()\n");
            break;
          case scenario::CancelVia::kAbandon:
            absl::StrAppend(&out, "tasks[", PyStr(st.task), "].abandoned = True\n");
            break;
        }
        break;
      case StepKind::kDestroy: {
        if (st.destroy_via == scenario::DestroyVia::kCapi) {
          return absl::UnimplementedError("destroy via=capi has no module equivalent (use repro.c)");
        }
        std::string via = st.destroy_via == scenario::DestroyVia::kClose ? "'close'" : "'module'";
        std::string call = absl::StrCat("destroy(strategy, ", "interps[", PyStr(st.interp), "], ", via, ")");
        absl::StrAppend(&out, "step('destroy ", st.interp, "')\n");
        bool async = !st.task.empty();
        if (st.from == scenario::DestroyFrom::kConductor && !async) {
          absl::StrAppend(&out, "if ", call, ":\n    alive.pop(", PyStr(st.interp), ", None)\n");
        } else {
          absl::StrAppend(&out, "name = ", PyStr(st.interp), "\n",
                          "task = Task(interps[name], fn=lambda name=name: ", call, " and alive.pop(name, None))\n");
          if (st.from == scenario::DestroyFrom::kWorker) {
            absl::StrAppend(&out, "strategy.submit(-1, task)\n");
          } else {
            absl::StrAppend(&out, "threading.Thread(target=task, daemon=True).start()\n");
          }
          absl::StrAppend(&out, async ? absl::StrCat("tasks[", PyStr(st.task), "] = task\n") : "task.wait()\n");
        }
        break;
      }
      case StepKind::kSleep:
        absl::StrAppend(&out, "step('sleep')\ntime.sleep(", st.ms, " / 1000)\n");
        break;
      case StepKind::kGc:
        absl::StrAppend(&out, "step('gc ", st.interp, "')\nrun(interps[", PyStr(st.interp),
                        "], 'import gc\\ngc.collect()')\n");
        break;
      case StepKind::kFinalize:
        absl::StrAppend(&out, "step('finalize')\nsys.exit(0)  # Py_FinalizeEx with whatever is alive\n");
        break;
      case StepKind::kFork: {
        // In main, on this thread, as the conductor forks.
        scenario::Snippet fork = scenario::DefaultSnippet(scenario::SnippetKind::kFork);
        fork.ms = st.ms;
        absl::StrAppend(&out, "step('fork')\nsync(lambda: exec(", PyStr(ForkReproSource(fork)), ", {}))\n");
        break;
      }
      case StepKind::kExit:
        absl::StrAppend(&out, "step('exit')\nsys.exit(", st.code,
                        ")  # Py_Exit: Py_FinalizeEx with whatever is alive, then the process ends\n");
        break;
      case StepKind::kShare:
        absl::StrAppend(&out, "step('share ", st.interp, "')\nsync(lambda: xi.set___main___attrs(interps[",
                        PyStr(st.interp), "], {", PyStr(st.attr), ": ",
                        absl::StrReplaceAll(run::ValueSource(st.value, kHandlePlaceholder),
                                            {{absl::StrCat(kHandlePlaceholder),
                                              absl::StrCat("queues[", PyStr(st.value.text), "]")}}),
                        "}))\n");
        break;
      case StepKind::kCall:
        absl::StrAppend(&out, "step('call ", st.interp, "')\nsync(lambda: exec(",
                        run::PyQuote(run::CallSource("iid", st, kHandlePlaceholder)), HandleReplace(st.value),
                        ", {'iid': interps[", PyStr(st.interp), "]}))\n");
        break;
    }
  }
  absl::StrAppend(&out, kEpilogue);
  return out;
}

bool WantsMinimalRepro(const scenario::Scenario& s, const run::Verdict* finding) {
  run::VerdictKind kind;
  if (finding != nullptr) {
    kind = finding->kind;
  } else if (!s.expect || !run::ParseVerdictKind(s.expect->verdict, &kind)) {
    return false;
  }
  switch (kind) {
    case run::VerdictKind::kFatal:
    case run::VerdictKind::kCrash:
    case run::VerdictKind::kSanitizer:
    case run::VerdictKind::kError:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<std::string> MinimalReproPy(const Scenario& s, const std::string& title) {
  if (absl::Status m = ModelledStrategy(s); !m.ok()) return m;
  if (s.driver != scenario::Driver::kInterpreters) {
    return absl::UnimplementedError("driver capi: the engine calls the C API (repro.c is the faithful reproducer)");
  }
  if (s.strategy.tstate == scenario::TstateMode::kSticky) {
    return absl::UnimplementedError("tstate=sticky has no equivalent in the interpreters module");
  }
  for (const Step& st : s.steps) {
    std::string why = NeedsFullProgram(st);
    if (!why.empty()) return absl::UnimplementedError(absl::StrCat(scenario::PrintStep(st), ": ", why));
    // A wait on a destroy task is excluded with the destroy; waits on execs only.
  }
  Writer w(s);
  std::string text = w.Write(title);
  if (!w.refused().empty()) return absl::UnimplementedError(w.refused());
  return text;
}

}  // namespace endgame::report
