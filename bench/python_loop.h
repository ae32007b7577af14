// File: bench/python_loop.h
//
// The pure-Python reference loop for the harness-overhead figures: a child
// process of the embedded CPython's own interpreter binary (run with -S, as
// the benchmarks run without `site`) that, for every line it reads, runs one
// `create; exec 'pass'; destroy` cycle on the interpreters module
// (`_interpreters` on 3.13+, `_xxsubinterpreters` before) and answers with
// its duration in nanoseconds, timed in the child with time.perf_counter_ns
// (wall) and time.process_time_ns (CPU of the whole Python process).
// Asking cycle by cycle lets the C++ side interleave its own loops with it.
//
// Example:
//   ENDGAME_ASSIGN_OR_RETURN(std::unique_ptr<PythonLoop> loop, PythonLoop::Start(caps.executable));
//   ENDGAME_ASSIGN_OR_RETURN(PythonLoop::CycleTimes t, loop->Cycle());
#ifndef ENDGAME_BENCH_PYTHON_LOOP_H_
#define ENDGAME_BENCH_PYTHON_LOOP_H_

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace endgame::bench {

class PythonLoop {
 public:
  // Starts `python` with the loop script; fails when it cannot be started.
  static absl::StatusOr<std::unique_ptr<PythonLoop>> Start(const std::string& python);
  // Closes the child's stdin and reaps it.
  ~PythonLoop();
  PythonLoop(const PythonLoop&) = delete;
  PythonLoop& operator=(const PythonLoop&) = delete;

  struct CycleTimes {
    int64_t wall_ns = 0;
    int64_t cpu_ns = 0;
  };
  // Runs one cycle in the child; its durations, or why it failed (the
  // child's last words, e.g. an exception from the interpreters module).
  absl::StatusOr<CycleTimes> Cycle();

 private:
  PythonLoop(pid_t pid, std::FILE* to, std::FILE* from) : pid_(pid), to_(to), from_(from) {}
  pid_t pid_;
  std::FILE* to_;    // the child's stdin
  std::FILE* from_;  // the child's stdout
};

}  // namespace endgame::bench

#endif  // ENDGAME_BENCH_PYTHON_LOOP_H_
