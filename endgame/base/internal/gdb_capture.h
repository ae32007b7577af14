// File: endgame/base/internal/gdb_capture.h
//
// Runs gdb attached to this very process under an external timeout (see
// stacks.h for why the timeout cannot be enforced from inside). Private to
// endgame/base.
//
//   GdbRun run = RunGdbOnSelf("/usr/bin/gdb", {"thread apply all bt"},
//                             absl::Seconds(20), 16 << 20).value();
//   if (run.timed_out) { ... run.output is what gdb printed until then ... }
#ifndef ENDGAME_BASE_INTERNAL_GDB_CAPTURE_H_
#define ENDGAME_BASE_INTERNAL_GDB_CAPTURE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace endgame::base_internal {

// GdbRun is what one gdb run gave.
struct GdbRun {
  std::string output;      // stdout and stderr of gdb, interleaved
  bool timed_out = false;  // gdb was killed at the timeout
  int exec_errno = 0;      // gdb could not be executed (errno of execve)
  int wait_status = 0;     // gdb's wait status when it ended by itself
};

// FindProgram() returns `name` if it contains a '/' and is executable, else
// the first executable `name` in PATH, else "".
std::string FindProgram(const std::string& name);

// RunGdbOnSelf() runs `gdb -p <getpid()> -batch -nx` with `-ex` for each of
// `commands`, with LC_ALL=C and without the PYTHON*, LD_PRELOAD,
// LD_LIBRARY_PATH and DEBUGINFOD_URLS variables of this process (gdb embeds
// its own Python). gdb is killed after `timeout`; output past `max_output`
// bytes is dropped. Allows any process to ptrace this one
// (PR_SET_PTRACER_ANY, on Yama systems) from then on.
absl::StatusOr<GdbRun> RunGdbOnSelf(const std::string& gdb_path,
                                     const std::vector<std::string>& commands,
                                     absl::Duration timeout, size_t max_output);

}  // namespace endgame::base_internal

#endif  // ENDGAME_BASE_INTERNAL_GDB_CAPTURE_H_
