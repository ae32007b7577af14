// File: endgame/base/test_child.cc
//
// `base_test_child`: a program that ends in the ways a supervised worker can,
// for the subprocess and classify tests. Deliberately plain C++ and not
// sanitized, so that its deaths are plain signals.
//
//   base_test_child exit 3          exits with status 3
//   base_test_child segv            dereferences a null pointer
//   base_test_child abort           calls abort()
//   base_test_child fatal           prints a Fatal Python error, then aborts
//   base_test_child asan            prints an ASan report, exits 1
//   base_test_child sleep           sleeps forever
//   base_test_child ignore-term     ignores SIGTERM, prints "ready", sleeps
//   base_test_child flood N         writes N bytes to stdout and to stderr
//   base_test_child cat             copies stdin to stdout
//   base_test_child close-stdin     closes stdin, sleeps 1 s, exits 0
//   base_test_child env NAME        prints $NAME
//   base_test_child sigstate        prints blocked and ignored standard signals
//   base_test_child grandchild      leaves a sleeping child holding stdout, exits 0
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

[[noreturn]] void SleepForever() {
  while (true) pause();
}

void WriteAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      std::exit(10);
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
}

constexpr char kAsanReport[] =
    "=================================================================\n"
    "==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc "
    "0x55d0c0a1b2c3 bp 0x7ffc sp 0x7ffb\n"
    "READ of size 4 at 0x602000000010 thread T0\n"
    "    #0 0x55d0c0a1b2c3 in tstate_delete_common /src/cpython/Python/pystate.c:1712:5\n"
    "    #1 0x55d0c0a1b400 in PyThreadState_Delete /src/cpython/Python/pystate.c:1790:3\n"
    "    #2 0x7f0102030405 in start_thread nptl/pthread_create.c:442:8\n"
    "\n"
    "0x602000000010 is located 0 bytes inside of 16-byte region [0x602000000010,0x602000000020)\n"
    "freed by thread T1 here:\n"
    "    #0 0x55d0c0900000 in __interceptor_free (/work/build/child+0x100000)\n"
    "    #1 0x55d0c0a1b500 in _PyMem_RawFree /src/cpython/Objects/obmalloc.c:80:5\n"
    "\n"
    "SUMMARY: AddressSanitizer: heap-use-after-free /src/cpython/Python/pystate.c:1712:5 in "
    "tstate_delete_common\n"
    "==4242==ABORTING\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MODE [ARG]\n", argv[0]);
    return 2;
  }
  std::string mode = argv[1];
  const char* arg = argc > 2 ? argv[2] : "";
  if (mode == "exit") return std::atoi(arg);
  if (mode == "segv") {
    volatile int* null = nullptr;
    *null = 1;
    return 0;
  }
  if (mode == "abort") std::abort();
  if (mode == "fatal") {
    std::fputs("Fatal Python error: Py_EndInterpreter: not the last thread\n"
               "Python runtime state: initialized\n\n"
               "Current thread 0x00007f0000000000 (most recent call first):\n"
               "  <no Python frame>\n",
               stderr);
    std::fflush(stderr);
    std::abort();
  }
  if (mode == "asan") {
    WriteAll(2, kAsanReport, sizeof(kAsanReport) - 1);
    return 1;
  }
  if (mode == "sleep") SleepForever();
  if (mode == "ignore-term") {
    signal(SIGTERM, SIG_IGN);
    WriteAll(1, "ready\n", 6);
    SleepForever();
  }
  if (mode == "flood") {
    size_t total = std::strtoull(arg, nullptr, 10);
    std::string chunk(4096, 'o');
    std::string echunk(4096, 'e');
    // Interleaved, so that a parent reading one stream at a time would stall.
    for (size_t done = 0; done < total;) {
      size_t n = std::min(chunk.size(), total - done);
      WriteAll(1, chunk.data(), n);
      WriteAll(2, echunk.data(), n);
      done += n;
    }
    return 0;
  }
  if (mode == "cat") {
    char buf[65536];
    while (true) {
      ssize_t n = read(0, buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      WriteAll(1, buf, static_cast<size_t>(n));
    }
    return 0;
  }
  if (mode == "close-stdin") {
    close(0);
    sleep(1);
    return 0;
  }
  if (mode == "env") {
    const char* v = std::getenv(arg);
    std::printf("%s\n", v ? v : "(unset)");
    return 0;
  }
  if (mode == "sigstate") {
    sigset_t blocked;
    sigprocmask(SIG_BLOCK, nullptr, &blocked);
    for (int sig = 1; sig < 32; ++sig) {
      struct sigaction sa;
      sigaction(sig, nullptr, &sa);
      if (sigismember(&blocked, sig)) std::printf("blocked %d\n", sig);
      if (sa.sa_handler == SIG_IGN) std::printf("ignored %d\n", sig);
    }
    std::printf("done\n");
    return 0;
  }
  if (mode == "grandchild") {
    pid_t pid = fork();
    if (pid == 0) SleepForever();
    std::printf("%d\n", static_cast<int>(pid));
    return 0;
  }
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
