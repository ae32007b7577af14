#include "endgame/run/snippet_source.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "endgame/py/queues.h"

namespace endgame::run {
namespace {

using scenario::Snippet;
using scenario::SnippetKind;

// Seconds as a Python float expression, or None for 0 ("no limit").
std::string Seconds(int64_t ms) { return ms == 0 ? "None" : absl::StrCat(ms, " / 1000.0"); }

// `s` between `quote`s with `\`, the quote and a newline escaped, and the
// other control bytes (and with `all_high` every byte >= 0x80, as a bytes
// literal needs) as \xHH.
std::string Quote(const std::string& s, char quote, bool all_high) {
  std::string out(1, quote);
  for (unsigned char c : s) {
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f || (all_high && c > 0x7f)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + quote;
}

std::string RaiseWithSource(const std::string& msg, bool str_fails) {
  if (!str_fails) return absl::StrCat("raise RuntimeError(", PyText(msg), ")\n");
  return absl::StrCat("class EndgameError(RuntimeError):\n"
                      "    def __str__(self):\n"
                      "        raise ValueError('__str__ fails')\n"
                      "raise EndgameError(", PyText(msg), ")\n");
}

}  // namespace

std::string PyQuote(const std::string& s, char quote) { return Quote(s, quote, false); }

std::string PyBytes(const std::string& bytes) { return "b" + Quote(bytes, '\'', true); }

std::string PyText(const std::string& bytes) {
  // Plain text stays readable; anything else is spelled as its bytes.
  bool plain = true;
  for (unsigned char c : bytes) plain &= c >= 0x20 && c < 0x7f;
  if (plain) return PyQuote(bytes);
  return absl::StrCat(PyBytes(bytes), ".decode('utf-8', 'surrogateescape')");
}

std::string QueueHandleSource(int64_t qid) {
  return absl::StrCat("__import__('concurrent.interpreters._queues' if __import__('sys').version_info >= (3, 14) "
                      "else 'test.support.interpreters.queues', fromlist=['Queue']).Queue(",
                      qid, ")");
}

std::string ValueSource(const scenario::Value& v, int64_t handle_qid) {
  using K = scenario::Value::Kind;
  switch (v.kind) {
    case K::kNone: return "None";
    case K::kInt: return absl::StrCat(v.n);
    case K::kStr: return PyText(v.text);
    case K::kBytes: return PyBytes(v.text);
    case K::kTuple: return "(1, 'endgame', b'\\x00', None)";
    case K::kUnshareable: return "object()";
    case K::kQueue: return QueueHandleSource(handle_qid);
  }
  return "None";
}

int UnboundOp(scenario::Unbound u) {
  switch (u) {
    case scenario::Unbound::kRemove: return py::kUnboundRemove;
    case scenario::Unbound::kError: return py::kUnboundError;
    case scenario::Unbound::kReplace: return py::kUnboundReplace;
  }
  return py::kUnboundReplace;
}

std::string PutSource(int64_t qid, const scenario::Value& v, scenario::Unbound unbound, int64_t handle_qid) {
  // 3.13: put(qid, obj, fmt, unboundop); 3.14+: put(qid, obj, unboundop, fallback).
  // fmt/fallback 0: the item must be shareable (no pickling).
  const int op = UnboundOp(unbound);
  return absl::StrCat("import _interpqueues, sys\n"
                      "if sys.version_info < (3, 14):\n"
                      "    _interpqueues.put(", qid, ", ", ValueSource(v, handle_qid), ", 0, ", op, ")\n"
                      "else:\n"
                      "    _interpqueues.put(", qid, ", ", ValueSource(v, handle_qid), ", ", op, ", 0)\n");
}

std::string GetSource(int64_t qid, int64_t timeout_ms) {
  // `get` does not block; like concurrent.interpreters' Queue.get it polls.
  // The last element of what it returns is the unbound op of an item whose
  // interpreter was destroyed (None while bound); op 2 (error) raises as the
  // high-level queue does.
  return absl::StrCat("import _interpqueues, time\n"
                      "_t0 = time.monotonic()\n"
                      "while True:\n"
                      "    try:\n"
                      "        _item = _interpqueues.get(", qid, ")\n"
                      "        break\n"
                      "    except Exception as _e:\n"
                      "        if type(_e).__name__ != 'QueueEmpty' or time.monotonic() - _t0 >= ",
                      timeout_ms, " / 1000.0:\n"
                      "            raise\n"
                      "    time.sleep(0.001)\n"
                      "if _item[-1] == ", py::kUnboundError, ":\n"
                      "    raise RuntimeError('ItemInterpreterDestroyed: the interpreter that put it is gone')\n");
}

std::string SendSource(int64_t cid, const scenario::Value& v, int64_t handle_qid) {
  return absl::StrCat("import _interpchannels\n"
                      "_interpchannels.send(", cid, ", ", ValueSource(v, handle_qid), ", blocking=False)\n");
}

std::string RecvSource(int64_t cid, int64_t timeout_ms) {
  // recv() does not block; it returns (item, unbound op), the op None while
  // the item's interpreter lives. 3.13.15 ignores create()'s op and hands out
  // every such item as (None, 3), replace (tests/surface/channel_unbound_*.scn).
  return absl::StrCat("import _interpchannels, time\n"
                      "_t0 = time.monotonic()\n"
                      "while True:\n"
                      "    try:\n"
                      "        _item = _interpchannels.recv(", cid, ")\n"
                      "        break\n"
                      "    except Exception as _e:\n"
                      "        if type(_e).__name__ != 'ChannelEmptyError' or time.monotonic() - _t0 >= ",
                      timeout_ms, " / 1000.0:\n"
                      "            raise\n"
                      "    time.sleep(0.001)\n"
                      "if _item[-1] == ", py::kUnboundError, ":\n"
                      "    raise RuntimeError('ItemInterpreterDestroyed: the interpreter that sent it is gone')\n");
}

std::string CloseSource(int64_t cid, bool force) {
  return absl::StrCat("import _interpchannels\n"
                      "_interpchannels.close(", cid, force ? ", force=True" : "", ")\n");
}

std::string CallSource(const std::string& iid, const scenario::Step& call, int64_t handle_qid) {
  const scenario::Value* value = call.value == scenario::Value{} ? nullptr : &call.value;
  std::string out = "import _interpreters, sys\n";
  switch (call.func) {
    case scenario::CallFunc::kEcho:
      // Without a value, no parameter: 3.13 calls only functions without
      // any ("arguments not supported").
      absl::StrAppend(&out, value == nullptr ? "def _endgame_echo():\n    return None\n"
                                             : "def _endgame_echo(arg):\n    return arg\n",
                      "_endgame_f = _endgame_echo\n");
      break;
    case scenario::CallFunc::kBuiltin:
      absl::StrAppend(&out, "_endgame_f = str\n");
      break;
    case scenario::CallFunc::kClosure:
      absl::StrAppend(&out, "def _endgame_make():\n"
                            "    tag = 'endgame'\n"
                            "    def _endgame_closure(*args):\n"
                            "        return (tag,) + args\n"
                            "    return _endgame_closure\n"
                            "_endgame_f = _endgame_make()\n");
      break;
  }
  absl::StrAppend(
      &out, "_endgame_args = ", value == nullptr ? "()" : absl::StrCat("(", ValueSource(*value, handle_qid), ",)"), "\n",
      "_endgame_want = _endgame_f(*_endgame_args)\n"
      "if sys.version_info >= (3, 14):\n"
      "    _endgame_got, _endgame_exc = _interpreters.call(", iid, ", _endgame_f, _endgame_args)\n"
      "else:  # 3.13: no result; args are refused\n"
      "    _endgame_exc = _interpreters.call(", iid, ", _endgame_f, *([_endgame_args] if _endgame_args else []))\n"
      "    _endgame_got = _endgame_want\n"
      "if _endgame_exc is not None:\n"
      "    raise type(_endgame_exc.type.__name__, (Exception,), {})(_endgame_exc.msg)\n"
      "if type(_endgame_got) is not type(_endgame_want) or (\n"
      "        _endgame_got != _endgame_want and type(_endgame_got) is not object):\n"
      "    raise AssertionError('call returned %r, not %r' % (_endgame_got, _endgame_want))\n");
  return out;
}

std::string ForkSource(int64_t ms) {
  // The child may die inside os.fork() itself (PyOS_AfterFork_Child), before
  // any Python runs in it: its stderr is pointed at a pipe before the fork
  // and the parent's restored right after, so what the child prints is read
  // here and never lands on this process's stderr (where the supervisor
  // would take it for this process's own death). The pipe's end of file is
  // the child gone (it holds the write end as fd 2 until it exits); past the
  // bound it is killed. The child leaves with os._exit: no atexit handler,
  // no flush of buffers it inherited, nothing of this process runs twice.
  // fd 2 is the process's, and forks run in several interpreters at once:
  // the swap holds an flock on an open file description of its own (of the
  // running binary, /proc/self/exe), which excludes the other interpreters'
  // swaps, so none restores another's pipe as fd 2 (a harness fd leak and a
  // lost stderr otherwise).
  // In a function: two threads in one interpreter run it at once on a
  // cache's workers, and __main__'s globals would mix their fds.
  const std::string body = absl::StrCat(
      "import fcntl, os, select, sys, time, warnings\n"
      "_endgame_lock = os.open('/proc/self/exe', os.O_RDONLY)\n"
      "fcntl.flock(_endgame_lock, fcntl.LOCK_EX)\n"
      "_endgame_r, _endgame_w = os.pipe()\n"
      "sys.stderr.flush()\n"
      "_endgame_saved = os.dup(2)\n"
      "os.dup2(_endgame_w, 2)\n"
      "try:\n"
      "    with warnings.catch_warnings():  # the parent's 'multi-threaded' warning, not the child's stderr\n"
      "        warnings.simplefilter('ignore', DeprecationWarning)\n"
      "        _endgame_pid = os.fork()\n"
      "    if _endgame_pid == 0:\n",
      ms == 0 ? "" : absl::StrCat("        try:\n"
                                  "            time.sleep(", ms, " / 1000.0)\n"
                                  "        except BaseException:\n"
                                  "            os._exit(70)\n"),
      "        os._exit(0)\n"
      "except BaseException:\n"
      "    os.close(_endgame_r)\n"
      "    raise\n"
      "finally:\n"
      "    os.dup2(_endgame_saved, 2)\n"
      "    os.close(_endgame_saved)\n"
      "    os.close(_endgame_w)\n"
      "    fcntl.flock(_endgame_lock, fcntl.LOCK_UN)\n"
      "    os.close(_endgame_lock)\n"
      "_endgame_err, _endgame_hung = b'', False\n"
      "_endgame_until = time.monotonic() + ", ms, " / 1000.0 + ", kForkChildSlackMs, " / 1000.0\n"
      "try:\n"
      "    while True:\n"
      "        _endgame_left = _endgame_until - time.monotonic()\n"
      "        if _endgame_left <= 0 or not select.select([_endgame_r], [], [], _endgame_left)[0]:\n"
      "            _endgame_hung = True\n"
      "            os.kill(_endgame_pid, 9)\n"
      "            break\n"
      "        _endgame_chunk = os.read(_endgame_r, 65536)\n"
      "        if not _endgame_chunk:\n"
      "            break\n"
      "        _endgame_err = (_endgame_err + _endgame_chunk)[:", kForkChildStderrMax, "]\n"
      "finally:\n"
      "    os.close(_endgame_r)\n"
      "_endgame_status = os.waitpid(_endgame_pid, 0)[1]\n"
      "if _endgame_hung or _endgame_status != 0:\n"
      "    class ", kForkChildError, "(Exception):\n"
      "        pass\n"
      "    raise ", kForkChildError, "(('hung' if _endgame_hung else 'status %d' % _endgame_status) + ': ' +\n"
      "        _endgame_err.decode('latin-1').encode('unicode_escape').decode('ascii'))\n");
  std::string out = "def _endgame_fork():\n";
  for (absl::string_view line : absl::StrSplit(body, '\n', absl::SkipEmpty())) absl::StrAppend(&out, "    ", line, "\n");
  return out + "_endgame_fork()\n";
}

std::string SnippetSource(const Snippet& s, const SnippetContext& ctx) {
  switch (s.kind) {
    case SnippetKind::kNoop:
      return "pass\n";
    case SnippetKind::kCompute:
      return absl::StrCat("_endgame_result = sum(i * i for i in range(", s.n, "))\n");
    case SnippetKind::kSleep:
      return absl::StrCat("import time\ntime.sleep(", s.ms, " / 1000.0)\n");
    case SnippetKind::kBusy:
      // A pure Python loop: only an asynchronous exception stops it early.
      return absl::StrCat(
          "import time\n"
          "_limit = ", Seconds(s.ms), "\n"
          "_t0 = time.monotonic()\n"
          "while _limit is None or time.monotonic() - _t0 < _limit:\n"
          "    pass\n");
    case SnippetKind::kBusyPoll:
      // Polls the cooperative cancel flag (a pipe that becomes readable).
      return absl::StrCat(
          "import time, select\n"
          "_limit = ", Seconds(s.ms), "\n"
          "_fd = ", ctx.cancel_fd, "\n"
          "_t0 = time.monotonic()\n"
          "while _limit is None or time.monotonic() - _t0 < _limit:\n"
          "    if _fd >= 0 and select.select([_fd], [], [], 0)[0]:\n"
          "        break\n"
          "    time.sleep(0.0005)\n");
    case SnippetKind::kThread:
      // Threads left running inside the interpreter; non-daemon ones are
      // joined by Py_EndInterpreter, daemon ones need daemon_threads=1.
      return absl::StrCat(
          "import threading, time\n"
          "for _i in range(", s.n, "):\n"
          "    threading.Thread(target=time.sleep, args=(", s.ms, " / 1000.0,), daemon=",
          s.daemon ? "True" : "False", ", name='endgame-%d' % _i).start()\n");
    case SnippetKind::kImport:
      return absl::StrCat("import importlib\nimportlib.import_module(", PyQuote(s.text), ")\n");
    case SnippetKind::kAlloc:
      // Kept alive in __main__ until the interpreter is torn down.
      return absl::StrCat("_endgame_keep = globals().setdefault('_endgame_keep', [])\n"
                          "_endgame_keep.append(bytearray(", s.kb, " * 1024))\n");
    case SnippetKind::kFiles:
      return absl::StrCat("import os\n"
                          "_endgame_files = globals().setdefault('_endgame_files', [])\n"
                          "_endgame_files.extend(open(os.devnull, 'rb') for _ in range(", s.n, "))\n");
    case SnippetKind::kLockWait:
      // Blocks in lock.acquire(); ms=0 waits for a release that never comes.
      return absl::StrCat("import threading\n"
                          "_lock = threading.Lock()\n"
                          "_lock.acquire()\n"
                          "_lock.acquire(timeout=", s.ms == 0 ? "-1" : absl::StrCat(s.ms, " / 1000.0"), ")\n");
    case SnippetKind::kRaise:
      return absl::StrCat(
          "import builtins, importlib\n"
          "_name = ", PyQuote(s.text), "\n"
          "if hasattr(builtins, _name):\n"
          "    _exc = getattr(builtins, _name)\n"
          "else:\n"
          "    _mod, _, _cls = _name.rpartition('.')\n"
          "    _exc = getattr(importlib.import_module(_mod), _cls)\n"
          "raise _exc('raised by endgame')\n");
    case SnippetKind::kRecurse:
      return absl::StrCat("def _endgame_f(n):\n"
                          "    return 0 if n == 0 else 1 + _endgame_f(n - 1)\n"
                          "_endgame_f(", s.depth, ")\n");
    case SnippetKind::kAtexit:
      return absl::StrCat("import atexit\n"
                          "def _endgame_atexit():\n"
                          "    sum(range(1000))\n",
                          s.ms == 0 ? "" : absl::StrCat("    import time\n    time.sleep(", s.ms, " / 1000.0)\n"),
                          s.n != 0 ? "    raise RuntimeError('endgame atexit callback')\n" : "",
                          "atexit.register(_endgame_atexit)\n");
    case SnippetKind::kRawThread:
      // Threads threading does not track: threading._shutdown does not join
      // them, so they may still run when the interpreter is torn down.
      return absl::StrCat("import _thread, time\n"
                          "for _i in range(", s.n, "):\n"
                          "    _thread.start_new_thread(time.sleep, (", s.ms, " / 1000.0,))\n");
    case SnippetKind::kFork:
      return ForkSource(s.ms);
    case SnippetKind::kDelCycle:
      // A reference cycle whose finalizers run at gc or at teardown.
      return "class _EndgameDel:\n"
             "    def __del__(self):\n"
             "        self.partner = None\n"
             "_a, _b = _EndgameDel(), _EndgameDel()\n"
             "_a.partner, _b.partner = _b, _a\n"
             "del _a, _b\n";
    case SnippetKind::kCode:
      return s.text + "\n";
    case SnippetKind::kRaiseWith:
      return RaiseWithSource(s.text, s.n != 0);
    case SnippetKind::kNested:
      // The inner exec's excinfo comes back as a value: raised here under
      // its type's name, as the engine reports an exec's error.
      return absl::StrCat("import _interpreters\n"
                          "_r = _interpreters.exec(", ctx.target_id, ", ",
                          s.ms == 0 ? "'pass'" : absl::StrCat("'import time; time.sleep(", s.ms, " / 1000.0)'"),
                          ")\n"
                          "if _r is not None:\n"
                          "    raise type(_r.type.__name__, (Exception,), {})(_r.msg)\n");
  }
  return "pass\n";
}

}  // namespace endgame::run
