#include "endgame/base/deadline.h"

#include "gtest/gtest.h"

namespace endgame {
namespace {

TEST(DeadlineTest, FutureDeadlineIsNotExpired) {
  Deadline d = Deadline::In(absl::Seconds(60));
  EXPECT_FALSE(d.Expired());
  EXPECT_GT(d.Remaining(), absl::Seconds(59));
  EXPECT_LE(d.Remaining(), absl::Seconds(60));
  EXPECT_GT(d.when(), absl::Now());
}

TEST(DeadlineTest, ExpiresAfterItsDuration) {
  Deadline d = Deadline::In(absl::Milliseconds(20));
  absl::SleepFor(absl::Milliseconds(40));
  EXPECT_TRUE(d.Expired());
  EXPECT_EQ(d.Remaining(), absl::ZeroDuration());
}

TEST(DeadlineTest, NegativeDurationIsAlreadyExpired) {
  Deadline d = Deadline::In(absl::Seconds(-1));
  EXPECT_TRUE(d.Expired());
  EXPECT_EQ(d.Remaining(), absl::ZeroDuration());
}

TEST(DeadlineTest, NeverDoesNotExpire) {
  for (Deadline d : {Deadline::Never(), Deadline::In(absl::InfiniteDuration())}) {
    EXPECT_FALSE(d.Expired());
    EXPECT_EQ(d.Remaining(), absl::InfiniteDuration());
    EXPECT_EQ(d.when(), absl::InfiniteFuture());
  }
}

TEST(DeadlineTest, AtKeepsTheTime) {
  absl::Time t = absl::Now() - absl::Seconds(1);
  Deadline d = Deadline::At(t);
  EXPECT_EQ(d.when(), t);
  EXPECT_TRUE(d.Expired());
}

}  // namespace
}  // namespace endgame
