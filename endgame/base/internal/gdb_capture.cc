#include "endgame/base/internal/gdb_capture.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"

extern char** environ;

// The supervisor runs in a copy of this process made by a raw clone() while
// other threads may hold any lock (malloc's, the sanitizer runtime's): it must
// run no instrumented code and call nothing but raw system calls.
#if defined(__clang__) && defined(__has_attribute)
#if __has_attribute(disable_sanitizer_instrumentation)
#define ENDGAME_NO_INSTRUMENTATION __attribute__((disable_sanitizer_instrumentation))
#endif
#endif
#ifndef ENDGAME_NO_INSTRUMENTATION
#define ENDGAME_NO_INSTRUMENTATION __attribute__((no_sanitize("address", "thread", "undefined")))
#endif

namespace endgame::base_internal {
namespace {

// Written by the supervisor and gdb's process, read by us: a MAP_SHARED page.
struct Shared {
  volatile int wait_status;
  volatile int timed_out;
  volatile int exec_errno;
  volatile int gdb_ended;
};

// Everything the supervisor needs, prepared before the clone.
struct Launch {
  const char* path;
  char* const* argv;
  char* const* envp;
  int out_fd;
  int null_fd;
  int64_t timeout_ns;
  pid_t parent;
  Shared* shared;
};

ENDGAME_NO_INSTRUMENTATION int64_t RawMonotonicNs() {
  struct timespec ts = {0, 0};
  syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

ENDGAME_NO_INSTRUMENTATION void RawSetSignalMask(uint64_t mask) {
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, nullptr, sizeof(mask));
}

// Forks the supervisor: a process that forks and execs gdb, waits for it at
// most `timeout_ns`, then kills it and wakes this process up (SIGCONT). Returns
// the supervisor's pid (or -1, errno set) in the parent; never returns in the
// children.
ENDGAME_NO_INSTRUMENTATION __attribute__((noinline)) long ForkSupervisor(const Launch* l) {
  long sup = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (sup != 0) return sup;  // parent (or error)

  // Supervisor. Signals meant for this process group must not run this
  // process's handlers in the copy.
  RawSetSignalMask(~uint64_t{0});
  syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (syscall(SYS_getppid) != l->parent) syscall(SYS_exit_group, 1);
#ifdef SYS_close_range
  // Keep no copies of this process's other fds (a pipe's write end held
  // here would delay its reader's EOF until gdb is done).
  {
    unsigned lo = static_cast<unsigned>(l->out_fd < l->null_fd ? l->out_fd : l->null_fd);
    unsigned hi = static_cast<unsigned>(l->out_fd < l->null_fd ? l->null_fd : l->out_fd);
    if (lo > 3) syscall(SYS_close_range, 3U, lo - 1, 0U);
    if (hi > lo + 1) syscall(SYS_close_range, lo + 1, hi - 1, 0U);
    syscall(SYS_close_range, hi + 1, ~0U, 0U);
  }
#endif
  const int64_t deadline = RawMonotonicNs() + l->timeout_ns;
  long gdb = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (gdb == 0) {
    // gdb's process.
    syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    RawSetSignalMask(0);
    syscall(SYS_dup3, l->null_fd, 0, 0);
    syscall(SYS_dup3, l->out_fd, 1, 0);
    syscall(SYS_dup3, l->out_fd, 2, 0);
#ifdef SYS_close_range
    syscall(SYS_close_range, 3, ~0U, 0);
#endif
    syscall(SYS_execve, l->path, l->argv, l->envp);
    l->shared->exec_errno = errno;
    syscall(SYS_exit_group, 127);
  }
  if (gdb < 0) {
    l->shared->exec_errno = errno;
    syscall(SYS_exit_group, 2);
  }
  while (true) {
    int status = 0;
    long r = syscall(SYS_wait4, gdb, &status, WNOHANG, nullptr);
    if (r == gdb) {
      l->shared->wait_status = status;
      l->shared->gdb_ended = 1;
      syscall(SYS_exit_group, 0);
    }
    if (r < 0 && errno != EINTR) syscall(SYS_exit_group, 3);
    if (RawMonotonicNs() >= deadline) {
      syscall(SYS_kill, gdb, SIGKILL);
      while (syscall(SYS_wait4, gdb, &status, 0, nullptr) < 0 && errno == EINTR) {
      }
      l->shared->timed_out = 1;
      // A thread gdb had not yet taken the attach SIGSTOP from would stop the
      // whole process once gdb is gone.
      syscall(SYS_kill, l->parent, SIGCONT);
      syscall(SYS_exit_group, 0);
    }
    struct timespec nap = {0, 5 * 1000 * 1000};
    syscall(SYS_nanosleep, &nap, nullptr);
  }
}

absl::Status ErrnoError(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

// Moves `fd` to a number >= 3 so that the dup3() onto 0..2 cannot clobber it.
int AboveStdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  close(fd);
  return moved;
}

bool KeepForGdb(absl::string_view entry) {
  absl::string_view key = entry.substr(0, entry.find('='));
  return !absl::StartsWith(key, "PYTHON") && key != "LD_PRELOAD" && key != "LD_LIBRARY_PATH" &&
         key != "DEBUGINFOD_URLS" && key != "LC_ALL";
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::string FindProgram(const std::string& name) {
  if (name.empty()) return "";
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path ? path : "/usr/bin:/bin", ':')) {
    if (dir.empty()) continue;
    std::string candidate = absl::StrCat(dir, "/", name);
    struct stat st;
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return "";
}

absl::StatusOr<GdbRun> RunGdbOnSelf(const std::string& gdb_path,
                                     const std::vector<std::string>& commands,
                                     absl::Duration timeout, size_t max_output) {
  // Yama (ptrace_scope=1) lets only ancestors trace us; gdb is a descendant.
  // EINVAL without Yama: nothing to do.
  prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);

