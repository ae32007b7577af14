#include "endgame/run/step_outcome.h"

#include <gtest/gtest.h>

#include "endgame/py/error.h"

namespace endgame::run {
namespace {

using Kind = StepOutcome::Kind;

TEST(StepOutcome, PrintsTheStepStatusWords) {
  EXPECT_EQ(StepOutcome::Ok().ToText(), "ok");
  EXPECT_EQ(StepOutcome::Ok("already done").ToText(), "ok: already done");
  EXPECT_EQ(StepOutcome::Of(Kind::kStarted).ToText(), "started");
  EXPECT_EQ(StepOutcome::Of(Kind::kTimeout).ToText(), "timeout");
  EXPECT_EQ(StepOutcome::Of(Kind::kAbandoned).ToText(), "abandoned");
  EXPECT_EQ(StepOutcome::Of(Kind::kRunning).ToText(), "running");
  EXPECT_EQ(StepOutcome::Of(Kind::kHang).ToText(), "hang");
  EXPECT_EQ(StepOutcome::Skipped("no task t1").ToText(), "skipped: no task t1");
  EXPECT_EQ(StepOutcome::Of(Kind::kError, "KeyError: 'x'").ToText(), "error KeyError: 'x'");
}

TEST(StepOutcome, FromStatuses) {
  StepOutcome py = OutcomeOf(py::PythonError("KeyError", "'x'"));
  EXPECT_EQ(py.kind, Kind::kError);
  EXPECT_EQ(py.ToText(), "error KeyError: 'x'");
  EXPECT_EQ(py.ErrorType(), "KeyError");
  // Trailing separators of an empty message are dropped.
  EXPECT_EQ(OutcomeOf(py::PythonError("QueueEmpty", "")).ToText(), "error QueueEmpty");
  EXPECT_EQ(OutcomeOf(absl::OkStatus()).ToText(), "ok");
  EXPECT_EQ(OutcomeOf(absl::CancelledError("cancelled before it started")).ToText(),
            "cancelled: cancelled before it started");
  EXPECT_EQ(OutcomeOf(absl::UnimplementedError("no via=flag")).ToText(), "skipped: no via=flag");
  StepOutcome other = OutcomeOf(absl::FailedPreconditionError("interpreter 3 is gone"));
  EXPECT_EQ(other.ToText(), "error FAILED_PRECONDITION: interpreter 3 is gone");
  EXPECT_EQ(other.ErrorType(), "FAILED_PRECONDITION");
  EXPECT_EQ(StepOutcome::Skipped("x").ErrorType(), "");
}

}  // namespace
}  // namespace endgame::run
