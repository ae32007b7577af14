#include "endgame/base/stacks.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "endgame/base/internal/gdb_capture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace endgame {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The function the stuck thread sits in; its name must show in the stacks.
__attribute__((noinline)) void EndgameStacksTestBlockedHere(std::mutex* mu,
                                                            std::condition_variable* cv,
                                                            const bool* released) {
  std::unique_lock<std::mutex> lock(*mu);
  cv->wait(lock, [&] { return *released; });
  asm volatile("" ::: "memory");  // no tail call: keep this frame on the stack
}

char ThreadState(pid_t tid) {
  std::ifstream stat(absl::StrCat("/proc/self/task/", tid, "/stat"));
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() ? line[paren + 2] : '?';
}

bool InFutexWait(pid_t tid) {
  if (ThreadState(tid) != 'S') return false;
  std::ifstream in(absl::StrCat("/proc/self/task/", tid, "/syscall"));
  long nr = -1;
  return static_cast<bool>(in >> nr) && nr == SYS_futex;
}

// A thread named "stuck-thread" blocked on a condition the test holds.
class StuckThread {
 public:
  StuckThread() {
    thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "stuck-thread");
      tid_.store(static_cast<pid_t>(syscall(SYS_gettid)));
      EndgameStacksTestBlockedHere(&mu_, &cv_, &released_);
    });
    while (tid_.load() == 0) absl::SleepFor(absl::Milliseconds(1));
    // Wait until it sleeps in the kernel inside the condition wait: state S
    // in the futex system call (/proc/<tid>/syscall starts with its number).
    for (int i = 0; i < 5000 && !InFutexWait(tid_.load()); ++i) {
      absl::SleepFor(absl::Milliseconds(1));
    }
  }
  ~StuckThread() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  pid_t tid() const { return tid_.load(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
  std::atomic<pid_t> tid_{0};
  std::thread thread_;
};

const ThreadStack* FindLwp(const std::vector<ThreadStack>& threads, pid_t lwp) {
  for (const ThreadStack& t : threads) {
    if (t.lwp == lwp) return &t;
  }
  return nullptr;
}

bool HasFrame(const ThreadStack& t, const std::string& needle) {
  for (const std::string& f : t.frames) {
    if (f.find(needle) != std::string::npos) return true;
  }
  return false;
}

void ExpectStuckThreadFound(const std::string& text, pid_t tid) {
  EXPECT_THAT(text, HasSubstr(absl::StrCat("LWP ", tid)));
  EXPECT_THAT(text, HasSubstr("EndgameStacksTestBlockedHere"));
  std::vector<ThreadStack> threads = ParseGdbStacks(text);
  const ThreadStack* t = FindLwp(threads, tid);
  ASSERT_NE(t, nullptr) << text;
  EXPECT_EQ(t->name, "stuck-thread");
  EXPECT_TRUE(HasFrame(*t, "EndgameStacksTestBlockedHere")) << text;
  // The main thread (this test) is there too, as thread 1.
  const ThreadStack* main = FindLwp(threads, getpid());
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->number, 1);
  EXPECT_FALSE(main->frames.empty());
}

bool HaveGdb() { return !base_internal::FindProgram("gdb").empty(); }

TEST(CaptureAllStacksTest, GdbNamesTheBlockedThreadAndItsFrame) {
  if (!HaveGdb()) GTEST_SKIP() << "no gdb in PATH";
  StuckThread stuck;
  absl::Time start = absl::Now();
  absl::StatusOr<std::string> text = CaptureAllStacks();
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(25));
  EXPECT_THAT(*text, HasSubstr("# endgame: stacks of pid "));
  EXPECT_THAT(*text, HasSubstr("by "));
  EXPECT_THAT(*text, ::testing::Not(HasSubstr("in-process")));
  ExpectStuckThreadFound(*text, stuck.tid());
}

TEST(CaptureAllStacksTest, FallbackNamesTheBlockedThreadAndItsFrame) {
  StuckThread stuck;
  StackOptions opts;
  opts.force_fallback = true;
  absl::StatusOr<std::string> text = CaptureAllStacks(opts);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("captured in-process"));
  EXPECT_THAT(*text, HasSubstr("force_fallback"));
  ExpectStuckThreadFound(*text, stuck.tid());
  // The signal handler's own frames are not shown.
  EXPECT_THAT(*text, ::testing::Not(HasSubstr("StackSignalHandler")));
  // A second capture reuses the installed handler.
  absl::StatusOr<std::string> again = CaptureAllStacks(opts);
  ASSERT_TRUE(again.ok()) << again.status();
  ExpectStuckThreadFound(*again, stuck.tid());
}

