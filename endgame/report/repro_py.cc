// repro.py: the scenario as a standalone Python program.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "endgame/report/repro.h"
#include "endgame/run/snippet_source.h"

namespace endgame::report {
namespace {

using scenario::Step;
using scenario::StepKind;

// Stand-in for the cancel pipe's fd in snippet sources; replaced at run time.
constexpr int kFdPlaceholder = 987654321;

constexpr char kPrelude[] = R"PY(import concurrent.futures, faulthandler, os, sys, threading, time

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
    def __init__(self, iid, code=None, fn=None):
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
    """Reused workers (like trio's thread cache or ThreadPoolExecutor)."""
    def __init__(self, workers=1):
        self.pool = concurrent.futures.ThreadPoolExecutor(workers)
        self.abandoned = set()

    def submit(self, iid, task):
        self.pool.submit(task)

    def before_destroy(self, iid):
        return True

    def shutdown(self):
        self.pool.shutdown(wait=True)


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
for t in tasks.values():
    os.close(t.flag_r)
    os.close(t.flag_w)
faulthandler.cancel_dump_traceback_later()
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

std::string CreateCall(const scenario::InterpConfig& c) {
  using IC = scenario::InterpConfig;
  std::string args = c.base == IC::Base::kLegacy ? "False" : "True";
  if (c.gil != IC::Gil::kDefault) absl::StrAppend(&args, ", gil=", c.gil == IC::Gil::kOwn ? "'own'" : "'shared'");
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
  return absl::StrCat("create(", args, ")");
}

}  // namespace

absl::StatusOr<std::string> ReproPy(const scenario::Scenario& s, const std::string& title) {
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
  absl::StrAppend(&out, "extra = {'cache': Cache(), 'dedicated': Dedicated()}\n\n");
  for (const Step& st : s.steps) {
    absl::StrAppend(&out, "# ---\n");
    if (st.delay_us > 0) absl::StrAppend(&out, "time.sleep(", st.delay_us, " / 1e6)\n");
    switch (st.kind) {
      case StepKind::kSpawn:
        absl::StrAppend(&out, "step('spawn ", st.interp, "')\n", "interps[", PyStr(st.interp), "] = alive[",
                        PyStr(st.interp), "] = ", CreateCall(st.config), "\n");
        break;
      case StepKind::kExec: {
        run::SnippetContext ctx;
        ctx.cancel_fd = st.snippet.kind == scenario::SnippetKind::kBusyPoll ? kFdPlaceholder : -1;
        std::string code = run::SnippetSource(st.snippet, ctx);
        std::string where = st.on == scenario::ExecOn::kCache       ? "extra['cache']"
                            : st.on == scenario::ExecOn::kDedicated ? "extra['dedicated']"
                                                                    : "strategy";
        absl::StrAppend(&out, "step('exec ", st.interp, "')\n", "task = Task(interps[", PyStr(st.interp), "], ",
                        PyStr(code), ")\n");
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
    }
  }
  absl::StrAppend(&out, kEpilogue);
  return out;
}

}  // namespace endgame::report
