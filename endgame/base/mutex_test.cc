#include "endgame/base/mutex.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace endgame {
namespace {

class Counter {
 public:
  void Add() {
    MutexLock lock(&mu_);
    ++n_;
    cv_.SignalAll();
  }
  int Get() {
    MutexLock lock(&mu_);
    return n_;
  }
  // Returns false when `deadline` passed first.
  bool WaitFor(int n, absl::Time deadline) {
    MutexLock lock(&mu_);
    while (n_ < n) {
      if (cv_.WaitWithDeadline(&mu_, deadline)) return n_ >= n;
    }
    return true;
  }

 private:
  Mutex mu_;
  CondVar cv_;
  int n_ ABSL_GUARDED_BY(mu_) = 0;
};

// Under the tsan preset this fails loudly if TSan cannot see the lock.
TEST(MutexTest, GuardsDataAcrossThreads) {
  Counter c;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) c.Add();
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(c.Get(), 40000);
}

TEST(MutexTest, CondVarWakesAWaiter) {
  Counter c;
  std::thread t([&] {
    absl::SleepFor(absl::Milliseconds(20));
    c.Add();
  });
  EXPECT_TRUE(c.WaitFor(1, absl::Now() + absl::Seconds(30)));
  t.join();
}

TEST(MutexTest, WaitWithDeadlineTimesOut) {
  Counter c;
  absl::Time start = absl::Now();
  EXPECT_FALSE(c.WaitFor(1, start + absl::Milliseconds(50)));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(50));
}

TEST(MutexTest, WaitWithTimeoutAndTryLock) {
  Mutex mu;
  CondVar cv;
  {
    MutexLock lock(&mu);
    EXPECT_TRUE(cv.WaitWithTimeout(&mu, absl::Milliseconds(10)));
  }
  if (mu.TryLock()) {
    mu.Unlock();
  } else {
    ADD_FAILURE() << "TryLock on a free mutex failed";
  }
}

ABSL_CONST_INIT Mutex g_global_mu;

TEST(MutexTest, GlobalIsConstantInitialized) {
  MutexLock lock(&g_global_mu);
  SUCCEED();
}

}  // namespace
}  // namespace endgame