TEST(CaptureAllStacksTest, FallbackWorksWhenTheCallerBlocksTheSignal) {
  StuckThread stuck;
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGRTMIN + 5);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  StackOptions opts;
  opts.force_fallback = true;
  absl::StatusOr<std::string> text = CaptureAllStacks(opts);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ASSERT_TRUE(text.ok()) << text.status();
  ExpectStuckThreadFound(*text, stuck.tid());
  std::vector<ThreadStack> threads = ParseGdbStacks(*text);
  const ThreadStack* me = FindLwp(threads, getpid());
  ASSERT_NE(me, nullptr);
  EXPECT_TRUE(HasFrame(*me, "FallbackWorksWhenTheCallerBlocksTheSignal")) << *text;
}

TEST(CaptureAllStacksTest, MissingGdbFallsBack) {
  StuckThread stuck;
  StackOptions opts;
  opts.gdb = "/nonexistent/gdb";
  absl::StatusOr<std::string> text = CaptureAllStacks(opts);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("gdb not found ('/nonexistent/gdb')"));
  EXPECT_THAT(*text, HasSubstr("captured in-process"));
  ExpectStuckThreadFound(*text, stuck.tid());
}

// Writes an executable script into the test's temp dir.
// (gdb picks a script's language by its extension: keep `name`'s last.)
std::string WriteScript(const std::string& name, const std::string& body, bool executable) {
  std::string path = absl::StrCat(testing::TempDir(), "/", getpid(), "_", name);
  {
    std::ofstream f(path);
    f << body;
  }
  chmod(path.c_str(), executable ? 0700 : 0600);
  return path;
}

TEST(CaptureAllStacksTest, HungGdbIsKilledAtTheTimeoutAndWeFallBack) {
  std::string fake_gdb = WriteScript("hung_gdb", "#!/bin/sh\necho attaching...\nexec sleep 60\n",
                                     true);
  StuckThread stuck;
  StackOptions opts;
  opts.gdb = fake_gdb;
  opts.timeout = absl::Milliseconds(500);
  absl::Time start = absl::Now();
  absl::StatusOr<std::string> text = CaptureAllStacks(opts);
  absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_GE(took, absl::Milliseconds(500));
  EXPECT_LT(took, absl::Seconds(8));
  EXPECT_THAT(*text, HasSubstr("gdb gave no thread stacks before its timeout"));
  EXPECT_THAT(*text, HasSubstr("#   attaching..."));
  ExpectStuckThreadFound(*text, stuck.tid());
  unlink(fake_gdb.c_str());
}

TEST(CaptureAllStacksTest, SupervisorKeepsNoCopyOfOurFds) {
  // The fake gdb marks that it runs, so the supervisor that forked it is up.
  const std::string started = absl::StrCat(testing::TempDir(), "/", getpid(), "_slow_gdb_started");
  unlink(started.c_str());
  std::string fake_gdb =
      WriteScript("slow_gdb", absl::StrCat("#!/bin/sh\n: > '", started, "'\nexec sleep 60\n"), true);
  int p[2];
  ASSERT_EQ(pipe2(p, O_CLOEXEC), 0);
  std::atomic<bool> eof_during_capture{false};
  std::atomic<bool> capturing{true};
  std::thread reader([&] {
    // Polling for the marker: the fake gdb's only signal.
    for (int i = 0; i < 3000 && access(started.c_str(), F_OK) != 0; ++i) absl::SleepFor(absl::Milliseconds(1));
    close(p[1]);
    struct pollfd pfd = {p[0], POLLIN, 0};
    char c;
    if (poll(&pfd, 1, 1500) == 1 && read(p[0], &c, 1) == 0) {
      eof_during_capture.store(capturing.load());
    }
  });
  StackOptions opts;
  opts.gdb = fake_gdb;
  opts.timeout = absl::Seconds(3);
  absl::StatusOr<std::string> text = CaptureAllStacks(opts);
  capturing.store(false);
  reader.join();
  close(p[0]);
  unlink(fake_gdb.c_str());
  unlink(started.c_str());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_TRUE(eof_during_capture.load()) << "a forked helper kept the pipe's write end open";
}

