#include "endgame/run/requirements.h"

#include <gtest/gtest.h>

#include "endgame/scenario/text.h"

namespace endgame::run {
namespace {

scenario::Scenario Parse(const char* text) {
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text, "t.scn");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : scenario::Scenario{};
}

py::Capabilities Python(int minor, int micro, bool with_module = true) {
  py::Capabilities c;
  c.major = 3;
  c.minor = minor;
  c.micro = micro;
  c.version = "3." + std::to_string(minor) + "." + std::to_string(micro);
  if (with_module) c.interpreters_module = minor >= 13 ? "_interpreters" : "_xxsubinterpreters";
  return c;
}

TEST(Requirements, PythonVersions) {
  scenario::Scenario s = Parse("requires python>=3.13\nspawn a\n");
  EXPECT_EQ(Unmet(s, Python(13, 0)), "");
  EXPECT_EQ(Unmet(s, Python(12, 9)), "requires python>=3.13 (have 3.12.9)");
  scenario::Scenario lt = Parse("requires python<3.13.2\nspawn a\n");
  EXPECT_EQ(Unmet(lt, Python(13, 1)), "");
  EXPECT_EQ(Unmet(lt, Python(13, 2)), "requires python<3.13.2 (have 3.13.2)");
}

TEST(Requirements, Capabilities) {
  scenario::Scenario s = Parse("requires debug\nspawn a\n");
  py::Capabilities release = Python(13, 0);
  EXPECT_EQ(Unmet(s, release), "requires debug");
  py::Capabilities debug = release;
  debug.debug = true;
  EXPECT_EQ(Unmet(s, debug), "");
}

TEST(Requirements, DriverInterpretersNeedsAModule) {
  scenario::Scenario s = Parse("driver interpreters\nspawn a\n");
  EXPECT_EQ(Unmet(s, Python(13, 0)), "");
  EXPECT_EQ(Unmet(s, Python(11, 0, /*with_module=*/false)), "driver interpreters needs an interpreters module");
}

TEST(Requirements, StepsOnlyCPython313Has) {
  scenario::Scenario s = Parse("spawn a\nqueue q1\nput q1 from=a value=1\n");
  EXPECT_EQ(Unmet(s, Python(13, 0)), "");
  EXPECT_EQ(Unmet(s, Python(12, 1)), "queue steps need _interpqueues (CPython 3.13+; have 3.12.1)");
  scenario::Scenario nested = Parse("driver interpreters\nspawn a\nspawn b\nexec a nested target=b\n");
  ASSERT_EQ(nested.steps.size(), 3u);
  EXPECT_EQ(Needs313(nested.steps[0]), nullptr);
  ASSERT_NE(Needs313(nested.steps[2]), nullptr);
  EXPECT_STREQ(Needs313(nested.steps[2]), "nested execs need _interpreters in the interpreter");
  EXPECT_EQ(Unmet(nested, Python(12, 1)),
            "nested execs need _interpreters in the interpreter (CPython 3.13+; have 3.12.1)");
}

}  // namespace
}  // namespace endgame::run
