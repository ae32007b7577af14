#include "endgame/base/stacks.h"

#include <unistd.h>

#include <algorithm>

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "endgame/base/check.h"
#include "endgame/base/internal/gdb_capture.h"
#include "endgame/base/internal/signal_capture.h"
#include "endgame/base/mutex.h"

namespace endgame {
namespace {

// Two gdbs cannot attach at once; captures are serialized.
ABSL_CONST_INIT Mutex g_capture_mu;

constexpr size_t kMaxGdbOutput = size_t{32} << 20;

}  // namespace

absl::StatusOr<std::string> CaptureAllStacks(const StackOptions& options) {
  MutexLock lock(&g_capture_mu);
  const pid_t pid = getpid();
  std::string notes;
  std::string gdb = options.force_fallback ? "" : base_internal::FindProgram(options.gdb);
  if (options.force_fallback) {
    notes += "# endgame: gdb skipped (StackOptions::force_fallback)\n";
  } else if (gdb.empty()) {
    absl::StrAppend(&notes, "# endgame: gdb not found ('", options.gdb, "')\n");
  } else {
    // gdb must only read this process: a function it calls in a thread
    // stopped inside a futex wait (CPython's gdb script does, for py-bt) can
    // make that wait fail once gdb detaches, which glibc answers with
    // "The futex facility returned an unexpected error code" and abort()
    // (seen on Linux 6.18).
    std::vector<std::string> commands = {
        "set may-call-functions off",
        absl::StrCat("set backtrace limit ", std::max(options.max_frames, 1)),
        "thread apply all bt"};
    std::string what = "native: thread apply all bt";
    if (!options.python_gdb_script.empty()) {
      if (access(options.python_gdb_script.c_str(), R_OK) == 0) {
        commands.push_back(absl::StrCat("source ", options.python_gdb_script));
        commands.push_back("thread apply all py-bt");
        absl::StrAppend(&what, "; python: thread apply all py-bt");
      } else {
        absl::StrAppend(&notes, "# endgame: cannot read ", options.python_gdb_script,
                        "; no Python stacks\n");
      }
    }
    absl::StatusOr<base_internal::GdbRun> run =
        base_internal::RunGdbOnSelf(gdb, commands, options.timeout, kMaxGdbOutput);
    if (!run.ok()) {
      absl::StrAppend(&notes, "# endgame: cannot run gdb: ", run.status().ToString(), "\n");
    } else if (run->exec_errno != 0) {
      absl::StrAppend(&notes, "# endgame: cannot execute ", gdb, ": ", strerror(run->exec_errno),
                      "\n");
    } else {
      std::string text = absl::StrCat("# endgame: stacks of pid ", pid, " by ", gdb, " (", what,
                                      ")\n", notes, run->output);
      if (!text.empty() && text.back() != '\n') text += '\n';
      if (run->timed_out) {
        absl::StrAppend(&text, "# endgame: gdb timed out after ",
                        absl::FormatDuration(options.timeout),
                        " and was killed; the output above may be incomplete\n");
      }
      if (!ParseGdbStacks(run->output).empty()) return text;
      // gdb could not attach (ptrace forbidden, already traced) or printed
      // nothing useful before the timeout: keep what it said, fall back.
      absl::StrAppend(&notes, "# endgame: gdb gave no thread stacks",
                      run->timed_out ? " before its timeout" : "", "; it printed:\n#   ",
                      absl::StrReplaceAll(run->output, {{"\n", "\n#   "}}), "\n");
    }
  }
  absl::StatusOr<std::string> stacks = base_internal::CaptureStacksInProcess(options);
  if (!stacks.ok()) {
    return absl::Status(stacks.status().code(),
                        absl::StrCat(stacks.status().message(), "\n", notes));
  }
  return absl::StrCat("# endgame: stacks of pid ", pid,
                      " captured in-process (signal + backtrace): native frames only, no Python "
                      "stacks\n",
                      notes, *stacks);
}

}  // namespace endgame