TEST(CaptureAllStacksTest, RealGdbKilledMidWayLeavesThisProcessRunning) {
  if (!HaveGdb()) GTEST_SKIP() << "no gdb in PATH";
  // A thread that keeps counting: it must go on after every capture.
  std::atomic<bool> stop{false};
  std::atomic<long> ticks{0};
  std::thread ticker([&] {
    while (!stop.load()) {
      ticks.fetch_add(1);
      absl::SleepFor(absl::Milliseconds(1));
    }
  });
  for (int ms : {50, 150, 400, 900}) {
    StackOptions opts;
    opts.timeout = absl::Milliseconds(ms);
    absl::StatusOr<std::string> text = CaptureAllStacks(opts);
    ASSERT_TRUE(text.ok()) << text.status();
    long before = ticks.load();
    absl::Time until = absl::Now() + absl::Seconds(5);
    while (ticks.load() < before + 10 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(5));
    EXPECT_GE(ticks.load(), before + 10) << "process still stopped after a " << ms << " ms gdb";
  }
  stop.store(true);
  ticker.join();
}

TEST(CaptureAllStacksTest, PythonScriptIsSourcedAndPyBtRunsPerThread) {
  if (!HaveGdb()) GTEST_SKIP() << "no gdb in PATH";
  // Stands in for CPython's libpython.py: a py-bt naming the thread's LWP.
  std::string script = WriteScript("fake_libpython.py", R"(import gdb

class PyBt(gdb.Command):
    def __init__(self):
        super().__init__("py-bt", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        print("Traceback (most recent call first):")
        print('  File "fake.py", line 7, in fake_py_%d' % gdb.selected_thread().ptid[1])
        print("  <built-in method sleep of module object at remote 0x7f00>")

PyBt()
)",
                                   false);
  StuckThread stuck;
  StackOptions opts;
  opts.python_gdb_script = script;
  absl::StatusOr<std::string> text = CaptureAllStacks(opts);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("python: thread apply all py-bt"));
  std::vector<ThreadStack> threads = ParseGdbStacks(*text);
  const ThreadStack* t = FindLwp(threads, stuck.tid());
  ASSERT_NE(t, nullptr) << *text;
  EXPECT_THAT(t->python_frames, ElementsAre(absl::StrCat("fake_py_", stuck.tid()), "sleep"))
      << *text;
  EXPECT_TRUE(HasFrame(*t, "EndgameStacksTestBlockedHere"));
  unlink(script.c_str());
}

TEST(CaptureAllStacksTest, UnreadablePythonScriptIsANote) {
  if (!HaveGdb()) GTEST_SKIP() << "no gdb in PATH";
  StackOptions opts;
  opts.python_gdb_script = "/nonexistent/libpython.py";
  absl::StatusOr<std::string> text = CaptureAllStacks(opts);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("cannot read /nonexistent/libpython.py; no Python stacks"));
  std::vector<ThreadStack> threads = ParseGdbStacks(*text);
  EXPECT_NE(FindLwp(threads, getpid()), nullptr);
}

// gdb 13 output, trimmed: names, inlined frames, templates, operators, a
// signal frame, unknown frames, then the py-bt pass.
constexpr char kGdbOutput[] = R"([New LWP 4243]
[Thread debugging using libthread_db enabled]
Using host libthread_db library "/lib/x86_64-linux-gnu/libthread_db.so.1".
0x00007f3a in __futex_abstimed_wait_common64 (private=0, cancel=true) at ./nptl/futex-internal.c:57

Thread 3 (Thread 0x7f0000a00 (LWP 4244) "exec-a"):
#0  0x00007f3a in __futex_abstimed_wait_common64 (private=0, cancel=true, abstime=0x0, op=393, expected=0, futex_word=0x55) at ./nptl/futex-internal.c:57
#1  __futex_abstimed_wait_common (cancel=true, private=0) at ./nptl/futex-internal.c:87
#2  0x00007f3b in std::function<void ()>::operator()() const (this=0x7f) at /usr/include/c++/12/bits/std_function.h:591
#3  0x00005555 in std::vector<int, std::allocator<int> >::operator[](unsigned long) (this=0x1, __n=2) at x.h:1
#4  0x00005556 in bool std::operator< <char>(std::basic_string<char> const&, char const*) (a=..., b=...) at y.h:2
#5  0x00005557 in (anonymous namespace)::Worker::Run (this=0x55) at /work/w.cc:42
#6  <signal handler called>
#7  0x00000000 in ?? ()

Thread 2 (Thread 0x7f0000b00 (LWP 4243)):
#0  take_gil (tstate=0x55) at Python/ceval_gil.c:331
#1  0x00007f in PyEval_RestoreThread (tstate=0x55) at Python/ceval_gil.c:700
#2  0x00007f in clone3 () from /lib/x86_64-linux-gnu/libc.so.6

