#include "endgame/run/crash_stacks.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace endgame::run {
namespace {

// Prepared before any crash: argv for gdb, owned for the process's life.
std::vector<std::string>* g_args = nullptr;
std::vector<char*>* g_argv = nullptr;

// The signal the process dies of: the first fatal one. gdb's detach can make
// another thread's futex wait return an error glibc answers with abort(), so
// a SIGSEGV would otherwise end as SIGABRT, one bug under two verdicts.
volatile sig_atomic_t g_first = 0;
volatile sig_atomic_t g_dumped = 0;

void Handler(int sig) {
  int expected = 0;
  if (__atomic_compare_exchange_n(&g_first, &expected, sig, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    // One dump per process, whatever else goes wrong afterwards.
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
    g_dumped = 1;
  } else {
    // Another thread took the dump: let it finish, then die of its signal.
    struct timespec ms = {0, 1000000};
    while (!g_dumped) nanosleep(&ms, nullptr);
  }
  const int die = g_first;
  signal(die, SIG_DFL);
  if (die != sig) signal(sig, SIG_DFL);
  // Pending while this handler runs when die == sig: delivered, with the
  // default action, as it returns.
  raise(die);
}

}  // namespace

void InstallCrashStackDumper(const std::string& python_gdb_script, bool leave_faults_to_sanitizer) {
  prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
  g_args = new std::vector<std::string>{"gdb", "-p", std::to_string(getpid()), "-batch", "-nx",
                                        "-ex", "set pagination off", "-ex", "thread apply all bt"};
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
