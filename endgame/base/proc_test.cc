#include "endgame/base/proc.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "endgame/base/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace endgame {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// A named thread that lives until Join(). (Not absl::Notification: Debian's
// Abseil is invisible to ThreadSanitizer; see mutex.h.)
class NamedThread {
 public:
  explicit NamedThread(const char* name) {
    thread_ = std::thread([this, name] {
      pthread_setname_np(pthread_self(), name);
      MutexLock lock(&mu_);
      tid_ = static_cast<pid_t>(syscall(SYS_gettid));
      cv_.SignalAll();
      while (!release_) cv_.Wait(&mu_);
    });
    MutexLock lock(&mu_);
    while (tid_ == 0) cv_.Wait(&mu_);
  }
  ~NamedThread() { Join(); }
  void Join() {
    {
      MutexLock lock(&mu_);
      release_ = true;
      cv_.SignalAll();
    }
    if (thread_.joinable()) thread_.join();
  }
  pid_t tid() {
    MutexLock lock(&mu_);
    return tid_;
  }

 private:
  std::thread thread_;
  Mutex mu_;
  CondVar cv_;
  pid_t tid_ ABSL_GUARDED_BY(mu_) = 0;
  bool release_ ABSL_GUARDED_BY(mu_) = false;
};

// A joined thread can stay listed in /proc/self/task for a moment after
// pthread_join returns (the kernel reaps it just after waking the joiner);
// waits, bounded, until `tid` is gone.
void AwaitReaped(pid_t tid) {
  std::string path = absl::StrCat("/proc/self/task/", tid);
  for (int i = 0; i < 1000 && access(path.c_str(), F_OK) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// ThreadSanitizer starts a background thread with the process's first
// pthread_create(); get that out of the way before counting.
void StartRuntimeThreads() {
  pid_t tid = 0;
  std::thread([&tid] { tid = static_cast<pid_t>(syscall(SYS_gettid)); }).join();
  AwaitReaped(tid);
}

TEST(ProcTest, ThreadCountAndIdsSeeANewThread) {
  StartRuntimeThreads();
  int before = ThreadCount();
  ASSERT_GE(before, 1);
  NamedThread t("proc-test-th");
  EXPECT_EQ(ThreadCount(), before + 1);
  std::vector<pid_t> ids = ThreadIds();
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_NE(std::find(ids.begin(), ids.end(), t.tid()), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), getpid()), ids.end());
  EXPECT_EQ(ThreadName(t.tid()), "proc-test-th");
  t.Join();
  AwaitReaped(t.tid());
  EXPECT_EQ(ThreadCount(), before);
  EXPECT_EQ(ThreadName(t.tid()), "");
}

TEST(ProcTest, DiffNamesANewThreadAndAGoneOne) {
  StartRuntimeThreads();
  ResourceSnapshot before = Snapshot();
  auto t = std::make_unique<NamedThread>("leaky-thread");
  ResourceSnapshot during = Snapshot();
  ResourceDelta d = Diff(before, during);
  EXPECT_EQ(d.threads, 1);
  ASSERT_EQ(d.new_threads.size(), 1u);
  EXPECT_EQ(d.new_threads[0].tid, t->tid());
  EXPECT_EQ(d.new_threads[0].name, "leaky-thread");
  EXPECT_FALSE(d.Empty());
  EXPECT_EQ(d.ToString(), absl::StrCat("threads +1 (tid ", t->tid(), " \"leaky-thread\")"));
  pid_t tid = t->tid();
  t.reset();
  AwaitReaped(tid);
  ResourceDelta back = Diff(during, Snapshot());
  EXPECT_EQ(back.threads, -1);
  EXPECT_EQ(back.ToString(), absl::StrCat("threads -1 (gone tid ", tid, " \"leaky-thread\")"));
}

