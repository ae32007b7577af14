#include "bench/compare_plan.h"

#include "gtest/gtest.h"

namespace endgame::bench {
namespace {

TEST(ComparePlan, PeersDifferingOnlyInTheirPeerSegmentShareAGroup) {
  auto groups = Groups({"teardown/cache/idle", "teardown/dedicated/idle", "teardown/cache/busy", "memory/growth/python"});
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups["teardown/*/idle"], (std::vector<std::string>{"teardown/cache/idle", "teardown/dedicated/idle"}));
  EXPECT_EQ(groups["teardown/*/busy"], (std::vector<std::string>{"teardown/cache/busy"}));
  EXPECT_EQ(groups["memory/growth/*"], (std::vector<std::string>{"memory/growth/python"}));
}

TEST(ComparePlan, SlugIsAFileName) {
  EXPECT_EQ(Slug("teardown/*/idle"), "teardown.X.idle");
  EXPECT_TRUE(IsPeerSegment("cache_sticky"));
  EXPECT_FALSE(IsPeerSegment("idle"));
}

}  // namespace
}  // namespace endgame::bench
