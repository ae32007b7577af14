// `dedicated [bound_ms=N]`: a new OS thread per exec, which exits after the
// call (deleting its thread states). Before an interpreter is destroyed, its
// exec threads are joined; with bound_ms, a thread still running after N ms
// is abandoned with its interpreter (the hard-kill) and counted.
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "endgame/base/mutex.h"
#include "absl/time/time.h"
#include "endgame/base/signals.h"
#include "endgame/strategy/strategy.h"

namespace endgame::strategy {
namespace {

class DedicatedStrategy final : public Strategy {
 public:
  explicit DedicatedStrategy(const scenario::StrategySpec& spec) : spec_(spec) {}
  ~DedicatedStrategy() override { Shutdown(); }

  std::string name() const override {
    return spec_.bound_ms > 0 ? absl::StrCat("dedicated bound_ms=", spec_.bound_ms) : "dedicated";
  }

  void Submit(int64_t interp_id, Job job) override {
    auto exec = std::make_shared<Exec>();
    int index;
    {
      MutexLock lock(&mu_);
      index = next_index_++;
    }
    exec->thread = std::thread([exec, index, job = std::move(job)] {
      BlockFuzzerSignals();
      {
        py::MainThreadState main;
        driver::ExecState exec_state;  // per-call thread states only
        WorkerContext ctx{&main, &exec_state, scenario::TstateMode::kPerCall, absl::StrCat("dedicated-", index)};
        job(ctx);
      }
      MutexLock lock(&exec->mu);
      exec->done = true;
      exec->cv.SignalAll();
    });
    MutexLock lock(&mu_);
    threads_[interp_id].push_back(std::move(exec));
  }

  Settled BeforeDestroy(int64_t interp_id) override {
    std::vector<std::shared_ptr<Exec>> execs;
    {
      MutexLock lock(&mu_);
      auto it = threads_.find(interp_id);
      if (it == threads_.end()) return Settled::kJoined;
      execs = std::move(it->second);
      threads_.erase(it);
    }
    return JoinAll(execs);
  }

  void Shutdown() override {
    std::map<int64_t, std::vector<std::shared_ptr<Exec>>> all;
    {
      MutexLock lock(&mu_);
      all.swap(threads_);
    }
    for (auto& [id, execs] : all) JoinAll(execs);
  }

  void AbandonAll() override {
    MutexLock lock(&mu_);
    for (auto& [id, execs] : threads_) {
      for (auto& e : execs) {
        e->thread.detach();
        ++abandoned_;
      }
    }
    threads_.clear();
  }

  int abandoned_threads() const override {
    MutexLock lock(&mu_);
    return abandoned_;
  }

 private:
  struct Exec {
    std::thread thread;
    Mutex mu;
    CondVar cv;
    bool done ABSL_GUARDED_BY(mu) = false;
  };

  Settled JoinAll(std::vector<std::shared_ptr<Exec>>& execs) {
    Settled result = Settled::kJoined;
    absl::Time until = absl::Now() + absl::Milliseconds(spec_.bound_ms);
    for (auto& e : execs) {
      if (spec_.bound_ms > 0) {
        MutexLock lock(&e->mu);
        while (!e->done && absl::Now() < until) e->cv.WaitWithDeadline(&e->mu, until);
        bool done = e->done;
        if (!done) {
          // The hard-kill: the thread keeps running (no safe way to stop it);
          // it owns a reference to its Exec record, so detaching is safe.
          e->thread.detach();
          result = Settled::kAbandoned;
          MutexLock count(&mu_);
          ++abandoned_;
          continue;
        }
      }
      e->thread.join();
    }
    return result;
  }

  const scenario::StrategySpec spec_;
  mutable Mutex mu_;
  std::map<int64_t, std::vector<std::shared_ptr<Exec>>> threads_ ABSL_GUARDED_BY(mu_);
  int next_index_ ABSL_GUARDED_BY(mu_) = 0;
  int abandoned_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

std::unique_ptr<Strategy> MakeDedicatedStrategy(const scenario::StrategySpec& spec) {
  return std::make_unique<DedicatedStrategy>(spec);
}

}  // namespace endgame::strategy
