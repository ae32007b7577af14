#include "endgame/report/triage.h"

#include <filesystem>

#include "absl/strings/match.h"
#include "endgame/base/json_parse.h"
#include "endgame/report/atomic_file.h"
#include "gtest/gtest.h"

namespace endgame::report {
namespace {

namespace fs = std::filesystem;

TEST(Triage, ReplayJsonHasTheRateAndEachOutcomeByKind) {
  ReplayStats st;
  st.signature = "3f2a9c0d1e2b";
  st.cause = "destroy-running";
  st.reproduced = 2;
  st.runs = 3;
  run::Verdict crash;
  crash.kind = run::VerdictKind::kCrash;
  crash.detail = "SIGSEGV";
  st.verdicts["crash SIGSEGV  [3f2a9c0d1e2b]"] = 2;
  st.verdict_of["crash SIGSEGV  [3f2a9c0d1e2b]"] = crash;
  st.verdicts["ok"] = 1;
  st.verdict_of["ok"] = run::Verdict();
  absl::StatusOr<JsonValue> j = ParseJson(ReplayJson(st));
  ASSERT_TRUE(j.ok()) << j.status();
  EXPECT_EQ((*j)["reproduced"].integer(), 2);
  EXPECT_EQ((*j)["runs"].integer(), 3);
  EXPECT_EQ((*j)["cause"].str(), "destroy-running");
  ASSERT_EQ((*j)["outcomes"].items().size(), 2u);
  EXPECT_EQ((*j)["outcomes"].items()[0]["kind"].str(), "crash");
  EXPECT_EQ((*j)["outcomes"].items()[0]["count"].integer(), 2);
}

TEST(Triage, AFolderIsLoadedThroughItsScenarioFile) {
  fs::path dir = fs::path(testing::TempDir()) / "triage_test_folder";
  fs::create_directories(dir);
  ASSERT_TRUE(WriteFileAtomically((dir / kScenarioFile).string(), "spawn a\ndestroy a\n").ok());
  absl::StatusOr<Target> t = LoadTarget(dir.string());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->folder, dir.string());
  EXPECT_TRUE(absl::EndsWith(t->file, kScenarioFile));
  EXPECT_EQ(t->scenario.steps.size(), 2u);
  EXPECT_FALSE(t->meta.ok());  // no meta.json: not a finding yet
  EXPECT_FALSE(LoadTarget((dir / "missing.scn").string()).ok());
}

}  // namespace
}  // namespace endgame::report