Thread 1 (Thread 0x7f0000c00 (LWP 4242) "main"):
#0  0x00007f in __GI___wait4 (pid=4250, stat_loc=0x7ffc, options=0, usage=0x0) at ../sysdeps/unix/sysv/linux/wait4.c:30
#1  0x00005 in main () at main.cc:10

Thread 3 (Thread 0x7f0000a00 (LWP 4244) "exec-a"):
Traceback (most recent call first):
  <built-in method acquire of _thread.lock object at remote 0x7f>
  File "/usr/lib/python3.13/threading.py", line 359, in wait
    waiter.acquire()
  File "<string>", line 3, in snippet_lock_wait

Thread 2 (Thread 0x7f0000b00 (LWP 4243)):
Traceback (most recent call first):
  Waiting for the GIL
  File "<string>", line 1, in <module>

Thread 1 (Thread 0x7f0000c00 (LWP 4242) "main"):
Unable to locate python frame
[Inferior 1 (process 4242) detached]
)";

TEST(ParseGdbStacksTest, SplitsThreadsAndMergesPythonFrames) {
  std::vector<ThreadStack> threads = ParseGdbStacks(kGdbOutput);
  ASSERT_EQ(threads.size(), 3u);

  const ThreadStack& a = threads[0];
  EXPECT_EQ(a.number, 3);
  EXPECT_EQ(a.lwp, 4244);
  EXPECT_EQ(a.name, "exec-a");
  EXPECT_THAT(a.frames,
              ElementsAre("__futex_abstimed_wait_common64", "__futex_abstimed_wait_common",
                          "std::function<void ()>::operator()",
                          "std::vector<int, std::allocator<int> >::operator[]",
                          "bool std::operator< <char>",
                          "(anonymous namespace)::Worker::Run", "<signal handler called>", "??"));
  EXPECT_THAT(a.python_frames, ElementsAre("acquire", "wait", "snippet_lock_wait"));

  const ThreadStack& b = threads[1];
  EXPECT_EQ(b.number, 2);
  EXPECT_EQ(b.lwp, 4243);
  EXPECT_EQ(b.name, "");
  EXPECT_THAT(b.frames, ElementsAre("take_gil", "PyEval_RestoreThread", "clone3"));
  EXPECT_THAT(b.files, ElementsAre("Python/ceval_gil.c", "Python/ceval_gil.c", "libc.so.6"));
  EXPECT_THAT(b.python_frames, ElementsAre("<waiting for the GIL>", "<module>"));

  const ThreadStack& m = threads[2];
  EXPECT_EQ(m.lwp, 4242);
  EXPECT_EQ(m.name, "main");
  EXPECT_THAT(m.frames, ElementsAre("__GI___wait4", "main"));
  EXPECT_TRUE(m.python_frames.empty());
}

TEST(ParseGdbStacksTest, ReadsTheFallbackLayoutAndIgnoresNoise) {
  std::vector<ThreadStack> threads = ParseGdbStacks(
      "# endgame: stacks of pid 7 captured in-process\n"
      "Thread debugging using libthread_db enabled\n"
      "\nThread 1 (LWP 7 \"base_test\"):\n"
      "#0  0x00007f0000000001 in pthread_cond_wait () from /lib/libc.so.6\n"
      "#1  0x0000555500000001 in Foo::Bar(int) const () from /proc/self/exe\n"
      "#2  0x0000555500000002 in main::{lambda()#1}::operator()() const () from /x\n"
      "#3  0x0000555500000003 in operator() (__closure=0x1) at x.cc:3\n"
      "\nThread 2 (LWP 9 \"x\"):\n"
      "(no answer to signal SIGRTMIN+5 within 2s: the thread blocks it or cannot run)\n"
      "\nThread 3 (process 11):\n#0  0x1 in ?? ()\n");
  ASSERT_EQ(threads.size(), 3u);
  EXPECT_EQ(threads[0].lwp, 7);
  EXPECT_EQ(threads[0].name, "base_test");
  EXPECT_THAT(threads[0].frames, ElementsAre("pthread_cond_wait", "Foo::Bar",
                                              "main::{lambda()#1}::operator()", "operator()"));
  EXPECT_EQ(threads[1].lwp, 9);
  EXPECT_TRUE(threads[1].frames.empty());
  EXPECT_EQ(threads[2].lwp, 11);
  EXPECT_THAT(threads[2].frames, ElementsAre("??"));
  EXPECT_TRUE(ParseGdbStacks("ptrace: Operation not permitted.\n").empty());
}

}  // namespace
}  // namespace endgame
