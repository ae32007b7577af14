#include "endgame/base/internal/signal_capture.h"

#include <execinfo.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "endgame/base/mutex.h"
#include "endgame/base/proc.h"
#include "endgame/base/symbolize.h"

namespace endgame::base_internal {
namespace {

constexpr int kMaxFrames = 256;

// A slot goes kRequested -> kWriting -> kDone in the thread's handler, or
// kRequested -> kAbandoned in the capturing thread when the thread is gone
// or too late. The compare-and-swap on kRequested decides who wins.
enum SlotState : int { kRequested, kWriting, kDone, kAbandoned };

struct Slot {
  std::atomic<pid_t> tid{0};
  std::atomic<int> state{kRequested};
  int depth = 0;  // written by the handler before state becomes kDone
  void* frames[kMaxFrames];
};

// One capture's slots, allocated before any signal is sent: the handler only
// writes into them.
struct Capture {
  Capture(size_t n, int frames) : slots(new Slot[n]), count(n), max_frames(frames) {}
  std::unique_ptr<Slot[]> slots;
  const size_t count;
  const int max_frames;
};

// The capture in progress; handlers count themselves in g_in_handler before
// they look at it, so that the capturing thread knows when none can still
// touch it.
std::atomic<Capture*> g_capture{nullptr};
std::atomic<int> g_in_handler{0};

ABSL_CONST_INIT Mutex g_mu;
// The signal whose handler we installed (0: none yet).
int g_installed_signal ABSL_GUARDED_BY(g_mu) = 0;
// Captures a handler might still write into (stuck in backtrace()): kept
// forever rather than freed under its feet.
std::vector<Capture*>* g_leaked ABSL_GUARDED_BY(g_mu) = nullptr;

// Async-signal-safe: atomics, getpid, gettid, backtrace (made safe by a first
// call outside any handler, which loads libgcc_s).
void StackSignalHandler(int, siginfo_t* info, void*) {
  int saved_errno = errno;
  g_in_handler.fetch_add(1);
  Capture* c = g_capture.load();
  if (c != nullptr && info != nullptr && info->si_code == SI_TKILL && info->si_pid == getpid()) {
    pid_t self = static_cast<pid_t>(syscall(SYS_gettid));
    for (size_t i = 0; i < c->count; ++i) {
      Slot& s = c->slots[i];
      if (s.tid.load(std::memory_order_relaxed) != self) continue;
      int expected = kRequested;
      if (s.state.compare_exchange_strong(expected, kWriting)) {
        s.depth = backtrace(s.frames, c->max_frames);
        s.state.store(kDone, std::memory_order_release);
      }
      break;
    }
  }
  g_in_handler.fetch_sub(1);
  errno = saved_errno;
}

absl::Status InstallHandler(int sig) ABSL_EXCLUSIVE_LOCKS_REQUIRED(g_mu) {
  if (g_installed_signal == sig) return absl::OkStatus();
  struct sigaction old;
  if (sigaction(sig, nullptr, &old) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("signal ", sig, ": ", std::strerror(errno)));
  }
  bool ours = (old.sa_flags & SA_SIGINFO) && old.sa_sigaction == StackSignalHandler;
  bool unused = !(old.sa_flags & SA_SIGINFO) &&
                (old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN);
  if (!ours && !unused) {
    return absl::FailedPreconditionError(
        absl::StrCat("signal ", sig, " already has a handler; set StackOptions::fallback_signal"));
  }
  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = StackSignalHandler;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  // The handler stays installed for good: a late signal with the default
  // action would kill the process.
  if (sigaction(sig, &sa, nullptr) != 0) {
    return absl::InternalError(absl::StrCat("sigaction: ", std::strerror(errno)));
  }
  g_installed_signal = sig;
  return absl::OkStatus();
}

std::string SignalLabel(int sig) {
  return sig >= SIGRTMIN ? absl::StrCat("SIGRTMIN+", sig - SIGRTMIN) : absl::StrCat(sig);
}

// Tells whether `f` is the kernel's signal return trampoline, the caller of
// every signal handler (glibc's __restore_rt is not in libc's .dynsym, so on
// x86-64 it is recognized by its code: mov $15,%rax; syscall).
bool IsSignalTrampoline(const SymbolizedFrame& f) {
  if (f.function == "__restore_rt" || f.function == "__kernel_rt_sigreturn") return true;
#if defined(__x86_64__)
  static constexpr unsigned char kRestoreRt[] = {0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05};
  return f.pc != 0 && !f.module.empty() &&
         std::memcmp(reinterpret_cast<const void*>(f.pc), kRestoreRt, sizeof(kRestoreRt)) == 0;
#else
  return false;
#endif
}

// Formats one answered slot, dropping the handler's own frames.
void FormatFrames(const Slot& s, Symbolizer& symbolizer, std::string* out) {
  std::vector<SymbolizedFrame> frames;
  for (int i = 0; i < s.depth; ++i) frames.push_back(symbolizer.Symbolize(s.frames[i], i > 0));
  size_t first = 0;
  for (size_t i = 0; i < frames.size() && i < 24; ++i) {
    if (frames[i].function.find("StackSignalHandler") == std::string::npos) continue;
    first = i + 1;
    // Below the trampoline is the interrupted pc itself, not a return address.
    if (first < frames.size() && IsSignalTrampoline(frames[first])) {
      ++first;
      if (first < frames.size()) {
        frames[first] = symbolizer.Symbolize(s.frames[first], /*return_address=*/false);
      }
    }
    break;
  }
  for (size_t i = first; i < frames.size(); ++i) {
    absl::StrAppend(out, absl::StrFormat("#%-2d ", i - first), frames[i].ToString(), "\n");
  }
}

}  // namespace

