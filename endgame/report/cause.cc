#include "endgame/report/cause.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <initializer_list>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "endgame/base/stacks.h"
#include "endgame/report/findings.h"
#include "endgame/run/verdict.h"
#include "endgame/scenario/snippets.h"

namespace endgame::report {
namespace {

// CPython's own code: its source folders, libpython, or (without either)
// the Py/_Py naming of its functions.
bool IsCPythonFrame(const std::string& function, const std::string& file) {
  for (const char* dir : {"Python/", "Objects/", "Modules/", "Parser/", "Include/", "Programs/"}) {
    if (absl::StartsWith(file, dir)) return true;
  }
  if (absl::StrContains(file, "libpython")) return true;
  if (!file.empty()) return false;
  return absl::StartsWith(function, "Py") || absl::StartsWith(function, "_Py");
}

int TidOf(const std::string& guilty_thread) {
  size_t at = guilty_thread.find("tid ");
  int tid = 0;
  if (at == std::string::npos) return 0;
  std::string digits;
  for (size_t i = at + 4; i < guilty_thread.size() && std::isdigit(static_cast<unsigned char>(guilty_thread[i])); ++i) {
    digits += guilty_thread[i];
  }
  return absl::SimpleAtoi(digits, &tid) ? tid : 0;
}

// The thread whose native stack holds `inner` with `outer` further out, as
// "NAME (tid N)" (what CPythonFrames() picks a thread by); "" when none.
std::string ThreadWith(const std::string& stacks, const char* inner, const char* outer) {
  for (const ThreadStack& t : ParseGdbStacks(stacks)) {
    auto in = std::find(t.frames.begin(), t.frames.end(), inner);
    if (in != t.frames.end() && std::find(in, t.frames.end(), outer) != t.frames.end()) {
      return absl::StrCat(t.name, " (tid ", t.lwp, ")");
    }
  }
  return "";
}

}  // namespace

std::vector<std::string> CPythonFrames(const std::string& stacks, const std::string& guilty_thread, size_t max) {
  std::vector<ThreadStack> threads = ParseGdbStacks(stacks);
  const ThreadStack* pick = nullptr;
  size_t from = 0;
  const int tid = TidOf(guilty_thread);
  for (const ThreadStack& t : threads) {
    if (tid != 0 && t.lwp == tid) {
      pick = &t;
      break;
    }
  }
  if (pick == nullptr) {
    for (const ThreadStack& t : threads) {
      for (size_t i = 0; i < t.frames.size() && pick == nullptr; ++i) {
        if (absl::StrContains(t.frames[i], "signal handler called")) {
          pick = &t;
          from = i + 1;
        }
      }
      if (pick != nullptr) break;
    }
  }
  if (pick == nullptr && !threads.empty()) pick = &threads.front();
  std::vector<std::string> out;
  if (pick == nullptr) return out;
  for (size_t i = from; i < pick->frames.size() && out.size() < max; ++i) {
    const std::string& file = i < pick->files.size() ? pick->files[i] : std::string();
    if (!IsCPythonFrame(pick->frames[i], file)) continue;
    out.push_back(file.empty() ? pick->frames[i] : absl::StrCat(pick->frames[i], " (", file, ")"));
  }
  return out;
}

std::string FailedAssertion(const std::string& text) {
  // glibc: "prog: Python/crossinterp.c:1692: _PyXI_ApplyCapturedException: Assertion `x' failed."
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    size_t a = line.find(": Assertion `");
    if (a == line.npos || !absl::StrContains(line, "' failed")) continue;
    absl::string_view head = line.substr(0, a);  // "prog: path:line: function"
    std::vector<absl::string_view> parts = absl::StrSplit(head, ": ");
    if (parts.size() < 2) continue;
    absl::string_view function = parts.back();
    absl::string_view where = parts[parts.size() - 2];  // "Python/crossinterp.c:1692"
    size_t colon = where.rfind(':');
    if (colon != where.npos) where = where.substr(0, colon);
    size_t slash = where.rfind('/');
    if (slash != where.npos) where = where.substr(slash + 1);
    absl::string_view rest = line.substr(a + 2);
    size_t end = rest.find("' failed");
    return absl::StrCat(where, ": ", function, ": ", rest.substr(0, end + 8));
  }
  return "";
}

