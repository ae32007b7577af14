#include "endgame/run/snippet_source.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace endgame::run {
namespace {

using scenario::Snippet;
using scenario::SnippetKind;

// Seconds as a Python float expression, or None for 0 ("no limit").
std::string Seconds(int64_t ms) { return ms == 0 ? "None" : absl::StrCat(ms, " / 1000.0"); }

}  // namespace

std::string PyQuote(const std::string& s, char quote) {
  std::string out(1, quote);
  for (unsigned char c : s) {
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + quote;
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
      return "import atexit\n"
             "def _endgame_atexit():\n"
             "    sum(range(1000))\n"
             "atexit.register(_endgame_atexit)\n";
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
  }
  return "pass\n";
}

}  // namespace endgame::run
