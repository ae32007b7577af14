// The strategy table (scenario/strategies.h) and what can run it agree: every
// C++ entry has a factory in registry.cc, every Python built-in its embedded
// endgame/strategy/py/<word>.py, and no source or factory lacks an entry.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "endgame/scenario/strategies.h"
#include "endgame/strategy/strategy.h"

namespace endgame::strategy {
namespace {

TEST(RegistryTest, EveryTableEntryCanRun) {
  std::vector<std::string_view> sources = BuiltinPythonSources();
  for (const scenario::StrategyInfo& i : scenario::Strategies()) {
    if (i.runtime == scenario::StrategyRuntime::kCpp) {
      EXPECT_TRUE(HasFactory(i.word)) << i.word << ": add its factory to kFactories in registry.cc";
    } else if (!i.user_module) {
      EXPECT_NE(std::find(sources.begin(), sources.end(), i.word), sources.end())
          << i.word << ": no endgame/strategy/py/" << i.word << ".py";
    }
  }
}

TEST(RegistryTest, EveryEmbeddedSourceHasATableEntry) {
  for (std::string_view w : BuiltinPythonSources()) {
    const scenario::StrategyInfo* i = scenario::FindStrategy(w);
    ASSERT_NE(i, nullptr) << w << ".py has no entry in scenario/strategies.cc";
    EXPECT_EQ(i->runtime, scenario::StrategyRuntime::kPython) << w;
  }
  EXPECT_FALSE(HasFactory("trio"));
  EXPECT_FALSE(HasFactory("nope"));
}

}  // namespace
}  // namespace endgame::strategy
