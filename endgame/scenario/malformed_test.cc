// Every malformed input of testdata/malformed_cases.h gives its exact
// "file:line:col: message" error.
#include <gtest/gtest.h>

#include <string>

#include "endgame/scenario/testdata/malformed_cases.h"
#include "endgame/scenario/text.h"

namespace endgame::scenario {
namespace {

using testdata::MalformedCase;

class MalformedTest : public testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedTest, GivesExactError) {
  const MalformedCase& c = GetParam();
  absl::StatusOr<Scenario> s = ParseScenario(c.text, "x.scn");
  ASSERT_FALSE(s.ok()) << "parsed:\n" << c.text;
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(s.status().message()), "x.scn:" + c.error);
}

INSTANTIATE_TEST_SUITE_P(Cases, MalformedTest, testing::ValuesIn(testdata::MalformedCases()),
                         [](const testing::TestParamInfo<MalformedCase>& i) {
                           return i.param.name;
                         });

TEST(MalformedCasesTest, AtLeastTwenty) { EXPECT_GE(testdata::MalformedCases().size(), 20u); }

// The file name is used as given.
TEST(MalformedTest, UsesFileNameAsGiven) {
  absl::StatusOr<Scenario> s = ParseScenario("spwan a\n", "dir/sub/f.scn");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(std::string(s.status().message()),
            "dir/sub/f.scn:1:1: unknown keyword 'spwan' (did you mean 'spawn'?)");
}

// Columns count code points, so a name with non-ASCII text before the error
// still points at the right character.
TEST(MalformedTest, ColumnsCountCodePoints) {
  absl::StatusOr<Scenario> s = ParseScenario("name \"héllo\" x\n", "u.scn");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(std::string(s.status().message()), "u.scn:1:14: unexpected 'x'");
}

// The first error in file order wins, even when a later line has a value
// error and an earlier line a semantic one.
TEST(MalformedTest, FirstErrorInFileOrder) {
  absl::StatusOr<Scenario> s = ParseScenario("gc a\nsleep ms=abc\n", "o.scn");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(std::string(s.status().message()),
            "o.scn:1:4: interpreter 'a' is used before it is spawned");
}

// Non-printable bytes in echoed tokens are escaped, so messages stay one line.
TEST(MalformedTest, EscapesNonPrintableBytes) {
  absl::StatusOr<Scenario> s = ParseScenario(std::string("sp\x01wn a\n"), "b.scn");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(std::string(s.status().message()),
            "b.scn:1:1: unknown keyword 'sp\\x01wn' (did you mean 'spawn'?)");
}

}  // namespace
}  // namespace endgame::scenario
