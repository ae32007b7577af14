#include "endgame/run/queue_oracle.h"

#include <gtest/gtest.h>

namespace endgame::run {
namespace {

using scenario::Unbound;

TEST(QueueOracle, EffectsOfStatuses) {
  EXPECT_EQ(PutEffect("ok"), QueueEffect::kAdded);
  EXPECT_EQ(PutEffect("error NotShareableError: <object> does not support cross-interpreter data"),
            QueueEffect::kNone);
  EXPECT_EQ(PutEffect("error QueueFull: queue 1 is full"), QueueEffect::kNone);
  EXPECT_EQ(PutEffect("skipped: interpreter a is not alive"), QueueEffect::kNone);
  EXPECT_EQ(PutEffect("cancelled: cancelled before it started"), QueueEffect::kUnknown);
  EXPECT_EQ(GetEffect("ok"), QueueEffect::kTaken);
  EXPECT_EQ(GetEffect("error QueueEmpty: queue 1 is empty"), QueueEffect::kNone);
  EXPECT_EQ(GetEffect("error RuntimeError: ItemInterpreterDestroyed: the interpreter that put it is gone"),
            QueueEffect::kTaken);
  EXPECT_EQ(GetEffect("error KeyboardInterrupt"), QueueEffect::kUnknown);
}

TEST(QueueOracle, BalancedQueueIsNoLeak) {
  std::optional<OracleRecord> r = JudgeQueue({"q1", Unbound::kReplace, {"ok", "ok"}, {"ok"}, 1});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->name, "queue_items");
  EXPECT_EQ(r->delta, 0);
  EXPECT_FALSE(r->leak);
  EXPECT_EQ(r->detail, "queue q1: 2 put, 1 got, 1 left");
}

TEST(QueueOracle, LostAndDuplicatedItemsAreLeaks) {
  std::optional<OracleRecord> lost = JudgeQueue({"q1", Unbound::kReplace, {"ok", "ok"}, {"ok"}, 0});
  ASSERT_TRUE(lost.has_value());
  EXPECT_EQ(lost->delta, -1);
  EXPECT_TRUE(lost->leak);
  std::optional<OracleRecord> dup = JudgeQueue({"q1", Unbound::kError, {"ok"}, {"ok", "ok"}, 0});
  ASSERT_TRUE(dup.has_value());
  EXPECT_EQ(dup->delta, 1);
  EXPECT_TRUE(dup->leak);
}

// unbound=remove: the drain destroyed the putters, so their items may be gone.
TEST(QueueOracle, RemoveMayLoseButNotDuplicate) {
  EXPECT_FALSE(JudgeQueue({"q1", Unbound::kRemove, {"ok", "ok"}, {}, 0})->leak);
  EXPECT_TRUE(JudgeQueue({"q1", Unbound::kRemove, {"ok"}, {}, 2})->leak);
}

// A cancelled or abandoned put or get (status "") leaves the count unknown.
TEST(QueueOracle, UnknownOutcomeIsNotJudged) {
  EXPECT_FALSE(JudgeQueue({"q1", Unbound::kReplace, {"ok", ""}, {}, 0}).has_value());
  EXPECT_FALSE(JudgeQueue({"q1", Unbound::kReplace, {"ok"}, {"cancelled: x"}, 0}).has_value());
}

TEST(QueueOracle, ChannelStatuses) {
  EXPECT_EQ(PutEffect("error ChannelClosedError: channel 5 is closed"), QueueEffect::kNone);
  EXPECT_EQ(PutEffect("error ChannelNotFoundError: channel 3 not found"), QueueEffect::kNone);
  EXPECT_EQ(GetEffect("error ChannelEmptyError: channel 4 is empty"), QueueEffect::kNone);
  EXPECT_EQ(GetEffect("error ChannelClosedError: channel 4 is closed"), QueueEffect::kNone);
}

// A closed channel dropped its items: none may be left, whatever was put.
TEST(QueueOracle, ClosedChannelHoldsNothing) {
  QueueTally t{"c", Unbound::kReplace, {"ok", "ok"}, {"ok"}, 0, true, true};
  std::optional<OracleRecord> r = JudgeQueue(t);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->delta, 0);
  EXPECT_FALSE(r->leak);
  EXPECT_EQ(r->detail, "channel c: 2 put, 1 got, 0 left (closed)");
  t.left = 1;
  EXPECT_TRUE(JudgeQueue(t)->leak);
  // Open, it is judged as a queue.
  t.closed = false;
  EXPECT_FALSE(JudgeQueue(t)->leak);
  t.left = 0;
  EXPECT_TRUE(JudgeQueue(t)->leak);
}

}  // namespace
}  // namespace endgame::run