bool OwnGilWithMainObmalloc(const scenario::Scenario& s) {
  using scenario::InterpConfig;
  for (const scenario::Step& step : s.steps) {
    if (step.kind != scenario::StepKind::kSpawn) continue;
    const InterpConfig& c = step.config;
    const bool isolated = c.base == InterpConfig::Base::kIsolated;
    const bool own_gil = c.gil == InterpConfig::Gil::kOwn || (c.gil == InterpConfig::Gil::kDefault && isolated);
    const bool main_obmalloc =
        c.obmalloc == InterpConfig::Obmalloc::kMain || (c.obmalloc == InterpConfig::Obmalloc::kDefault && !isolated);
    if (own_gil && main_obmalloc) return true;
  }
  return false;
}

bool DestroysByPointer(const scenario::Scenario& s) {
  if (s.driver == scenario::Driver::kCapi) return true;
  return std::any_of(s.steps.begin(), s.steps.end(), [](const scenario::Step& st) {
    return st.kind == scenario::StepKind::kDestroy && st.destroy_via == scenario::DestroyVia::kCapi;
  });
}

// Whether the scenario starts, in an interpreter, a thread that teardown does
// not join: a daemon `threading.Thread`, or a `_thread.start_new_thread`
// thread (raw_thread), which threading does not track at all. Every
// interpreter is destroyed by the end (a destroy step, or the drain).
bool StartsDaemonThread(const scenario::Scenario& s) {
  return std::any_of(s.steps.begin(), s.steps.end(), [](const scenario::Step& st) {
    if (st.kind != scenario::StepKind::kExec) return false;
    return (st.snippet.kind == scenario::SnippetKind::kThread && st.snippet.daemon) ||
           st.snippet.kind == scenario::SnippetKind::kRawThread;
  });
}

namespace {

// Whether a step of one of `kinds` on the interpreter of an asynchronous
// destroy (`destroy X ... as T`) follows it while it may still run: before
// `wait T` and before X is spawned again.
bool FollowsAnAsyncDestroy(const scenario::Scenario& s, std::initializer_list<scenario::StepKind> kinds) {
  using scenario::StepKind;
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const scenario::Step& first = s.steps[i];
    if (first.kind != StepKind::kDestroy || first.task.empty()) continue;
    for (size_t j = i + 1; j < s.steps.size(); ++j) {
      const scenario::Step& st = s.steps[j];
      if (st.kind == StepKind::kWait && st.task == first.task) break;
      if (st.kind == StepKind::kSpawn && st.interp == first.interp) break;
      // A nested exec enters its target= too.
      const std::string* target = st.kind == StepKind::kExec ? scenario::NestedTarget(st.snippet) : nullptr;
      const bool enters = st.interp == first.interp || (target != nullptr && *target == first.interp);
      if (std::find(kinds.begin(), kinds.end(), st.kind) != kinds.end() && enters) return true;
    }
  }
  return false;
}

// Whether any CPython frame of the dying (or `guilty_thread`'s) stack
// contains one of `names`.
bool DiedIn(const run::RunResult& r, const std::string& guilty_thread, std::initializer_list<const char*> names) {
  for (const std::string& f : CPythonFrames(r.stacks, guilty_thread, 64)) {
    for (const char* n : names) {
      if (absl::StrContains(f, n)) return true;
    }
  }
  return false;
}

}  // namespace

bool DestroysOneInterpreterTwiceAtOnce(const scenario::Scenario& s) {
  return FollowsAnAsyncDestroy(s, {scenario::StepKind::kDestroy});
}

bool ExecsDuringItsDestroy(const scenario::Scenario& s) {
  using scenario::StepKind;
  return FollowsAnAsyncDestroy(s, {StepKind::kExec, StepKind::kPut, StepKind::kGet});
}

bool EntersDuringItsDestroy(const scenario::Scenario& s) {
  using scenario::StepKind;
  return FollowsAnAsyncDestroy(s, {StepKind::kExec, StepKind::kPut, StepKind::kGet, StepKind::kShare,
                                   StepKind::kCall});
}