TEST(ProcTest, FdsSeeAPipeAndAFileWithTheirTargets) {
  int before = FdCount();
  ASSERT_GE(before, 0);
  ResourceSnapshot snap = Snapshot();
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  std::string path = absl::StrCat(testing::TempDir(), "/proc_test_", getpid(), ".txt");
  int f = open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  ASSERT_GE(f, 0);
  EXPECT_EQ(FdCount(), before + 3);
  std::vector<FdInfo> fds = OpenFds();
  EXPECT_EQ(static_cast<int>(fds.size()), before + 3);
  auto target_of = [&](int fd) -> std::string {
    for (const FdInfo& i : fds) {
      if (i.fd == fd) return i.target;
    }
    return "(missing)";
  };
  EXPECT_THAT(target_of(p[0]), HasSubstr("pipe:["));
  EXPECT_EQ(target_of(p[0]), target_of(p[1]));
  char real[4096];
  ASSERT_NE(realpath(path.c_str(), real), nullptr);
  EXPECT_EQ(target_of(f), real);

  ResourceDelta d = Diff(snap, Snapshot());
  EXPECT_EQ(d.fds, 3);
  EXPECT_EQ(d.threads, 0);
  EXPECT_EQ(d.ToString(), absl::StrCat("fds +3 (", target_of(p[0]), ", ", target_of(p[1]), ", ",
                                       real, ")"));
  close(p[0]);
  close(p[1]);
  close(f);
  unlink(path.c_str());
  EXPECT_EQ(FdCount(), before);
  EXPECT_TRUE(Diff(snap, Snapshot()).Empty());
}

TEST(ProcTest, ListingFdIsNotCounted) {
  std::vector<FdInfo> fds = OpenFds();
  EXPECT_EQ(static_cast<int>(fds.size()), FdCount());
  for (const FdInfo& f : fds) {
    EXPECT_EQ(f.target.find("/fd"), std::string::npos) << f.fd << " -> " << f.target;
  }
}

TEST(ProcTest, ClosedAndReusedFdShowsBothWays) {
  int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ResourceSnapshot before = Snapshot();
  close(fd);
  int p[2];
  ASSERT_EQ(pipe(p), 0);  // p[0] most likely reuses fd
  ResourceDelta d = Diff(before, Snapshot());
  EXPECT_EQ(d.fds, 1);
  ASSERT_EQ(d.closed_fds.size(), 1u);
  EXPECT_EQ(d.closed_fds[0].target, "/dev/null");
  EXPECT_EQ(d.new_fds.size(), 2u);
  EXPECT_THAT(d.ToString(), HasSubstr("closed /dev/null"));
  close(p[0]);
  close(p[1]);
}

TEST(ProcTest, MappedFilesHoldTheLoadedLibc) {
  std::vector<std::string> maps = MappedFiles();
  EXPECT_TRUE(std::is_sorted(maps.begin(), maps.end()));
  EXPECT_TRUE(std::any_of(maps.begin(), maps.end(), [](const std::string& m) {
    return m.find("/libc.so") != m.npos || m.find("/libc-") != m.npos;
  })) << absl::StrJoin(maps, "\n");
  std::string path = absl::StrCat(testing::TempDir(), "/proc_test_unmapped_", getpid());
  EXPECT_FALSE(std::binary_search(maps.begin(), maps.end(), path));
}

TEST(ProcTest, RssGrowsWhenMemoryIsTouched) {
  int64_t before = RssBytes();
  ASSERT_GT(before, 0);
  constexpr size_t kSize = size_t{64} << 20;
  char* block = static_cast<char*>(std::malloc(kSize));
  ASSERT_NE(block, nullptr);
  std::memset(block, 1, kSize);
  int64_t after = RssBytes();
  EXPECT_GT(after - before, static_cast<int64_t>(kSize / 2));
  ResourceSnapshot s = Snapshot();
  EXPECT_GT(s.rss_bytes, static_cast<int64_t>(kSize / 2));
  std::free(block);
}

TEST(ProcTest, ChildrenOfSeesAChildUntilItIsReaped) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    while (true) pause();  // until SIGKILL
  }
  EXPECT_THAT(ChildrenOf(getpid()), Contains(child));
  EXPECT_TRUE(ChildrenOf(child).empty());
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_THAT(ChildrenOf(getpid()), Not(Contains(child)));
}

TEST(ProcTest, NothingChangedIsEmpty) {
  ResourceSnapshot a = Snapshot();
  ResourceSnapshot b = Snapshot();
  ResourceDelta d = Diff(a, b);
  EXPECT_TRUE(d.Empty());
  EXPECT_EQ(d.ToString(), "");
}

}  // namespace
}  // namespace endgame
