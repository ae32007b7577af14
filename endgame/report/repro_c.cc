// repro.c: the scenario as a standalone C program on the public C API.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "endgame/report/repro.h"
#include "endgame/run/snippet_source.h"
#include "endgame/scenario/snippets.h"
#include "endgame/scenario/text.h"

namespace endgame::report {
namespace {

using scenario::Step;
using scenario::StepKind;

constexpr char kPrelude[] =
#include "endgame/report/repro_c_prelude.inc"
    ;

std::string CStr(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n\"\n    \"";
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// The minimal repro.c's helpers, each emitted only when a step uses it.
constexpr char kMinStep[] =
    "static void step(const char *s) { printf(\"endgame-repro: step %s\\n\", s); fflush(stdout); }\n";
constexpr char kMinCreate[] =
    "static PyInterpreterState *create(PyInterpreterConfig c) {\n"
    "  PyThreadState *save = PyThreadState_Get(), *ts = NULL;\n"
    "  PyStatus st = Py_NewInterpreterFromConfig(&ts, &c);\n"
    "  if (PyStatus_Exception(st)) Py_ExitStatusException(st);\n"
    "  PyInterpreterState *interp = PyThreadState_GetInterpreter(ts);\n"
    "  PyThreadState_Clear(ts);\n"
    "  PyThreadState_Swap(save);\n"
    "  PyThreadState_Delete(ts);\n"
    "  return interp;\n"
    "}\n";
constexpr char kMinDestroy[] =
    "static void destroy(PyInterpreterState *interp) {\n"
    "  PyThreadState *save = PyThreadState_Get(), *ts = PyThreadState_New(interp);\n"
    "  PyThreadState_Swap(ts);\n"
    "  Py_EndInterpreter(ts);\n"
    "  PyThreadState_Swap(save);\n"
    "}\n";
constexpr char kMinOnMain[] =
    "static void run_here(PyInterpreterState *interp, const char *code) {\n"
    "  PyThreadState *save = PyThreadState_Get(), *ts = PyThreadState_New(interp);\n"
    "  PyThreadState_Swap(ts);\n"
    "  PyRun_SimpleString(code);\n"
    "  PyThreadState_Clear(ts);\n"
    "  PyThreadState_Swap(save);\n"
    "  PyThreadState_Delete(ts);\n"
    "}\n";
// keep=1: the thread leaves its thread state in the interpreter, as a cache
// worker with tstate=sticky does.
constexpr char kMinOnThread[] =
    "typedef struct { PyInterpreterState *interp; const char *code; int keep; } job;\n"
    "static void *thread_main(void *arg) {\n"
    "  job *j = arg;\n"
    "  PyThreadState *ts = PyThreadState_New(j->interp);\n"
    "  PyEval_RestoreThread(ts);\n"
    "  PyRun_SimpleString(j->code);\n"
    "  if (j->keep) PyEval_SaveThread();  /* its thread state stays in the interpreter */\n"
    "  else { PyThreadState_Clear(ts); PyThreadState_DeleteCurrent(); }\n"
    "  return NULL;\n"
    "}\n"
    "static void run_on_thread(PyInterpreterState *interp, const char *code, int keep) {\n"
    "  job j = {interp, code, keep};\n"
    "  pthread_t th;\n"
    "  Py_BEGIN_ALLOW_THREADS\n"
    "  pthread_create(&th, NULL, thread_main, &j);\n"
    "  pthread_join(th, NULL);\n"
    "  Py_END_ALLOW_THREADS\n"
    "}\n";

// The PyInterpreterConfig initializer of a spawn's config: the base's values
// (legacy or isolated, as create() in the full prelude), then the overrides.
std::string ConfigInitializer(const scenario::InterpConfig& c) {
  using IC = scenario::InterpConfig;
  const bool legacy = c.base == IC::Base::kLegacy;
  auto pick = [](int8_t v, bool def) { return static_cast<int>(v >= 0 ? v != 0 : def); };
  const bool own = c.gil == IC::Gil::kDefault ? !legacy : c.gil == IC::Gil::kOwn;
  const int main_obmalloc = c.obmalloc == IC::Obmalloc::kDefault ? legacy : c.obmalloc == IC::Obmalloc::kMain;
  return absl::StrCat("(PyInterpreterConfig){.use_main_obmalloc = ", main_obmalloc, ", .allow_fork = ",
                      pick(c.fork, legacy), ", .allow_exec = ", pick(c.exec, legacy), ", .allow_threads = ",
                      pick(c.threads, true), ", .allow_daemon_threads = ", pick(c.daemon_threads, legacy),
                      ",\n      .check_multi_interp_extensions = ", pick(c.check_extensions, !legacy), ", .gil = ", own ? "PyInterpreterConfig_OWN_GIL" : "PyInterpreterConfig_SHARED_GIL", "}");
}

// A C string literal on one line (newlines as \n), for the minimal program.
std::string CLine(const std::string& s) {
  std::string out = CStr(s);
  return absl::StrReplaceAll(out, {{"\\n\"\n    \"", "\\n"}});
}

// An `exit` step: Py_Exit, Py_FinalizeEx with everything alive, then exit(code).
std::string ExitLines(const Step& st) {
  return absl::StrCat("  step(\"exit\");\n  fflush(stdout);\n  Py_Exit(", st.code, ");\n");
}

}  // namespace

absl::StatusOr<std::string> MinimalReproC(const scenario::Scenario& s, const std::string& title) {
  if (s.driver != scenario::Driver::kCapi) {
    return absl::UnimplementedError("driver interpreters: repro.py is the faithful reproducer");
  }
  const bool dedicated = s.strategy.kind == scenario::StrategyKind::kDedicated;
  const bool sticky = s.strategy.tstate == scenario::TstateMode::kSticky;
  if (s.strategy.kind == scenario::StrategyKind::kPython) {
    return absl::UnimplementedError("a Python strategy runs the execs: repro.c cannot model it");
  }
  bool on_main = false, on_thread = false, spawn = false, destroy = false, sleeps = false;
  std::string body;
  for (const Step& st : s.steps) {
    if ((st.kind == StepKind::kQueue && st.channel) || st.kind == StepKind::kClose) {
      return absl::UnimplementedError("channel steps run Python in the interpreters: repro.py reproduces them");
    }
    if (st.kind == StepKind::kQueue || st.kind == StepKind::kPut || st.kind == StepKind::kGet) {
      return absl::UnimplementedError("queue steps run Python in the interpreters: repro.py reproduces them");
    }
    if (st.kind == StepKind::kShare) {
      return absl::UnimplementedError("share calls _interpreters.set___main___attrs: repro.py reproduces it");
    }
    if (st.kind == StepKind::kSpawn && st.config.gil_text) {
      return absl::UnimplementedError("gil=\"TEXT\" is a string for _interpreters.new_config(): repro.py reproduces it");
    }
    if (st.kind == StepKind::kCall) {
      return absl::UnimplementedError("call calls _interpreters.call: repro.py reproduces it");
    }
    if (st.kind == StepKind::kExec && scenario::NestedTarget(st.snippet) != nullptr) {
      return absl::UnimplementedError("a nested exec needs its target's interpreter id: repro.py reproduces it");
    }
    if (st.kind == StepKind::kFork ||
        (st.kind == StepKind::kExec && st.snippet.kind == scenario::SnippetKind::kFork)) {
      return absl::UnimplementedError("a fork's child is judged by its wait status and stderr: repro.py reproduces it");
    }
    if (!st.task.empty() || st.kind == StepKind::kWait || st.kind == StepKind::kCancel) {
      return absl::UnimplementedError(absl::StrCat(scenario::PrintStep(st), ": tasks need the full program"));
    }
    if (st.kind == StepKind::kDestroy &&
        (st.from != scenario::DestroyFrom::kConductor ||
         (st.destroy_via != scenario::DestroyVia::kAuto && st.destroy_via != scenario::DestroyVia::kCapi))) {
      return absl::UnimplementedError(absl::StrCat(scenario::PrintStep(st), ": needs the full program"));
    }
    if (st.delay_us > 0) {
      absl::StrAppend(&body, "  usleep(", st.delay_us, ");\n");
      sleeps = true;
    }
    const std::string name = st.interp;
    switch (st.kind) {
      case StepKind::kSpawn:
        spawn = true;
        absl::StrAppend(&body, "  step(\"spawn ", name, "\");\n  PyInterpreterState *", name, " = create(",
                        ConfigInitializer(st.config), ");\n");
        break;
      case StepKind::kExec:
      case StepKind::kGc: {
        std::string code = "import gc\ngc.collect()\n";
        if (st.kind == StepKind::kExec) code = run::SnippetSource(st.snippet, run::SnippetContext{});
        const bool here = st.kind == StepKind::kGc || st.on == scenario::ExecOn::kConductor;
        if (st.on == scenario::ExecOn::kCache && dedicated) {
          return absl::UnimplementedError("on=cache under strategy dedicated needs the full program");
        }
        const bool keep = sticky && !here && st.on != scenario::ExecOn::kDedicated;
        absl::StrAppend(&body, "  step(\"", st.kind == StepKind::kGc ? "gc " : "exec ", name, "\");\n");
        if (here) {
          on_main = true;
          absl::StrAppend(&body, "  run_here(", name, ", ", CLine(code), ");\n");
        } else {
          on_thread = true;
          absl::StrAppend(&body, "  run_on_thread(", name, ", ", CLine(code), ", ", keep ? 1 : 0, ");\n");
        }
        break;
      }
      case StepKind::kDestroy:
        destroy = true;
        absl::StrAppend(&body, "  step(\"destroy ", name, "\");\n  destroy(", name, ");\n");
        break;
      case StepKind::kSleep:
        sleeps = true;
        absl::StrAppend(&body, "  step(\"sleep\");\n  Py_BEGIN_ALLOW_THREADS usleep(", st.ms * 1000,
                        "); Py_END_ALLOW_THREADS\n");
        break;
      case StepKind::kFinalize:
        absl::StrAppend(&body, "  step(\"finalize\");\n  Py_FinalizeEx();\n  printf(\"endgame-repro: ok\\n\");\n",
                        "  return 0;\n");
        break;
      case StepKind::kExit:
        absl::StrAppend(&body, ExitLines(st));
        break;
      case StepKind::kWait:
      case StepKind::kCancel:
      case StepKind::kQueue:  // refused above
      case StepKind::kFork:
      case StepKind::kClose:
      case StepKind::kPut:
      case StepKind::kGet:
      case StepKind::kShare:
      case StepKind::kCall:
        break;
    }
  }
  std::string out = absl::StrCat(
      "/* ", absl::StrReplaceAll(title, {{"*/", "* /"}}),
      "\n   Generated by endgame from the minimized scenario, on the public C API of 3.13+.\n"
      "   Build: cc repro.c $(python3-config --cflags --ldflags --embed) -lpthread -o repro */\n"
      "#include <Python.h>\n",
      on_thread ? "#include <pthread.h>\n" : "", "#include <stdio.h>\n", sleeps ? "#include <unistd.h>\n" : "",
      "#if PY_VERSION_HEX < 0x030D0000  /* 3.12 needs the creating thread state kept: the full repro.c */\n"
      "#error \"CPython 3.13 or later\"\n"
      "#endif\n",
      kMinStep, spawn ? kMinCreate : "", destroy ? kMinDestroy : "", on_main ? kMinOnMain : "",
      on_thread ? kMinOnThread : "",
      "int main(void) {\n"
      "  Py_InitializeEx(0);  /* no signal handlers, as endgame embeds it */\n",
      body, "  Py_FinalizeEx();\n  printf(\"endgame-repro: ok\\n\");\n  return 0;\n}\n");
  return out;
}

absl::StatusOr<std::string> ReproC(const scenario::Scenario& s, const std::string& title,
                                   const run::Verdict* finding) {
  if (absl::Status m = ModelledStrategy(s); !m.ok()) return m;
  if (WantsMinimalRepro(s, finding)) {
    absl::StatusOr<std::string> minimal = MinimalReproC(s, title);
    if (minimal.ok()) return minimal;
  }
  if (s.driver == scenario::Driver::kInterpreters) {
    // The engine called _interpreters (create, exec, destroy): its code paths
    // (crossinterp.c, the module's own checks) are not the C API's.
    return absl::UnimplementedError("driver interpreters: repro.c's C API calls cannot reach its code path (use repro.py)");
  }
  bool dedicated = s.strategy.kind == scenario::StrategyKind::kDedicated;
  std::string out = absl::StrCat(
      "/* ", absl::StrReplaceAll(title, {{"*/", "* /"}}),
      "\n\n   Generated by endgame: the scenario as a standalone program on CPython's\n"
      "   public C API (3.12+), the capi driver's model.\n"
      "   Build: cc repro.c $(python3-config --cflags --ldflags --embed) -lpthread -o repro\n"
      "   It prints 'endgame-repro: ok' when nothing goes wrong; a leak prints\n"
      "   'endgame-repro: leak ...' (exit 1); a hang prints 'endgame-repro: hang'\n"
      "   after DEADLINE_S seconds in one step (exit 1); a fatal error or crash ends it. */\n",
      "#define DEADLINE_S ", std::max<int64_t>(1, (s.deadline_ms + 999) / 1000), "\n");
  absl::StrAppend(&out, kPrelude);
  absl::StrAppend(&out, "\nint main(void) {\n",
                  "  signal(SIGALRM, on_alarm);\n"
                  "  int base_threads = count_dir(\"/proc/self/task\"), base_fds = count_dir(\"/proc/self/fd\");\n"
                  "  PyConfig config;\n"
                  "  PyConfig_InitPythonConfig(&config);\n"
                  "  config.install_signal_handlers = 0;\n"
                  "  config.site_import = 0;\n"
                  "  config.parse_argv = 0;\n"
                  "  PyStatus status = Py_InitializeFromConfig(&config);\n"
                  "  PyConfig_Clear(&config);\n"
                  "  if (PyStatus_Exception(status)) Py_ExitStatusException(status);\n"
                  "  g_main = PyInterpreterState_Main();\n",
                  "  g_dedicated = ", dedicated ? 1 : 0, ";\n  g_bound_ms = ", s.strategy.bound_ms, ";\n");
  if (!dedicated) {
    absl::StrAppend(&out, "  cache_start(", s.strategy.workers, ", ",
                    s.strategy.tstate == scenario::TstateMode::kSticky ? 1 : 0, ");\n");
  }
  int nspawn = 0, ntask = 0;
  for (const Step& st : s.steps) {
    nspawn += st.kind == StepKind::kSpawn;
    ntask += !st.task.empty();
  }
  absl::StrAppend(&out, "  PyInterpreterState *interp[", std::max(nspawn, 1), "] = {0};\n  int alive[",
                  std::max(nspawn, 1), "] = {0};\n  task *tasks[", std::max(ntask, 1), "] = {0};\n  task *t;\n");
  std::map<std::string, int> interp_index, task_index;
  int next_interp = 0, next_task = 0;
  auto I = [&](const std::string& name) { return absl::StrCat("interp[", interp_index[name], "]"); };
  auto A = [&](const std::string& name) { return absl::StrCat("alive[", interp_index[name], "]"); };
  for (const Step& st : s.steps) {
    if ((st.kind == StepKind::kQueue && st.channel) || st.kind == StepKind::kClose) {
      return absl::UnimplementedError("channel steps run Python in the interpreters: repro.py reproduces them");
    }
    if (st.kind == StepKind::kQueue || st.kind == StepKind::kPut || st.kind == StepKind::kGet) {
      return absl::UnimplementedError("queue steps run Python in the interpreters: repro.py reproduces them");
    }
    if (st.kind == StepKind::kShare) {
      return absl::UnimplementedError("share calls _interpreters.set___main___attrs: repro.py reproduces it");
    }
    if (st.kind == StepKind::kSpawn && st.config.gil_text) {
      return absl::UnimplementedError("gil=\"TEXT\" is a string for _interpreters.new_config(): repro.py reproduces it");
    }
    if (st.kind == StepKind::kCall) {
      return absl::UnimplementedError("call calls _interpreters.call: repro.py reproduces it");
    }
    if (st.kind == StepKind::kExec && scenario::NestedTarget(st.snippet) != nullptr) {
      return absl::UnimplementedError("a nested exec needs its target's interpreter id: repro.py reproduces it");
    }
    if (st.kind == StepKind::kFork ||
        (st.kind == StepKind::kExec && st.snippet.kind == scenario::SnippetKind::kFork)) {
      return absl::UnimplementedError("a fork's child is judged by its wait status and stderr: repro.py reproduces it");
    }
    if (st.kind == StepKind::kDestroy && st.destroy_via != scenario::DestroyVia::kAuto &&
        st.destroy_via != scenario::DestroyVia::kCapi) {
      return absl::UnimplementedError("destroy via=module/close needs the interpreters module (use repro.py)");
    }
    if ((st.kind == StepKind::kExec || st.kind == StepKind::kDestroy || st.kind == StepKind::kGc) &&
        !interp_index.count(st.interp)) {
      continue;  // never spawned in this (minimized) scenario
    }
    absl::StrAppend(&out, "\n");
    if (st.delay_us > 0) {
      absl::StrAppend(&out, "  Py_BEGIN_ALLOW_THREADS sleep_us(", st.delay_us, "); Py_END_ALLOW_THREADS\n");
    }
    switch (st.kind) {
      case StepKind::kSpawn: {
        const auto& c = st.config;
        using IC = scenario::InterpConfig;
        interp_index[st.interp] = next_interp++;
        absl::StrAppend(
            &out, "  step(\"spawn ", st.interp, "\");\n  ", I(st.interp), " = create(",
            c.base == IC::Base::kLegacy ? 1 : 0, ", ",
            c.gil == IC::Gil::kDefault ? -1 : (c.gil == IC::Gil::kOwn ? 1 : 0), ", ",
            c.obmalloc == IC::Obmalloc::kDefault ? -1 : (c.obmalloc == IC::Obmalloc::kMain ? 1 : 0), ", ",
            static_cast<int>(c.threads), ", ", static_cast<int>(c.daemon_threads), ", ", static_cast<int>(c.fork),
            ", ", static_cast<int>(c.exec), ", ", static_cast<int>(c.check_extensions), ");\n  ", A(st.interp),
            " = ", I(st.interp), " != NULL;\n");
        break;
      }
      case StepKind::kExec: {
        run::SnippetContext ctx;
        ctx.cancel_fd = st.snippet.kind == scenario::SnippetKind::kBusyPoll ? 987654321 : -1;
        std::string code = run::SnippetSource(st.snippet, ctx);
        absl::StrAppend(&out, "  step(\"exec ", st.interp, "\");\n  if (", A(st.interp), ") {\n    t = new_task(",
                        I(st.interp), ",\n    ", CStr(code), ");\n");
        if (st.on == scenario::ExecOn::kConductor) {
          absl::StrAppend(&out, "    run_task(t, NULL, NULL);\n    task_finish(t);\n");
        } else {
          bool on_dedicated = st.on == scenario::ExecOn::kDedicated ||
                              (st.on == scenario::ExecOn::kStrategy && dedicated);
          if (st.on == scenario::ExecOn::kCache && dedicated) {
            return absl::UnimplementedError("on=cache under strategy dedicated is not in repro.c");
          }
          absl::StrAppend(&out, on_dedicated ? "    dedicated_submit(t);\n" : "    cache_submit(t);\n");
          if (st.task.empty()) {
            absl::StrAppend(&out, "    task_wait(t, 0);\n");
          } else {
            task_index[st.task] = next_task++;
            absl::StrAppend(&out, "    tasks[", task_index[st.task], "] = t;\n");
          }
        }
        absl::StrAppend(&out, "  }\n");
        break;
      }
      case StepKind::kWait:
        if (!task_index.count(st.task)) break;
        absl::StrAppend(&out, "  step(\"wait ", st.task, "\");\n  if (tasks[", task_index[st.task],
                        "]) task_wait(tasks[", task_index[st.task], "], ", st.timeout_ms, ");\n");
        break;
      case StepKind::kCancel: {
        if (!task_index.count(st.task)) break;
        std::string T = absl::StrCat("tasks[", task_index[st.task], "]");
        absl::StrAppend(&out, "  step(\"cancel ", st.task, "\");\n  if (", T, ") ");
        switch (st.via) {
          case scenario::CancelVia::kAsyncExc: absl::StrAppend(&out, "cancel_async_exc(", T, ");\n"); break;
          case scenario::CancelVia::kFlag: absl::StrAppend(&out, "cancel_flag(", T, ");\n"); break;
          case scenario::CancelVia::kAbandon: absl::StrAppend(&out, T, "->abandoned = 1;\n"); break;
        }
        break;
      }
      case StepKind::kDestroy: {
        bool async = !st.task.empty();
        absl::StrAppend(&out, "  step(\"destroy ", st.interp, "\");\n  if (", A(st.interp), ") {\n");
        if (st.from == scenario::DestroyFrom::kConductor && !async) {
          absl::StrAppend(&out, "    if (before_destroy(", I(st.interp), ", ", dedicated ? 1 : 0, ", ",
                          s.strategy.bound_ms, ")) {\n      end_interp(", I(st.interp), ");\n      ", A(st.interp),
                          " = 0;\n    } else {\n      ", A(st.interp),
                          " = -1;  /* abandoned */\n    }\n");
        } else {
          absl::StrAppend(&out, "    t = new_task(", I(st.interp), ", NULL);\n    ", A(st.interp), " = 0;\n");
          if (st.from == scenario::DestroyFrom::kWorker && !dedicated) {
            absl::StrAppend(&out, "    cache_submit(t);\n");
          } else {
            absl::StrAppend(&out, "    t->has_thread = 0;\n    pthread_t th;\n",
                            "    pthread_create(&th, NULL, destroy_thread_main, t);\n    pthread_detach(th);\n");
          }
          if (async) {
            task_index[st.task] = next_task++;
            absl::StrAppend(&out, "    tasks[", task_index[st.task], "] = t;\n");
          } else {
            absl::StrAppend(&out, "    task_wait(t, 0);\n");
          }
        }
        absl::StrAppend(&out, "  }\n");
        break;
      }
      case StepKind::kSleep:
        absl::StrAppend(&out, "  step(\"sleep\");\n  Py_BEGIN_ALLOW_THREADS sleep_us(", st.ms * 1000,
                        "); Py_END_ALLOW_THREADS\n");
        break;
      case StepKind::kGc:
        absl::StrAppend(&out, "  step(\"gc ", st.interp, "\");\n  if (", A(st.interp), ") run_in(", I(st.interp),
                        ", \"import gc\\ngc.collect()\\n\");\n");
        break;
      case StepKind::kFinalize:
        absl::StrAppend(&out, "  step(\"finalize\");\n  Py_FinalizeEx();\n  printf(\"endgame-repro: ok\\n\");\n",
                        "  _exit(0);\n");
        break;
      case StepKind::kExit:
        absl::StrAppend(&out, ExitLines(st));
        break;
      case StepKind::kQueue:  // refused above
      case StepKind::kFork:
      case StepKind::kClose:
      case StepKind::kPut:
      case StepKind::kGet:
      case StepKind::kShare:
      case StepKind::kCall:
        break;
    }
  }
  absl::StrAppend(&out, "\n  step(\"drain\");\n  int poisoned = 0;\n",
                  "  for (int i = 0; i < ", std::max(ntask, 1), "; i++) {\n",
                  "    if (!tasks[i]) continue;\n",
                  "    if (tasks[i]->abandoned && !tasks[i]->done) poisoned = 1;\n",
                  "    else task_wait(tasks[i], 0);\n  }\n",
                  "  for (int i = 0; i < ", std::max(nspawn, 1), "; i++) {\n",
                  "    if (alive[i] < 0) poisoned = 1;\n",
                  "    if (alive[i] != 1 || poisoned) continue;\n",
                  "    if (before_destroy(interp[i], ", dedicated ? 1 : 0, ", ", s.strategy.bound_ms,
                  ")) end_interp(interp[i]);\n    else poisoned = 1;\n  }\n");
  if (!dedicated) absl::StrAppend(&out, "  if (!poisoned) cache_stop();\n");
  absl::StrAppend(&out,
                  "  alarm(0);\n"
                  "  int threads = count_dir(\"/proc/self/task\") - base_threads;\n"
                  "  int fds = count_dir(\"/proc/self/fd\") - base_fds - 2 * g_ntasks;  /* cancel pipes */\n"
                  "  int interps = count_interpreters() - 1;\n"
                  "  int leaks = 0;\n"
                  "  if (threads > 0) { printf(\"endgame-repro: leak thread +%d\\n\", threads); leaks = 1; }\n"
                  "  if (fds > 0) { printf(\"endgame-repro: leak fd +%d\\n\", fds); leaks = 1; }\n"
                  "  if (interps > 0) { printf(\"endgame-repro: leak interpreter +%d\\n\", interps); leaks = 1; }\n"
                  "  if (!leaks) printf(\"endgame-repro: ok\\n\");\n"
                  "  fflush(stdout);\n"
                  "  _exit(leaks);\n}\n");
  return out;
}

}  // namespace endgame::report
