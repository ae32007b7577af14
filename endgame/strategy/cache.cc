// `cache workers=N [tstate=per_call|sticky]`: a pool of reused worker
// threads, like trio's thread cache or ThreadPoolExecutor. Each worker keeps
// its main-interpreter thread state for life; with tstate=sticky it also keeps
// one thread state per subinterpreter it has run in (the anti-pattern of
// caching PyGILState-style thread states). Nothing happens before destroy.
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "endgame/base/mutex.h"
#include "endgame/base/signals.h"
#include "endgame/strategy/strategy.h"

namespace endgame::strategy {
namespace {

// Shared by the strategy and its workers, so that abandoned workers outlive
// the strategy object safely.
struct Pool {
  Mutex mu;
  CondVar cv;
  std::deque<Job> queue ABSL_GUARDED_BY(mu);
  bool stopping ABSL_GUARDED_BY(mu) = false;
};

void WorkerLoop(std::shared_ptr<Pool> pool, scenario::TstateMode tstate, int index) {
  BlockFuzzerSignals();
  py::MainThreadState main;
  driver::ExecState exec_state;
  WorkerContext ctx{&main, &exec_state, tstate, absl::StrCat("cache-", index)};
  while (true) {
    Job job;
    {
      MutexLock lock(&pool->mu);
      while (!pool->stopping && pool->queue.empty()) pool->cv.Wait(&pool->mu);
      if (pool->queue.empty()) break;  // stopping, and the queue is drained
      job = std::move(pool->queue.front());
      pool->queue.pop_front();
    }
    job(ctx);
  }
  // Sticky thread states are deliberately left behind: a cached worker never
  // deletes them (SubThreadState's destructor leaves the Python thread state
  // alone), which is the behaviour under test.
}

class CacheStrategy final : public Strategy {
 public:
  explicit CacheStrategy(const scenario::StrategySpec& spec) : spec_(spec) {
    for (int i = 0; i < spec.workers; ++i) workers_.emplace_back(WorkerLoop, pool_, spec.tstate, i);
  }
  ~CacheStrategy() override { Shutdown(); }

  std::string name() const override {
    return absl::StrCat("cache workers=", spec_.workers,
                        spec_.tstate == scenario::TstateMode::kSticky ? " tstate=sticky" : "");
  }

  void Submit(int64_t, Job job) override {
    MutexLock lock(&pool_->mu);
    pool_->queue.push_back(std::move(job));
    pool_->cv.Signal();
  }

  Settled BeforeDestroy(int64_t) override { return Settled::kJoined; }

  void Shutdown() override {
    if (!Stop()) return;
    for (std::thread& t : workers_) t.join();
  }

  void AbandonAll() override {
    if (!Stop()) return;
    abandoned_ = static_cast<int>(workers_.size());
    for (std::thread& t : workers_) t.detach();
  }

  int abandoned_threads() const override { return abandoned_; }

 private:
  // False when already stopped.
  bool Stop() {
    MutexLock lock(&pool_->mu);
    if (pool_->stopping) return false;
    pool_->stopping = true;
    pool_->cv.SignalAll();
    return true;
  }

  const scenario::StrategySpec spec_;
  std::shared_ptr<Pool> pool_ = std::make_shared<Pool>();
  std::vector<std::thread> workers_;
  int abandoned_ = 0;  // conductor thread only
};

}  // namespace

std::unique_ptr<Strategy> MakeCacheStrategy(const scenario::StrategySpec& spec) {
  return std::make_unique<CacheStrategy>(spec);
}

}  // namespace endgame::strategy