RootCause CauseOf(const run::RunResult& r, const scenario::Scenario* s) {
  RootCause c;
  c.kind = run::VerdictKindName(r.verdict.kind);
  const bool died = r.verdict.kind == run::VerdictKind::kFatal || r.verdict.kind == run::VerdictKind::kCrash ||
                    r.verdict.kind == run::VerdictKind::kSanitizer;
  const bool hang = r.verdict.kind == run::VerdictKind::kHang;
  // A leak the conductor found in a thread CPython parked (a stuck step's
  // thread in PyThread_hang_thread): its stacks and that thread are kept.
  const bool leak_with_stacks = r.verdict.kind == run::VerdictKind::kLeak && !r.stacks.empty() && !r.guilty_thread.empty();
  if (died || hang || leak_with_stacks) c.frames = CPythonFrames(r.stacks, died ? "" : r.guilty_thread);
  if (died) c.message = FailedAssertion(r.stacks);
  if (r.verdict.kind == run::VerdictKind::kFatal && c.message.empty()) c.message = r.verdict.detail;

  // A queue item whose data is a Queue handle, freed when the interpreter
  // that put it is destroyed: _queue_clear_interpreter (from clear_interpreter
  // in _PyAtExit_Fini, holding the queues' global lock) frees the item, and
  // the handle's release, _queues_decref, takes that lock again: the
  // destroying thread deadlocks on itself (3.13.15, 3.14.10, 3.15.2;
  // corpus/known/5b8e70028acf-queue-handle-putter-destroyed.scn). The step
  // that waits for it is the destroy, or the drain when a strategy's own
  // thread destroys (interpreter_pool): one cause, keyed and shown by the
  // deadlocked thread, not by the waiter.
  if (hang) {
    const std::string stuck = ThreadWith(r.stacks, "_queues_decref", "_queue_clear_interpreter");
    if (!stuck.empty()) {
      c.frames = CPythonFrames(r.stacks, stuck);
      c.features = {"a queue handle item freed at its putter's destroy"};
      c.key = run::StableId("cause|queues|decref-under-clear-interpreter");
      c.title = absl::StrCat("a queue handle queued by an interpreter deadlocks its destroy (_queues_decref under "
                             "_queue_clear_interpreter; candidate to file): ",
                             r.verdict.ToString());
      return c;
    }
  }
  // A `fork` snippet's child that died in os.fork() itself: PyOS_AfterFork_Child
  // takes the forking thread's interpreter for the main one, so a fork in any
  // subinterpreter that allows it (legacy; fork=1) kills the child on every
  // CPython measured: release builds stop in _PyInterpreterState_DeleteExceptMain
  // ("not main interpreter", exit 1), debug builds abort earlier on
  // _PyEval_ReInitThreads's assertion (3.13.15, 3.14.10, 3.15.2;
  // tests/surface/fork_legacy_*.scn). One cause for both. No upstream issue
  // has this case: gh-101437 (open) is the neighbouring one, about the same
  // function when the main interpreter forks with subinterpreters alive
  // (gh-139759); a candidate to file.
  if (died && absl::StartsWith(r.verdict.detail, "fork child:") &&
      (absl::StrContains(r.verdict.detail, "_PyInterpreterState_DeleteExceptMain: not main interpreter") ||
       (absl::StrContains(c.message, "_PyEval_ReInitThreads") &&
        absl::StrContains(c.message, "_PyInterpreterState_Main()")))) {
    c.features = {"exec fork in a subinterpreter that allows fork"};
    c.key = run::StableId("cause|fork|child-after-fork-in-subinterpreter");
    c.title = absl::StrCat("os.fork() in a subinterpreter kills the child in PyOS_AfterFork_Child "
                           "(candidate to file; related: gh-101437): ",
                           r.verdict.ToString());
    return c;
  }
  // A `fork` step's child (the main interpreter forked) that died while a
  // subinterpreter was spawned before the fork: PyOS_AfterFork_Child clears
  // the other interpreters with no thread state current
  // (_PyInterpreterState_DeleteExceptMain), whether the interpreter ran,
  // runs on another thread or is being destroyed. 3.13.15 release stops with
  // "PyThreadState_Get: ... the GIL is released" (SIGABRT), 3.13.15 debug,
  // 3.14.10 and 3.15.2 die with SIGSEGV (tests/surface/fork_main_*.scn): one
  // cause, gh-139759 ("Unclosed interpreter causes segfault after fork() in
  // child process", open; labels 3.14, 3.15).
  if (died && absl::StartsWith(r.verdict.detail, "fork child") && r.guilty_step == "fork" && s != nullptr &&
      r.guilty_index >= 0 && r.guilty_index < static_cast<int>(s->steps.size()) &&
      std::any_of(s->steps.begin(), s->steps.begin() + r.guilty_index,
                  [](const scenario::Step& st) { return st.kind == scenario::StepKind::kSpawn; })) {
    c.features = {"fork in the main interpreter with a subinterpreter spawned"};
    c.key = run::StableId("cause|fork|main-fork-with-subinterpreters");
    c.title = absl::StrCat("os.fork() in the main interpreter with a subinterpreter alive kills the child "
                           "in PyOS_AfterFork_Child (gh-139759): ",
                           r.verdict.ToString());
    c.upstream = "https://github.com/python/cpython/issues/139759";
    return c;
  }
  // The process ends (`exit`: Py_FinalizeEx) while an exec still runs in a
  // subinterpreter on another thread, and finalization asserts that nothing
  // runs there: 3.13.15 debug in finalize_subinterpreters
  // (`!_PyInterpreterState_IsRunningMain(interp)`), 3.14.10 debug in
  // PyThreadState_Clear (`!_PyThreadState_IsRunningMain(tstate)`); 3.15.2 and
  // the release builds end cleanly (tests/surface/exit_while_exec_runs_*.scn).
  // One cause for both: gh-126016 ("Multithreaded subinterpreters can be
  // running during finalization", closed) has this very script, and 3.14.10
  // still fails it.
  const bool in_exit = s != nullptr && scenario::ExitStepOf(*s) != nullptr &&
                       r.guilty_index == static_cast<int>(s->steps.size()) - 1;
  if (died && in_exit && absl::StrContains(c.message, "_IsRunningMain(")) {
    c.features = {"exit while an exec runs in a subinterpreter"};
    c.key = run::StableId("cause|exit|finalize-while-running-main");
    c.title = absl::StrCat("process exit while an exec runs in a subinterpreter (gh-126016): ", r.verdict.ToString());
    c.upstream = "https://github.com/python/cpython/issues/126016";
    return c;
  }
  if (died && s != nullptr && OwnGilWithMainObmalloc(*s)) {
    // Memory corruption: the frames say where the damage was touched, not
    // what did it. One cause, whatever the stacks.
    c.features = {"spawn gil=own obmalloc=main"};
    c.limitation =
        "an interpreter with its own GIL and the main interpreter's obmalloc: CPython's C API docs "
        "(Doc/c-api/init.rst, PyInterpreterConfig.use_main_obmalloc) say \"If this is 1 then gil must not be "
        "PyInterpreterConfig_OWN_GIL\"; Py_NewInterpreterFromConfig does not check it (init_interp_settings "
        "in Python/pylifecycle.c checks only check_multi_interp_extensions), so the process runs on with two "
        "GILs over one allocator";
    c.key = run::StableId("cause|config|gil=own obmalloc=main");
    c.title = absl::StrCat("own GIL with the main obmalloc (unsupported config): ", r.verdict.ToString());
    return c;
  }
  // A Py_EndInterpreter while the scenario's own exec tasks still ran in the
  // interpreter: the C API destroys every thread state of the interpreter,
  // so what the still-running threads do next is the caller's undefined
  // behaviour, wherever it lands (a crash in _PyThreadState_Attach, take_gil
  // or obmalloc, a fatal error, a parked thread). One cause.
  const bool by_pointer = s != nullptr && DestroysByPointer(*s);
  const bool destroyed_running = std::any_of(r.notes.begin(), r.notes.end(), [](const std::string& n) {
    return absl::StartsWith(n, run::kDestroyWhileRunning);
  });
  if ((died || hang || leak_with_stacks) && by_pointer && destroyed_running) {
    c.features = {"destroy (Py_EndInterpreter) while an exec task still runs in the interpreter"};
    c.limitation =
        "Py_EndInterpreter while other threads still run in the interpreter: CPython's C API docs "
        "(Doc/c-api/init.rst, Py_EndInterpreter) say \"All thread states associated with this interpreter are "
        "destroyed\", so a thread that goes on using one is the embedder's undefined behaviour (3.13 stops it with "
        "the fatal error \"not the last thread\"; from 3.14 the threads are not checked and crash or park); "
        "the strategy destroyed under its own running exec";
    c.key = run::StableId("cause|capi|destroy-while-running");
    c.title = absl::StrCat("Py_EndInterpreter under a running exec (the strategy's misuse): ", r.verdict.ToString());
    return c;
  }
  // Two destroys of one interpreter at once, and the thread that died or
  // stuck was inside one of them (Py_EndInterpreter or _PyXI_EndInterpreter
  // on its stack): wherever it lands (a SIGSEGV in the finalized
  // interpreter, the second caller parked for good in take_gil, a debug
  // build's tstate_is_alive assertion) it is one race in interp_destroy,
  // which checks the interpreter and then finalizes it with nothing to stop
  // a second caller in between (cf. gh-127041, a run racing a destroy). A
  // CPython bug, not a limitation: a second destroy from Python should
  // raise, not crash or block its caller.
  if ((died || hang || leak_with_stacks) && s != nullptr && DestroysOneInterpreterTwiceAtOnce(*s) &&
      DiedIn(r, died ? "" : r.guilty_thread, {"EndInterpreter"})) {
    c.features = {"two destroys of one interpreter in flight"};
    c.key = run::StableId("cause|destroy|two-at-once");
    c.title = absl::StrCat("two destroys of one interpreter at once: ", r.verdict.ToString());
    return c;
  }
  // Under driver capi, an exec that enters an interpreter (a new thread
  // state, PyThreadState_Swap) while a destroy of it may still run, by
  // Py_EndInterpreter or the module: nothing in the C API makes that entry
  // safe, and wherever the process then dies (the exec's thread, the
  // destroying one, obmalloc, take_gil) it is the caller's race, the same
  // misuse as a destroy under a running exec above. One cause.
  if ((died || hang || leak_with_stacks) && s != nullptr && s->driver == scenario::Driver::kCapi &&
      ExecsDuringItsDestroy(*s)) {
    c.features = {"driver capi: exec into an interpreter while a destroy of it is in flight"};
    c.limitation =
        "the C API has no way to enter an interpreter safely while another thread destroys it: "
        "Py_EndInterpreter (Doc/c-api/init.rst) destroys every thread state of the interpreter, and "
        "_interpreters.destroy checks only whether the interpreter runs its main (Modules/_interpretersmodule.c, "
        "interp_destroy), not C-API thread states made meanwhile; an exec that enters during the destroy "
        "uses an interpreter being freed, the embedder's undefined behaviour";
    c.key = run::StableId("cause|capi|exec-during-destroy");
    c.title = absl::StrCat("an exec entering an interpreter under its destroy (driver capi, the caller's race): ",
                           r.verdict.ToString());
    return c;
  }
  // An exec (put and get are execs) or a share started while a destroy of
  // its interpreter may still run, and the process died inside it:
  // gh-127041 ("An interpreter can start running during
  // _interpreters.destroy", open; its own reproducer crashes 3.14.10 and
  // 3.15.2 here): interp_destroy's is-running check passes, then the exec or
  // set___main___attrs enters (_PyXI_Enter) the interpreter being finalized.
  // On 3.13 the destroyer may instead find the entrant's thread state and
  // stop with "not the last thread" (without a daemon thread, the other way
  // there: 43bb4dc142e2). (A thread that enters it later and is parked is the
  // documented parking below.)
  const bool not_last_thread = r.verdict.kind == run::VerdictKind::kFatal &&
                               absl::StrContains(r.verdict.detail, "not the last thread");
  // From 3.14 the destroyer that finds the entrant's thread state stops in
  // PyInterpreterState_Delete instead (a call racing a destroy, 3.15.2: 1 of
  // 8 runs; tests/data/causes/call_during_destroy_315_fatal.json).
  const bool remaining_threads = r.verdict.kind == run::VerdictKind::kFatal &&
                                 absl::StrContains(r.verdict.detail, "PyInterpreterState_Delete: remaining threads");
  if (died && s != nullptr && EntersDuringItsDestroy(*s) &&
      (DiedIn(r, "", {"interp_exec", "_run_in_interpreter", "interp_set___main___attrs", "interp_call", "_PyXI_Enter"}) ||
       ((not_last_thread || remaining_threads) && !StartsDaemonThread(*s)))) {
    c.features = {"exec or share while a destroy of its interpreter is in flight"};
    c.key = run::StableId("cause|destroy|exec-during-destroy");
    c.title = absl::StrCat("an exec or share racing a destroy of its interpreter (gh-127041): ", r.verdict.ToString());
    c.upstream = "https://github.com/python/cpython/issues/127041";
    return c;
  }
  if (leak_with_stacks && !c.frames.empty() && absl::StartsWith(c.frames.front(), "PyThread_hang_thread")) {
    c.limitation =
        "a thread that attaches to an interpreter being finalized blocks for good: CPython 3.14's C API docs "
        "(Doc/c-api/init.rst, \"Cautions regarding runtime finalization\") say such a thread \"enters a permanently "
        "blocked state\" (gh-87135; subinterpreters since gh-128639), so an exec still running when its "
        "interpreter is destroyed leaves its thread parked in PyThread_hang_thread";
    c.key = run::StableId("cause|parked|PyThread_hang_thread");
    c.title = absl::StrCat(r.verdict.ToString(), ": a thread parked by CPython in PyThread_hang_thread after ",
                           r.guilty_step.empty() ? "the scenario" : r.guilty_step);
    return c;
  }
  // A daemon thread the scenario started in an interpreter it destroys: from
  // 3.14 the destroy returns (3.13 stops with "not the last thread", known
  // finding 43bb4dc142e2) and the thread, when it next attaches, is parked
  // for good. What leaks is that thread, which the scenario asked for.
  if (r.verdict.kind == run::VerdictKind::kLeak && absl::StartsWith(r.verdict.detail, "thread ") && s != nullptr &&
      VersionAtLeast(r.python, "3.14") && StartsDaemonThread(*s)) {
    c.features = {"exec thread daemon=1 (or raw_thread) in an interpreter that is destroyed"};
    c.limitation =
        "a daemon thread outlives the interpreter it runs in: from 3.14 destroying the interpreter does not wait "
        "for it, and when the thread next attaches CPython parks it (Doc/c-api/init.rst, \"Cautions regarding "
        "runtime finalization\": it \"enters a permanently blocked state\"; gh-87135, gh-128639), so its OS "
        "thread stays for the life of the process";
    c.key = run::StableId("cause|daemon-thread|outlives-destroy");
    c.title = absl::StrCat(r.verdict.ToString(), ": a daemon thread outlives its destroyed interpreter (parked)");
    return c;
  }
  std::string basis;
  if (!c.message.empty()) {
    basis = absl::StrCat("message|", run::NormalizeNumbers(c.message));
    c.title = r.verdict.kind == run::VerdictKind::kFatal && c.message == r.verdict.detail
                  ? absl::StrCat("Fatal Python error: ", c.message)
                  : c.message;
  } else if (!c.frames.empty()) {
    const std::string detail = r.verdict.kind == run::VerdictKind::kHang ? "" : run::NormalizeNumbers(r.verdict.detail);
    basis = absl::StrCat("frames|", c.kind, "|", detail, "|", absl::StrJoin(c.frames, "|"));
    c.title = r.verdict.kind == run::VerdictKind::kHang
                  ? absl::StrCat("hang in ", r.guilty_step.empty() ? r.verdict.detail : r.guilty_step, ", stuck in ",
                                 c.frames.front())
                  : absl::StrCat(r.verdict.ToString(), " in ", c.frames.front());
  } else if (r.verdict.kind == run::VerdictKind::kLeak) {
    // "thread +1" -> "thread": how many leaked is not the cause.
    std::string resource = std::string(absl::StripAsciiWhitespace(r.verdict.detail.substr(0, r.verdict.detail.find(' '))));
    basis = absl::StrCat("leak|", resource, "|", r.guilty_step);
    c.title = absl::StrCat(resource, " leaked after ", r.guilty_step.empty() ? "the scenario" : r.guilty_step);
  } else {
    // No stacks: the verdict and the step are all there is (the raw signature's basis).
    basis = absl::StrCat("verdict|", c.kind, "|", run::NormalizeNumbers(r.verdict.detail), "|", r.guilty_step);
    const bool says_step = r.guilty_step.empty() || r.verdict.detail == r.guilty_step;
    c.title = absl::StrCat(r.verdict.ToString(), says_step ? "" : absl::StrCat(" in ", r.guilty_step));
  }
  c.key = run::StableId(absl::StrCat("cause|", basis));
  return c;
}

std::string GhNumber(const std::string& upstream) {
  absl::string_view u = absl::StripAsciiWhitespace(upstream);
  size_t at = u.rfind("issues/");
  if (at != u.npos) {
    u = u.substr(at + 7);
  } else if (!absl::ConsumePrefix(&u, "gh-")) {
    absl::ConsumePrefix(&u, "#");
  }
  size_t n = 0;
  while (n < u.size() && std::isdigit(static_cast<unsigned char>(u[n]))) ++n;
  return n == 0 ? "" : absl::StrCat("gh-", u.substr(0, n));
}

std::string FindingClass(const RootCause& cause, const std::string& expected_reason, bool known,
                         const std::string& upstream) {
  if (!expected_reason.empty()) return "expected";
  if (known || !cause.upstream.empty()) {  // a corpus/known/ match, or a cause the tracker has
    std::string gh = GhNumber(upstream.empty() ? cause.upstream : upstream);
    return gh.empty() ? "known" : absl::StrCat("known ", gh);
  }
  if (!cause.limitation.empty()) return "limitation";
  return "new";
}

}  // namespace endgame::report
