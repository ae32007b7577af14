#include "endgame/run/child_protocol.h"

#include "gtest/gtest.h"

namespace endgame::run {
namespace {

TEST(ChildProtocol, TheRequestIsTheChildsCommandLine) {
  EXPECT_EQ(ChildArgv("/b/endgame", {"x.scn", 1}), (std::vector<std::string>{"/b/endgame", "run", "x.scn", "--child"}));
  EXPECT_EQ(ChildArgv("/b/endgame", {"x.scn", 5}),
            (std::vector<std::string>{"/b/endgame", "run", "x.scn", "--child", "--repeat", "5"}));
}

TEST(ChildProtocol, WhatTheChildPrintsParsesBack) {
  StepRecord start;
  start.index = 3;
  start.kind = "exec";
  start.text = "exec a busy ms=5 as t";
  start.duration_us = -1;
  StepRecord end = start;
  end.duration_us = 120;
  end.status = "started";
  StepRecord hung = start;
  hung.index = 4;
  hung.kind = "wait";
  hung.text = "wait t";
  EXPECT_EQ(StepLine(start), "@@endgame step 3 exec start exec a busy ms=5 as t\n");
  EXPECT_EQ(StepLine(end), "@@endgame step 3 exec end started\n");
  RunResult r;
  r.python = "3.13.1 release";
  const std::string out = PythonLine("3.13.1", "release") + StepLine(start) + "stray output\n" + StepLine(end) +
                          NoteLine("a note") + StepLine(hung) + ResultLine(r);
  ChildReport rep = ParseChildOutput(out);
  EXPECT_EQ(rep.python, "3.13.1 release");
  ASSERT_EQ(rep.steps.size(), 2u);
  EXPECT_EQ(rep.steps[0].index, 3);
  EXPECT_EQ(rep.steps[0].kind, "exec");
  EXPECT_EQ(rep.steps[0].text, "exec a busy ms=5 as t");
  EXPECT_EQ(rep.steps[0].status, "started");
  EXPECT_EQ(rep.steps[1].status, "running");  // no end line: the step it died in
  EXPECT_EQ(rep.notes, std::vector<std::string>{"a note"});
  ASSERT_EQ(rep.results.size(), 1u);
  absl::StatusOr<RunResult> back = FromJson(rep.results[0]);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->python, "3.13.1 release");
}

}  // namespace
}  // namespace endgame::run
