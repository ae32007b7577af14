// File: endgame/base/subprocess.h
//
// Supervised child processes: `RunChild()` starts a program in its own
// process group, feeds it stdin, collects stdout and stderr concurrently (no
// pipe can fill up and stall either side), enforces a timeout (SIGTERM to the
// group, then SIGKILL after a grace period), always reaps the child and kills
// what is left of its process group. It never blocks past
// `timeout + kill_grace` plus the time the kernel needs to deliver SIGKILL.
// `ChildResult` says how the child ended, like fuzztest's TerminationStatus;
// classify.h turns it into a verdict. `KillAllChildren()` ends every child
// that `RunChild()` is running, in any thread (a campaign's Ctrl-C).
//
//   ChildOptions opts;
//   opts.argv = {SelfExe().value(), "--worker", "scenario.scn"};
//   opts.env_add = {"PYTHONMALLOC=malloc"};
//   opts.timeout = absl::Seconds(30);
//   absl::StatusOr<ChildResult> r = RunChild(opts);
//   if (r.ok() && r->exited && r->exit_code == 0) { ... r->out ... }
#ifndef ENDGAME_BASE_SUBPROCESS_H_
#define ENDGAME_BASE_SUBPROCESS_H_

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace endgame {

// ChildOptions says what to run and how long to let it run.
struct ChildOptions {
  // Program and arguments. argv[0] without a '/' is searched in PATH.
  std::vector<std::string> argv;
  // "NAME=value" entries added to (or replacing those in) this process's
  // environment.
  std::vector<std::string> env_add;
  // Wall-clock limit; then SIGTERM goes to the child's process group.
  absl::Duration timeout = absl::Minutes(5);
  // Time between SIGTERM and SIGKILL.
  absl::Duration kill_grace = absl::Seconds(2);
  // Written to the child's stdin, which is then closed. Empty: /dev/null.
  std::string stdin_data;
  // Per stream; output past it is read and dropped (see ChildResult).
  size_t max_output_bytes = size_t{64} << 20;
};

// ChildResult says how a child ended and what it printed.
struct ChildResult {
  pid_t pid = 0;           // the child's pid (and process group id)
  bool exited = false;     // ended by exit(): exit_code is valid
  int exit_code = 0;
  int signal = 0;          // ended by this signal (0 if exited)
  bool timed_out = false;  // we sent SIGTERM/SIGKILL because of the timeout
  std::string out, err;    // stdout, stderr
  bool out_truncated = false, err_truncated = false;  // hit max_output_bytes
  absl::Duration elapsed;  // from spawn to reaping
};

// RunChild() runs a child as described above. Errors are for the harness
// (no argv, spawn failed: e.g. NOT_FOUND when the program does not exist);
// whatever the child does is a ChildResult.
//
// The child starts with an empty signal mask and default signal dispositions
// (whatever the calling thread blocked or this process ignored), and only
// fds 0, 1, 2 open. The calling thread's SIGPIPE is blocked while stdin is
// written.
absl::StatusOr<ChildResult> RunChild(const ChildOptions& options);

// KillAllChildren() sends SIGKILL to the process group (and to the pid, in
// case it left its group) of every child RunChild() is running now, in any
// thread, and returns how many children it signalled. Each of those
// RunChild() calls then returns as for a child killed from outside (signal
// SIGKILL, timed_out false). Async-signal-safe (no lock, no allocation): it
// may be called from a signal handler. A child spawned while it runs may be
// missed; at most kMaxLiveChildren children are known at once (one started
// past that runs, but is not killed by it).
inline constexpr int kMaxLiveChildren = 1024;
int KillAllChildren();

// SelfExe() returns the path of this process's executable (/proc/self/exe).
absl::StatusOr<std::string> SelfExe();

}  // namespace endgame

#endif  // ENDGAME_BASE_SUBPROCESS_H_
