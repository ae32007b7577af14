// The version table: tests/versions/*.scn run through `endgame run FILE
// --json` on the embedded CPython, each in a supervised child.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "endgame/base/json_parse.h"
#include "endgame/base/subprocess.h"
#include "gtest/gtest.h"

namespace endgame {
namespace {

// The version table (tests/versions/*.scn): each file states in its
// `requires` line which CPythons it is about and in its `expect` line what
// they do, with the measurements in its comments. One test per file; on the
// CPythons a file does not apply to, it is skipped, so every lane (3.13,
// 3.14, 3.15, release and debug) asserts its own rows.
class VersionTable : public ::testing::TestWithParam<std::string> {};

TEST_P(VersionTable, VerdictIsTheMeasuredOne) {
  ChildOptions o;
  o.argv = {ENDGAME_BIN, "run", GetParam(), "--json"};
  o.timeout = absl::Seconds(240);
#ifdef ENDGAME_SCENARIO_PYTHONPATH
  o.env_add = {"PYTHONPATH=" ENDGAME_SCENARIO_PYTHONPATH};  // the scenarios' own strategy modules
#endif
  absl::StatusOr<ChildResult> r = RunChild(o);
  ASSERT_TRUE(r.ok()) << r.status();
  absl::StatusOr<JsonValue> j = ParseJson(r->out);
  ASSERT_TRUE(j.ok()) << j.status() << "\n" << r->out << r->err;
  if ((*j)["verdict_kind"].str() == "skipped") GTEST_SKIP() << (*j)["verdict"].str();
  EXPECT_TRUE((*j)["expectation_met"].boolean())
      << GetParam() << ": expected " << (*j)["expected"].str() << ", got " << (*j)["verdict"].str() << " on "
      << (*j)["python"].str() << "\n" << r->err;
  EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
}

std::vector<std::string> VersionFiles() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(ENDGAME_VERSION_SCENARIOS)) {
    if (e.path().extension() == ".scn") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Versions, VersionTable, ::testing::ValuesIn(VersionFiles()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           return std::filesystem::path(i.param).stem().string();
                         });

}  // namespace
}  // namespace endgame
