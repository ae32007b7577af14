#include "endgame/base/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

extern char** environ;

namespace endgame {
namespace {

absl::Duration MonoNow() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return absl::DurationFromTimespec(ts);
}

absl::Status ErrnoStatus(int err, absl::string_view what) {
  std::string msg = absl::StrCat(what, ": ", std::strerror(err));
  switch (err) {
    case ENOENT:
      return absl::NotFoundError(msg);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(msg);
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EAGAIN:
      return absl::ResourceExhaustedError(msg);
    default:
      return absl::InternalError(msg);
  }
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);  // never retried on EINTR (Linux closes anyway)
  fd = -1;
}

// Owns the fds of one RunChild() call.
struct Fds {
  int in_w = -1, out_r = -1, err_r = -1, pidfd = -1;
  int child_in = -1, child_out = -1, child_err = -1;
  ~Fds() {
    for (int* fd : {&in_w, &out_r, &err_r, &pidfd, &child_in, &child_out, &child_err}) CloseFd(*fd);
  }
};

// Moves `fd` to a number >= 3 (so that a process started without stdio cannot
// have its pipes clobbered by the child's dup2 onto 0..2), close-on-exec.
absl::Status AboveStdio(int& fd) {
  if (fd > 2) return absl::OkStatus();
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (moved < 0) return ErrnoStatus(errno, "fcntl(F_DUPFD_CLOEXEC)");
  close(fd);
  fd = moved;
  return absl::OkStatus();
}

absl::Status MakePipe(int& read_end, int& write_end) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return ErrnoStatus(errno, "pipe2");
  read_end = p[0];
  write_end = p[1];
  absl::Status s = AboveStdio(read_end);
  if (s.ok()) s = AboveStdio(write_end);
  return s;
}

std::vector<std::string> ChildEnvironment(const std::vector<std::string>& add) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
  for (const std::string& entry : add) {
    absl::string_view key = absl::string_view(entry).substr(0, entry.find('='));
    env.erase(std::remove_if(env.begin(), env.end(),
                             [&](const std::string& have) {
                               return absl::string_view(have).substr(0, have.find('=')) == key;
                             }),
              env.end());
    env.push_back(entry);
  }
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// posix_spawn attributes and file actions, destroyed on scope exit.
class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions_);
    posix_spawnattr_init(&attr_);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attr_);
  }
  posix_spawn_file_actions_t* actions() { return &actions_; }
  posix_spawnattr_t* attr() { return &attr_; }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attr_;
};

// Appends what `fd` has to `sink` (up to `max`); closes `fd` at EOF or error.
void Drain(int& fd, std::string& sink, size_t max, bool& truncated) {
  char buf[65536];
  while (fd >= 0) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      CloseFd(fd);
      return;
    }
    size_t room = max > sink.size() ? max - sink.size() : 0;
    size_t take = std::min(room, static_cast<size_t>(n));
    sink.append(buf, take);
    if (take < static_cast<size_t>(n)) truncated = true;
  }
}

