// File: bench/python_loop.cc
#include "bench/python_loop.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

extern char** environ;

namespace endgame::bench {
namespace {

// One cycle per input line; errors end the child with a message on stdout.
constexpr char kScript[] = R"PY(
import sys, time
try:
    import _interpreters as m
    def create(): return m.create('isolated')
    def run(i): return m.exec(i, 'pass')
except ImportError:
    import _xxsubinterpreters as m
    def create(): return m.create(isolated=True)
    def run(i): return m.run_string(i, 'pass')
for line in sys.stdin:
    try:
        c0 = time.process_time_ns()
        t0 = time.perf_counter_ns()
        i = create()
        r = run(i)
        m.destroy(i)
        t = time.perf_counter_ns() - t0
        c = time.process_time_ns() - c0
        if r is not None:
            raise RuntimeError(f'exec failed: {r}')
    except Exception as e:
        print(f'error {type(e).__name__}: {e}', flush=True)
        break
    print(t, c, flush=True)
)PY";

}  // namespace

absl::StatusOr<std::unique_ptr<PythonLoop>> PythonLoop::Start(const std::string& python) {
  if (python.empty()) return absl::NotFoundError("no interpreter binary beside the embedded CPython");
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  std::string exe = python;
  std::string dash_s = "-S", dash_c = "-c", script = kScript;
  char* argv[] = {exe.data(), dash_s.data(), dash_c.data(), script.data(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    return absl::NotFoundError(absl::StrCat("cannot start ", python, ": ", std::strerror(rc)));
  }
  return std::unique_ptr<PythonLoop>(new PythonLoop(pid, fdopen(in[1], "w"), fdopen(out[0], "r")));
}

PythonLoop::~PythonLoop() {
  std::fclose(to_);
  std::fclose(from_);
  int status;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

absl::StatusOr<PythonLoop::CycleTimes> PythonLoop::Cycle() {
  if (std::fputs("1\n", to_) < 0 || std::fflush(to_) != 0) {
    return absl::UnavailableError("the Python loop process is gone");
  }
  char line[512];
  if (std::fgets(line, sizeof line, from_) == nullptr) {
    return absl::UnavailableError("the Python loop process ended without an answer");
  }
  absl::string_view answer = absl::StripAsciiWhitespace(line);
  std::vector<absl::string_view> f = absl::StrSplit(answer, ' ');
  CycleTimes t;
  if (f.size() != 2 || !absl::SimpleAtoi(f[0], &t.wall_ns) || !absl::SimpleAtoi(f[1], &t.cpu_ns)) {
    return absl::InternalError(absl::StrCat("python loop: ", answer));
  }
  return t;
}

}  // namespace endgame::bench