absl::StatusOr<std::string> CaptureStacksInProcess(const StackOptions& options) {
  MutexLock lock(&g_mu);
  const int sig = options.fallback_signal != 0 ? options.fallback_signal : SIGRTMIN + 5;
  absl::Status installed = InstallHandler(sig);
  if (!installed.ok()) return installed;
  {
    // Loads libgcc_s (malloc, dlopen) here rather than in a handler.
    void* warm[2];
    backtrace(warm, 2);
  }

  const pid_t pid = getpid();
  std::vector<pid_t> tids = ThreadIds();
  if (tids.empty()) return absl::UnavailableError("cannot list /proc/self/task");
  // Main thread first, then by tid (roughly creation order, as gdb numbers).
  std::stable_partition(tids.begin(), tids.end(), [&](pid_t t) { return t == pid; });
  std::vector<std::string> names;
  for (pid_t t : tids) names.push_back(ThreadName(t));

  auto* c = new Capture(tids.size(), std::clamp(options.max_frames, 1, kMaxFrames));
  for (size_t i = 0; i < tids.size(); ++i) c->slots[i].tid.store(tids[i]);
  g_capture.store(c);
  std::vector<bool> gone(tids.size(), false);
  const pid_t self = static_cast<pid_t>(syscall(SYS_gettid));
  for (size_t i = 0; i < tids.size(); ++i) {
    if (tids[i] == self) {
      // This thread needs no signal (and may well block it).
      int expected = kRequested;
      if (c->slots[i].state.compare_exchange_strong(expected, kWriting)) {
        c->slots[i].depth = backtrace(c->slots[i].frames, c->max_frames);
        c->slots[i].state.store(kDone, std::memory_order_release);
      }
      continue;
    }
    if (syscall(SYS_tgkill, pid, tids[i], sig) != 0) {
      int expected = kRequested;
      c->slots[i].state.compare_exchange_strong(expected, kAbandoned);
      gone[i] = true;
    }
  }
  const absl::Time deadline = absl::Now() + options.fallback_wait;
  while (true) {
    bool pending = false;
    for (size_t i = 0; i < c->count; ++i) {
      int st = c->slots[i].state.load(std::memory_order_acquire);
      pending = pending || st == kRequested || st == kWriting;
    }
    if (!pending || absl::Now() >= deadline) break;
    absl::SleepFor(absl::Milliseconds(1));
  }
  g_capture.store(nullptr);
  for (size_t i = 0; i < c->count; ++i) {
    int expected = kRequested;
    c->slots[i].state.compare_exchange_strong(expected, kAbandoned);
  }
  // A handler that saw the capture before it was withdrawn may still run.
  const absl::Time drain = absl::Now() + absl::Milliseconds(200);
  while (g_in_handler.load() != 0 && absl::Now() < drain) absl::SleepFor(absl::Milliseconds(1));
  bool writing = g_in_handler.load() != 0;

  Symbolizer symbolizer;
  std::string out;
  for (size_t i = 0; i < c->count; ++i) {
    const Slot& s = c->slots[i];
    absl::StrAppend(&out, "\nThread ", i + 1, " (LWP ", tids[i], " \"", names[i], "\"):\n");
    int st = s.state.load(std::memory_order_acquire);
    if (st == kDone) {
      FormatFrames(s, symbolizer, &out);
    } else if (gone[i]) {
      absl::StrAppend(&out, "(thread exited before it could be signalled)\n");
    } else {
      writing = writing || st == kWriting;
      absl::StrAppend(&out, "(no answer to signal ", SignalLabel(sig), " within ",
                      absl::FormatDuration(options.fallback_wait),
                      ": the thread blocks it or cannot run)\n");
    }
  }
  if (writing) {
    if (g_leaked == nullptr) g_leaked = new std::vector<Capture*>();
    g_leaked->push_back(c);
  } else {
    delete c;
  }
  return out;
}

}  // namespace endgame::base_internal
