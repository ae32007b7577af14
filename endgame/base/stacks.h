// File: endgame/base/stacks.h
//
// All-thread stack dumps of THIS process for the watchdog, and a parser that
// splits them into per-thread records.
//
// CaptureAllStacks() runs `gdb -p <getpid()> -batch -nx` with `thread apply
// all bt` and, given CPython's gdb helper (Tools/gdb/libpython.py, installed
// by our CPython builds as <prefix>/share/endgame/libpython.py), `thread
// apply all py-bt`: the native stack of every thread, symbolized, and the
// Python stack of every thread of every interpreter. gdb reads memory from
// outside, so it works while a stuck thread holds a GIL or any lock.
//
// gdb stops every thread of this process while it works, the calling one
// included, so nothing in-process could read a pipe or enforce a timeout
// then. Instead gdb writes into a memory file (memfd), and a small
// supervisor process (forked without atfork handlers, running only raw
// system calls) kills gdb when `timeout` passes and sends SIGCONT to this
// process in case gdb died with a stop pending. The output is returned with
// a note when that happened.
//
// Without gdb (or when it cannot attach: ptrace forbidden, already traced)
// the capture falls back to in-process: a real-time signal is sent to each
// thread (tgkill), whose handler records backtrace() into a preallocated
// slot; the frames are symbolized afterwards (symbolize.h). That gives
// native frames only, in the same layout as gdb's, so ParseGdbStacks() reads
// both. A thread that blocks the signal, or (under ThreadSanitizer, which
// defers signals) sits in an intercepted call such as pthread_mutex_lock,
// shows as not answering.
//
//   StackOptions opts;
//   opts.python_gdb_script = prefix + "/share/endgame/libpython.py";
//   absl::StatusOr<std::string> text = CaptureAllStacks(opts);
//   if (text.ok()) {
//     for (const ThreadStack& t : ParseGdbStacks(*text)) {
//       if (t.lwp == stuck_tid) Report(t.name, t.frames, t.python_frames);
//     }
//   }
#ifndef ENDGAME_BASE_STACKS_H_
#define ENDGAME_BASE_STACKS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace endgame {

// StackOptions configures CaptureAllStacks().
struct StackOptions {
  // Limit for gdb; then it is killed and what it printed is returned.
  absl::Duration timeout = absl::Seconds(20);
  // CPython's Tools/gdb/libpython.py; "" captures native stacks only.
  std::string python_gdb_script;
  // gdb to run: a path, or a name searched in PATH.
  std::string gdb = "gdb";
  // Skip gdb and use the in-process capture.
  bool force_fallback = false;
  // Frames per thread (`set backtrace limit`; at most 256 in the fallback).
  int max_frames = 128;
  // Fallback: how long threads get to answer the signal.
  absl::Duration fallback_wait = absl::Seconds(2);
  // Fallback: the signal; 0 means SIGRTMIN + 5. Its handler stays installed.
  int fallback_signal = 0;
};

// CaptureAllStacks() returns the stacks of every thread of this process as
// gdb prints them, preceded by a `# endgame:` line saying how they were
// captured and followed by `# endgame:` notes (timeout, fallback reason).
// Errors only when no stack at all could be captured. Thread-safe; captures
// run one at a time. Not async-signal-safe (it allocates): call it from an
// ordinary thread, such as the watchdog's.
absl::StatusOr<std::string> CaptureAllStacks(const StackOptions& options = StackOptions());

// ThreadStack is one thread of a stack dump.
struct ThreadStack {
  int number = 0;                          // gdb's thread number (1: main thread)
  pid_t lwp = 0;                           // kernel thread id
  std::string name;                        // thread name, "" if not shown
  std::vector<std::string> frames;         // native functions, innermost first ("??": unknown)
  std::vector<std::string> python_frames;  // Python functions, innermost first
  // Per native frame (parallel to `frames`): where it lives, from gdb's
  // `at FILE:LINE` (CPython's own paths from their source folder on:
  // "Python/crossinterp.c") or `from LIB` ("libpython3.13.so.1.0"); "" unknown.
  std::vector<std::string> files;
};

// ParseGdbStacks() splits the output of CaptureAllStacks() (or any text with
// gdb's `thread apply all bt` / `py-bt` output) into threads, by gdb thread
// number, merging each thread's native and Python sections. Frames are
// function names without arguments or parameter types, the same with and
// without debug info (`pthread_cond_wait`, `(anonymous namespace)::Worker::Run`,
// `std::function<void ()>::operator()`); Python frames are function names
// from `File "...", line N, in NAME` and `<built-in method NAME of ...>`, plus
// `<waiting for the GIL>` and `<garbage-collecting>`.
std::vector<ThreadStack> ParseGdbStacks(const std::string& text);

}  // namespace endgame

#endif  // ENDGAME_BASE_STACKS_H_
