// File: endgame/base/classify.h
//
// Says how a supervised child ended, from its exit status and its stderr:
// a clean exit, an exit code, a `Fatal Python error:`, a crash by signal, a
// sanitizer report or our timeout. The evidence in stderr wins over the way
// the process died: Py_FatalError() ends in SIGABRT but is kFatal, and an
// ASan report ends in exit code 1 (or abort) but is kSanitizer; but
// faulthandler's "Fatal Python error: Segmentation fault" (or "Aborted", "Bus
// error"...) before the process dies of that signal is kCrash. Order: a
// sanitizer report, then a fatal error, then the timeout, then a signal, then
// a non-zero exit code.
//
//   absl::StatusOr<ChildResult> r = RunChild(opts);
//   Termination t = Classify(*r);
//   if (t.kind == Termination::kFatal) {
//     // t.detail == "Py_EndInterpreter: not the last thread", t.signal == SIGABRT
//   }
//   std::printf("%s\n", t.ToString().c_str());  // fatal "Py_EndInterpreter: ..."
#ifndef ENDGAME_BASE_CLASSIFY_H_
#define ENDGAME_BASE_CLASSIFY_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "endgame/base/subprocess.h"

namespace endgame {

// Termination is how a child ended.
struct Termination {
  enum Kind { kOk, kExitCode, kFatal, kCrash, kSanitizer, kTimeout };
  Kind kind = kOk;
  bool exited = false;  // from the exit status, whatever the kind
  int exit_code = 0;
  int signal = 0;
  // kFatal: the message after `Fatal Python error: `.
  // kSanitizer: the report kind: `heap-use-after-free`, `data race`,
  //   `detected memory leaks`, `undefined-behavior`, `SEGV`...
  // kCrash: the signal name (`SIGSEGV`). kExitCode: `exit code 3`.
  // kTimeout: `timed out after 5s`. kOk: "".
  std::string detail;
  // kSanitizer: the tool (`AddressSanitizer`, `ThreadSanitizer`,
  // `LeakSanitizer`, `UndefinedBehaviorSanitizer`, `MemorySanitizer`).
  std::string tool;
  // kSanitizer: the first frame of the report outside the sanitizer runtime
  // and allocator (a function name, or `file.c:12:5` for a UBSan report
  // without stack).
  std::string frame;
  // The stderr line the decision rests on (kFatal, kSanitizer), else "".
  std::string evidence;

  // Termination::ToString() returns a one-line summary in the words of the
  // verdicts: `ok`, `exit 3`, `fatal "msg"`, `crash SIGSEGV`,
  // `sanitizer heap-use-after-free in Foo`, `timeout`.
  std::string ToString() const;
};

// KindName() returns "ok", "exit", "fatal", "crash", "sanitizer", "timeout".
absl::string_view KindName(Termination::Kind kind);

// SignalName() returns "SIGSEGV", "SIGRTMIN+3", or "signal 99".
std::string SignalName(int sig);

// Classify() classifies a ChildResult (its status and its stderr).
Termination Classify(const ChildResult& result);

// ClassifyEnd() is Classify() on the parts of a result; `elapsed` only
// appears in a kTimeout detail.
Termination ClassifyEnd(bool exited, int exit_code, int signal, bool timed_out,
                        absl::string_view err,
                        absl::Duration elapsed = absl::ZeroDuration());

// FatalPythonError() returns the message of the first `Fatal Python error:`
// line of `text`, if any.
std::optional<std::string> FatalPythonError(absl::string_view text);

// SanitizerReport is the first sanitizer report found in some text.
struct SanitizerReport {
  std::string tool;      // "AddressSanitizer", ...
  std::string kind;      // "heap-use-after-free", ...
  std::string frame;     // first frame outside the runtime, may be ""
  std::string evidence;  // the header line
};

// FindSanitizerReport() returns the first ASan, LSan, TSan, MSan or UBSan
// report of `text`, if any.
std::optional<SanitizerReport> FindSanitizerReport(absl::string_view text);

}  // namespace endgame

#endif  // ENDGAME_BASE_CLASSIFY_H_
