#include "endgame/run/crash_stacks.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace endgame::run {
namespace {

// Prepared before any crash: argv for gdb, owned for the process's life.
std::vector<std::string>* g_args = nullptr;
std::vector<char*>* g_argv = nullptr;

void Handler(int sig) {
  // One dump per process: the first signal's thread takes it and ends the
  // process with that signal. A thread that arrives later is a consequence,
  // not the cause: gdb's attach and detach can make a thread's futex wait
  // fail, which glibc answers with "The futex facility returned an
  // unexpected error code" and abort() (seen on Linux 6.18: a SIGSEGV then
  // ended as SIGABRT). It parks, so that the first signal decides the
  // verdict.
  static std::atomic<int> first{0};
  static_assert(std::atomic<int>::is_always_lock_free, "used in a signal handler");
  int none = 0;
  if (!first.compare_exchange_strong(none, sig)) {
    for (;;) pause();
  }
  (void)!write(2, "\n", 1);
  (void)!write(2, kCrashStacksMarker, sizeof(kCrashStacksMarker) - 1);
  (void)!write(2, "\n", 1);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(2, 1);
    execvp((*g_argv)[0], g_argv->data());
    _exit(127);
  }
  if (pid > 0) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void InstallCrashStackDumper(const std::string& python_gdb_script, bool leave_faults_to_sanitizer) {
  prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
  g_args = new std::vector<std::string>{"gdb", "-p", std::to_string(getpid()), "-batch", "-nx",
                                        "-ex", "set pagination off", "-ex", "set may-call-functions off",
                                        "-ex", "thread apply all bt"};
  if (!python_gdb_script.empty()) {
    for (const char* a : {"-ex"}) g_args->push_back(a);
    g_args->push_back("source " + python_gdb_script);
    g_args->push_back("-ex");
    g_args->push_back("thread apply all py-bt");
  }
  g_argv = new std::vector<char*>;
  for (std::string& a : *g_args) g_argv->push_back(a.data());
  g_argv->push_back(nullptr);
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = Handler;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGABRT, &sa, nullptr);
  if (!leave_faults_to_sanitizer) {
    for (int s : {SIGSEGV, SIGBUS, SIGFPE, SIGILL}) sigaction(s, &sa, nullptr);
  }
}

}  // namespace endgame::run
