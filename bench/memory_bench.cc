// File: bench/memory_bench.cc
//
// Memory per live interpreter and memory growth per create/destroy cycle.
//   memory/live/<config>            creates N interpreters (--endgame_live) and
//                                   reports per interpreter: rss_per_interp
//                                   (RSS delta / N) and heap_per_interp (malloc
//                                   bytes in use, mallinfo2); time = create / N
//   memory/growth/<driver>/<config> cycles of create, exec `pass`, destroy:
//                                   a tenth as warm-up, then
//                                   --endgame_slope_cycles measured ones; reports
//                                   the least-squares slopes of RSS and of malloc
//                                   bytes in use after each measured cycle
//                                   (rss_slope, heap_slope, bytes per cycle),
//                                   rss_growth and cycles; time = one cycle
// pymalloc's arenas are mmap'ed, so heap_* sees Python objects only under
// PYTHONMALLOC=malloc; `endgame compare` runs memory/growth both ways, in two
// processes (the allocator is chosen at startup).
#include <malloc.h>

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/bench.h"
#include "endgame/base/stats.h"
#include "endgame/base/proc.h"
#include "endgame/driver/driver.h"

namespace endgame::bench {
namespace {

double HeapBytes() { return static_cast<double>(mallinfo2().uordblks); }

void Live(benchmark::State& state, py::InterpFlags flags, int n) {
  std::unique_ptr<driver::Driver> drv = driver::MakeDriver(scenario::Driver::kCapi);
  for (auto _ : state) {
    py::Attached attached(BenchThread());
    std::vector<driver::InterpRef> live;
    double rss0 = static_cast<double>(RssBytes()), heap0 = HeapBytes();
    Clock::time_point t0 = Clock::now();
    absl::Status status;
    for (int i = 0; i < n && status.ok(); ++i) {
      absl::StatusOr<driver::InterpRef> interp = drv->Create(flags);
      if (interp.ok()) live.push_back(*interp);
      status = interp.status();
    }
    Clock::time_point t1 = Clock::now();
    double rss1 = static_cast<double>(RssBytes()), heap1 = HeapBytes();
    for (const driver::InterpRef& interp : live) {
      absl::Status s = drv->Destroy(interp, scenario::DestroyVia::kAuto);
      if (status.ok()) status = s;
    }
    if (!Ok(state, status)) break;
    state.SetIterationTime(Seconds(t1 - t0) / n);
    state.counters["rss_per_interp"] = (rss1 - rss0) / n;
    state.counters["heap_per_interp"] = (heap1 - heap0) / n;
  }
}

void Growth(benchmark::State& state, scenario::Driver kind, py::InterpFlags flags, int cycles) {
  std::unique_ptr<driver::Driver> drv = driver::MakeDriver(kind);
  driver::ExecState exec_state;
  for (auto _ : state) {
    std::vector<double> rss, heap;
    absl::Status status;
    Clock::time_point t0 = Clock::now();
    int warmup = cycles / 10;  // left out of the slope: caches fill up
    for (int c = 0; c < warmup + cycles && status.ok(); ++c) {
      py::Attached attached(BenchThread());
      absl::StatusOr<driver::InterpRef> interp = drv->Create(flags);
      status = interp.status();
      if (!status.ok()) break;
      status = drv->Exec(*interp, "pass\n", scenario::TstateMode::kPerCall, exec_state);
      absl::Status destroyed = drv->Destroy(*interp, scenario::DestroyVia::kAuto);
      if (status.ok()) status = destroyed;
      rss.push_back(static_cast<double>(RssBytes()));
      heap.push_back(HeapBytes());
    }
    Clock::time_point t1 = Clock::now();
    if (!Ok(state, status)) break;
    std::vector<double> r(rss.begin() + warmup, rss.end()), h(heap.begin() + warmup, heap.end());
    state.SetIterationTime(Seconds(t1 - t0) / (warmup + cycles));
    state.counters["rss_slope"] = Slope(r);
    state.counters["heap_slope"] = Slope(h);
    state.counters["rss_growth"] = r.back() - r.front();
    state.counters["cycles"] = static_cast<double>(r.size());
  }
}

}  // namespace

void RegisterMemoryBenchmarks(const BenchOptions& o) {
  for (const auto& [name, flags] :
       {std::pair{"isolated", py::InterpFlags::Isolated()}, std::pair{"legacy", py::InterpFlags::Legacy()}}) {
    // At least `reps` interpreters in all, in repetitions of `live_interps`.
    int reps = std::max(3, (o.reps + o.live_interps - 1) / o.live_interps);
    Latency(benchmark::RegisterBenchmark(absl::StrCat("memory/live/", name).c_str(), Live, flags, o.live_interps),
            reps);
  }
  const struct {
    const char* driver_name;
    scenario::Driver kind;
    const char* config_name;
    py::InterpFlags flags;
  } kGrowth[] = {
      {"capi", scenario::Driver::kCapi, "isolated", py::InterpFlags::Isolated()},
      {"capi", scenario::Driver::kCapi, "legacy", py::InterpFlags::Legacy()},
      {"interpreters", scenario::Driver::kInterpreters, "isolated", py::InterpFlags::Isolated()},
  };
  for (const auto& g : kGrowth) {
    Latency(benchmark::RegisterBenchmark(absl::StrCat("memory/growth/", g.driver_name, "/", g.config_name).c_str(),
                                         Growth, g.kind, g.flags, o.slope_cycles),
            o.slope_reps);
  }
}

}  // namespace endgame::bench