// Blocks SIGPIPE in the calling thread while stdin is written, and swallows
// the SIGPIPE a write to a closed pipe leaves pending.
class ScopedNoSigpipe {
 public:
  ScopedNoSigpipe() {
    sigset_t pipe_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_);
  }
  ~ScopedNoSigpipe() {
    if (got_epipe && !was_pending_) {
      sigset_t pipe_set;
      sigemptyset(&pipe_set);
      sigaddset(&pipe_set, SIGPIPE);
      struct timespec zero = {0, 0};
      while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  bool got_epipe = false;

 private:
  sigset_t old_;
  bool was_pending_ = false;
};

int PidfdOpen(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
#else
  errno = ENOSYS;
  return -1;
#endif
}

// Tells whether `pid` has ended, leaving it a zombie (so that its pid, which
// is also its process group id, cannot be reused before we kill the group).
bool HasEnded(pid_t pid) {
  siginfo_t info;
  std::memset(&info, 0, sizeof(info));
  int rc;
  do {
    rc = waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return errno == ECHILD;  // reaped by someone else: gone
  return info.si_pid == pid;
}

// The children RunChild() is running, for KillAllChildren(): fixed slots of
// pids (0: free), so that the killer takes no lock and allocates nothing.
std::atomic<pid_t> g_live_children[kMaxLiveChildren];
static_assert(std::atomic<pid_t>::is_always_lock_free, "KillAllChildren() must be async-signal-safe");
// KillAllChildren() calls under way. A child leaves its slot, then is reaped
// only once none is under way: a killer that read its pid signals it while
// the pid (and process group id) is still the child's, never a reused one.
std::atomic<int> g_killers{0};

// Keeps one running child in g_live_children until Release(), which must
// come before the child is reaped.
class LiveChild {
 public:
  explicit LiveChild(pid_t pid) {
    for (int i = 0; i < kMaxLiveChildren && slot_ < 0; ++i) {
      pid_t free = 0;
      if (g_live_children[i].compare_exchange_strong(free, pid)) slot_ = i;
    }
  }
  ~LiveChild() { Release(); }
  LiveChild(const LiveChild&) = delete;
  LiveChild& operator=(const LiveChild&) = delete;

  void Release() {
    if (slot_ < 0) return;
    g_live_children[slot_].store(0);
    slot_ = -1;
    while (g_killers.load() != 0) sched_yield();
  }

 private:
  int slot_ = -1;
};

}  // namespace

absl::StatusOr<ChildResult> RunChild(const ChildOptions& options) {
  if (options.argv.empty() || options.argv[0].empty()) {
    return absl::InvalidArgumentError("RunChild: empty argv");
  }
  std::vector<std::string> argv_strings = options.argv;
  std::vector<char*> argv = CStrings(argv_strings);
  std::vector<std::string> env_strings = ChildEnvironment(options.env_add);
  std::vector<char*> envp = CStrings(env_strings);

  Fds fds;
  bool feed_stdin = !options.stdin_data.empty();
  if (feed_stdin) {
    absl::Status s = MakePipe(fds.child_in, fds.in_w);
    if (!s.ok()) return s;
  }
  absl::Status s = MakePipe(fds.out_r, fds.child_out);
  if (s.ok()) s = MakePipe(fds.err_r, fds.child_err);
  if (!s.ok()) return s;

  SpawnSetup setup;
  posix_spawn_file_actions_t* fa = setup.actions();
  if (feed_stdin) {
    posix_spawn_file_actions_adddup2(fa, fds.child_in, 0);
  } else {
    posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(fa, fds.child_out, 1);
  posix_spawn_file_actions_adddup2(fa, fds.child_err, 2);
  posix_spawn_file_actions_addclosefrom_np(fa, 3);
  posix_spawnattr_t* attr = setup.attr();
  posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                     POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(attr, 0);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(attr, &none);
  posix_spawnattr_setsigdefault(attr, &all);

  ChildResult result;
  absl::Duration start = MonoNow();
  int rc = posix_spawnp(&result.pid, argv[0], fa, attr, argv.data(), envp.data());
  if (rc != 0) return ErrnoStatus(rc, absl::StrCat("spawn ", options.argv[0]));
  CloseFd(fds.child_in);
  CloseFd(fds.child_out);
  CloseFd(fds.child_err);
  const pid_t pid = result.pid;
  LiveChild live(pid);
  fds.pidfd = PidfdOpen(pid);

  for (int* fd : {&fds.in_w, &fds.out_r, &fds.err_r}) {
    if (*fd >= 0) fcntl(*fd, F_SETFL, fcntl(*fd, F_GETFL) | O_NONBLOCK);
  }
  ScopedNoSigpipe no_sigpipe;
  size_t in_done = 0;

  const absl::Duration term_at = options.timeout == absl::InfiniteDuration()
                                     ? absl::InfiniteDuration()
                                     : start + options.timeout;
  absl::Duration kill_at = absl::InfiniteDuration();
  bool term_sent = false, kill_sent = false, ended = false;
  absl::Duration drain_until = absl::InfiniteDuration();

  while (true) {
    absl::Duration now = MonoNow();
    if (!ended && !term_sent && now >= term_at) {
      result.timed_out = true;
      term_sent = true;
      kill(-pid, SIGTERM);
      kill(pid, SIGTERM);  // in case it left its process group
      kill_at = now + options.kill_grace;
    }
    if (!ended && term_sent && !kill_sent && now >= kill_at) {
      kill_sent = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
    }
    if (!ended && HasEnded(pid)) {
      ended = true;
      // Leftovers of its process group would keep our pipes open: kill them
      // while the zombie still holds the group id, then read to EOF (bounded).
      kill(-pid, SIGKILL);
      drain_until = MonoNow() + absl::Seconds(1);
      CloseFd(fds.in_w);
    }
    if (ended && ((fds.out_r < 0 && fds.err_r < 0) || MonoNow() >= drain_until)) break;

    struct pollfd pfds[4];
    int n = 0;
    int out_i = -1, err_i = -1, in_i = -1;
    if (fds.out_r >= 0) {
      out_i = n;
      pfds[n++] = {fds.out_r, POLLIN, 0};
    }
    if (fds.err_r >= 0) {
      err_i = n;
      pfds[n++] = {fds.err_r, POLLIN, 0};
    }
    if (fds.in_w >= 0) {
      in_i = n;
      pfds[n++] = {fds.in_w, POLLOUT, 0};
    }
    if (!ended && fds.pidfd >= 0) pfds[n++] = {fds.pidfd, POLLIN, 0};

    absl::Duration next = ended ? drain_until : (term_sent ? kill_at : term_at);
    if (kill_sent && !ended) next = absl::InfiniteDuration();
    absl::Duration wait = next - MonoNow();
    // Without a pidfd, look for the child's end every 20 ms.
    if (!ended && fds.pidfd < 0) wait = std::min(wait, absl::Milliseconds(20));
    int wait_ms = wait == absl::InfiniteDuration()
                      ? -1
                      : static_cast<int>(std::clamp<int64_t>(
                            absl::ToInt64Milliseconds(wait + absl::Microseconds(999)), 0, 1000));
    if (wait_ms < 0) wait_ms = 1000;  // wake at least once a second
    int ready = poll(pfds, static_cast<nfds_t>(n), wait_ms);
    if (ready < 0 && errno != EINTR) {
      // Should not happen; never leave the child behind.
      absl::Status s = ErrnoStatus(errno, "poll");
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      live.Release();
      int status;
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return s;
    }
    if (ready <= 0) continue;
    if (out_i >= 0 && pfds[out_i].revents != 0) {
      Drain(fds.out_r, result.out, options.max_output_bytes, result.out_truncated);
    }
    if (err_i >= 0 && pfds[err_i].revents != 0) {
      Drain(fds.err_r, result.err, options.max_output_bytes, result.err_truncated);
    }
    if (in_i >= 0 && pfds[in_i].revents != 0) {
      while (fds.in_w >= 0 && in_done < options.stdin_data.size()) {
        ssize_t w = write(fds.in_w, options.stdin_data.data() + in_done,
                          options.stdin_data.size() - in_done);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (w < 0) {
          if (errno == EPIPE) no_sigpipe.got_epipe = true;
          CloseFd(fds.in_w);  // the child closed its stdin: it does not want the rest
          break;
        }
        in_done += static_cast<size_t>(w);
      }
      if (in_done == options.stdin_data.size()) CloseFd(fds.in_w);
    }
  }

  live.Release();
  int status = 0;
  pid_t got;
  do {
    got = waitpid(pid, &status, 0);
  } while (got < 0 && errno == EINTR);
  result.elapsed = MonoNow() - start;
  if (got != pid) return ErrnoStatus(errno, absl::StrCat("waitpid ", pid));
  if (WIFEXITED(status)) {
    result.exited = true;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

int KillAllChildren() {
  const int saved_errno = errno;  // a signal handler's caller keeps its errno
  g_killers.fetch_add(1);
  int signalled = 0;
  for (std::atomic<pid_t>& slot : g_live_children) {
    pid_t pid = slot.load();
    if (pid == 0) continue;
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);  // in case it left its process group
    ++signalled;
  }
  g_killers.fetch_sub(1);
  errno = saved_errno;
  return signalled;
}

absl::StatusOr<std::string> SelfExe() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf));
  if (n < 0) return ErrnoStatus(errno, "readlink /proc/self/exe");
  if (static_cast<size_t>(n) == sizeof(buf)) return absl::OutOfRangeError("/proc/self/exe: path too long");
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace endgame