  const pid_t self = getpid();
  std::vector<std::string> args = {gdb_path, "-p", absl::StrCat(self), "-batch", "-nx",
                                   "-iex", "set debuginfod enabled off"};
  for (const char* setting : {"set pagination off", "set width 0", "set height 0",
                              "set print thread-events off"}) {
    args.insert(args.end(), {"-ex", setting});
  }
  for (const std::string& c : commands) args.insert(args.end(), {"-ex", c});
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (KeepForGdb(*e)) env.emplace_back(*e);
  }
  env.emplace_back("LC_ALL=C");
  std::vector<char*> argv = CStrings(args);
  std::vector<char*> envp = CStrings(env);

  int out_fd = AboveStdio(memfd_create("endgame-gdb", MFD_CLOEXEC));
  if (out_fd < 0) return ErrnoError("memfd_create");
  int null_fd = AboveStdio(open("/dev/null", O_RDWR | O_CLOEXEC));
  if (null_fd < 0) {
    close(out_fd);
    return ErrnoError("open /dev/null");
  }
  void* page = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                    -1, 0);
  if (page == MAP_FAILED) {
    close(out_fd);
    close(null_fd);
    return ErrnoError("mmap");
  }
  Shared* shared = static_cast<Shared*>(page);
  shared->wait_status = 0;
  shared->timed_out = 0;
  shared->exec_errno = 0;
  shared->gdb_ended = 0;

  int64_t timeout_ns = timeout == absl::InfiniteDuration()
                           ? INT64_MAX / 2
                           : absl::ToInt64Nanoseconds(std::max(timeout, absl::ZeroDuration()));
  Launch launch = {argv[0], argv.data(), envp.data(), out_fd, null_fd, timeout_ns, self, shared};
  long sup = ForkSupervisor(&launch);
  if (sup < 0) {
    absl::Status s = ErrnoError("clone");
    munmap(page, sizeof(Shared));
    close(out_fd);
    close(null_fd);
    return s;
  }

  // While gdb is attached this thread is stopped as well; when it runs, it
  // waits for the supervisor, with a bound of its own in case the supervisor
  // itself goes wrong.
  GdbRun run;
  const absl::Time hard_deadline =
      timeout == absl::InfiniteDuration() ? absl::InfiniteFuture()
                                          : absl::Now() + timeout + absl::Seconds(10);
  while (true) {
    int status = 0;
    pid_t r = waitpid(static_cast<pid_t>(sup), &status, WNOHANG);
    if (r == sup || (r < 0 && errno != EINTR)) break;  // ECHILD: reaped elsewhere
    if (absl::Now() >= hard_deadline) {
      kill(static_cast<pid_t>(sup), SIGKILL);  // gdb dies with it (PR_SET_PDEATHSIG)
      while (waitpid(static_cast<pid_t>(sup), &status, 0) < 0 && errno == EINTR) {
      }
      run.timed_out = true;
      kill(self, SIGCONT);
      break;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  run.timed_out = run.timed_out || shared->timed_out != 0;
  run.exec_errno = shared->exec_errno;
  run.wait_status = shared->wait_status;
  munmap(page, sizeof(Shared));
  close(null_fd);

  char buf[65536];
  off_t offset = 0;
  while (run.output.size() < max_output) {
    ssize_t n = pread(out_fd, buf, sizeof(buf), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    offset += n;
    run.output.append(buf, std::min(static_cast<size_t>(n), max_output - run.output.size()));
  }
  close(out_fd);
  return run;
}

}  // namespace endgame::base_internal
