#include "endgame/run/oracles.h"

#include <gtest/gtest.h>

namespace endgame::run {
namespace {

Baseline Counters(std::vector<ThreadInfo> threads, std::vector<FdInfo> fds, int interpreters, int tstates) {
  Baseline b;
  b.resources.threads = std::move(threads);
  b.resources.fds = std::move(fds);
  b.resources.rss_bytes = 1000;
  b.interpreters = interpreters;
  b.main_tstates = tstates;
  b.memory.allocated_blocks = 50;
  return b;
}

const OracleRecord* Find(const std::vector<OracleRecord>& rs, const std::string& name) {
  for (const OracleRecord& r : rs) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

TEST(Oracles, LeaksAndFigures) {
  Baseline before = Counters({{1, "main"}, {2, "old"}}, {{0, "/dev/null"}}, 1, 1);
  // Thread 2 ended and 3 is new: counted by identity, one leaked.
  Baseline after = Counters({{1, "main"}, {3, "eg-cache-0"}}, {{0, "/dev/null"}, {5, "pipe:[9]"}}, 2, 1);
  after.resources.rss_bytes = 5000;
  std::vector<OracleRecord> rs = LeakOracles(before, after, /*finalized=*/false);
  std::vector<std::string> names;
  for (const OracleRecord& r : rs) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"threads", "fds", "interpreters", "thread_states", "blocks", "rss"}));
  EXPECT_EQ(Find(rs, "threads")->delta, 1);
  EXPECT_TRUE(Find(rs, "threads")->leak);
  EXPECT_EQ(Find(rs, "threads")->detail, "3 \"eg-cache-0\" ");
  EXPECT_TRUE(Find(rs, "fds")->leak);
  EXPECT_EQ(Find(rs, "fds")->detail, "5 pipe:[9] ");
  EXPECT_TRUE(Find(rs, "interpreters")->leak);
  EXPECT_FALSE(Find(rs, "thread_states")->leak);
  EXPECT_EQ(Find(rs, "rss")->delta, 4000);
  EXPECT_FALSE(Find(rs, "rss")->leak);  // a figure
  // After finalize there is no Python to count.
  EXPECT_EQ(LeakOracles(before, after, /*finalized=*/true).size(), 3u);
}

TEST(Oracles, ExcludesLingeringThreadsAndMappedFds) {
  Baseline before = Counters({{1, "main"}}, {{3, "/usr/lib/libffi.so"}}, 1, 1);
  Baseline after = Counters({{1, "main"}, {7, "idle"}, {8, "stuck"}},
                            {{3, "/usr/lib/libffi.so"}, {4, "/usr/lib/libffi.so"}, {5, "/tmp/x"}}, 1, 3);
  Exclude(before, Exclusions{{7}, {"/usr/lib/libffi.so"}}, &after);
  ASSERT_EQ(after.resources.threads.size(), 2u);
  EXPECT_EQ(after.resources.threads[1].tid, 8);
  EXPECT_EQ(after.main_tstates, 2);  // the lingering thread's thread state goes with it
  ASSERT_EQ(after.resources.fds.size(), 2u);
  EXPECT_EQ(after.resources.fds[1].target, "/tmp/x");
}

TEST(Oracles, QueuesGone) {
  OracleRecord r = QueuesGone(3, 1);
  EXPECT_EQ(r.name, "queues");
  EXPECT_EQ(r.delta, 1);
  EXPECT_TRUE(r.leak);
  EXPECT_EQ(r.detail, "1 of the scenario's 3 queue(s) still exist after their destroy");
  EXPECT_FALSE(QueuesGone(2, 0).leak);
}

TEST(Oracles, SlopesWithoutTheWarmUp) {
  std::vector<double> rss, heap;
  for (int i = 0; i < 20; ++i) {
    rss.push_back(i < 2 ? 0 : 1e6 + 100000.0 * i);  // the first tenth is left out
    heap.push_back(5000);
  }
  SlopeOptions o;
  o.threshold_bytes = 64 * 1024;
  std::vector<OracleRecord> rs = SlopeOracles(rss, heap, o);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].name, "rss_slope");
  EXPECT_NEAR(rs[0].delta, 100000, 1);
  EXPECT_EQ(rs[0].before, 1200000);
  EXPECT_EQ(rs[0].detail, "bytes/cycle over 18 cycles");
  EXPECT_TRUE(rs[0].leak);
  EXPECT_EQ(rs[1].name, "malloc_slope");
  EXPECT_FALSE(rs[1].leak);
  EXPECT_EQ(rs[1].detail, "bytes/cycle in use (mallinfo2), pymalloc arenas not seen");
  o.judge = false;  // a sanitized build: figures only
  EXPECT_FALSE(SlopeOracles(rss, heap, o)[0].leak);
}

}  // namespace
}  // namespace endgame::run
