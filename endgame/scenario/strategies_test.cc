// The strategy table (strategies.h) is what every component reads: each entry
// parses, prints, checks and round-trips through the byte codec with every
// argument at its bounds; the byte layout decodes as it always has; the
// generator draws the other built-ins only when asked.
#include "endgame/scenario/strategies.h"

#include "absl/strings/match.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "endgame/scenario/check.h"
#include "endgame/scenario/codec.h"
#include "endgame/scenario/generator.h"
#include "endgame/scenario/text.h"

namespace endgame::scenario {
namespace {

std::string Decoded(std::initializer_list<int> bytes) {
  std::string b;
  for (int x : bytes) b.push_back(static_cast<char>(x));
  return PrintScenario(DecodeScenario(b));
}

TEST(StrategiesTest, TheTableNamesEveryStrategyOnce) {
  std::set<std::string_view> words;
  for (const StrategyInfo& i : Strategies()) EXPECT_TRUE(words.insert(i.word).second) << i.word;
  // Every built-in in table order, the user's module left out.
  std::string all;
  for (const StrategyInfo& i : Strategies()) {
    if (!i.user_module) all += (all.empty() ? "" : ",") + std::string(i.word);
  }
  EXPECT_EQ(AllStrategyList(), all);
  EXPECT_TRUE(absl::StartsWith(all, "cache,dedicated,trio,threadpool,actor,interpreter_pool")) << all;
  EXPECT_EQ(DefaultStrategyList(), "cache,dedicated");
  EXPECT_TRUE(Strategies().back().user_module);  // the codec's extended index puts it last
  EXPECT_EQ(FindStrategy("interpreter_pool")->min_minor, 14);
  EXPECT_EQ(FindStrategy("trio")->library, "trio");
  EXPECT_EQ(FindStrategy("nope"), nullptr);
}

// The header byte can say everything a typed-field strategy holds: one number
// (kHStrategyArg) and one capi-only word (kHSticky).
TEST(StrategiesTest, HeaderStrategiesFitTheHeaderByte) {
  for (const StrategyInfo& i : Strategies()) {
    if (i.kind == StrategyKind::kPython) continue;
    int numbers = 0, words = 0;
    for (const StrategyArg& a : i.args) {
      if (a.unit == ArgUnit::kWord) {
        ++words;
        EXPECT_EQ(a.words.size(), 2u) << i.word;
        EXPECT_EQ(a.default_value, 0) << i.word;
        EXPECT_EQ(a.capi_only, 1) << i.word;
      } else {
        ++numbers;
      }
    }
    EXPECT_LE(numbers, 1) << i.word;
    EXPECT_LE(words, 1) << i.word;
  }
}

// Every entry, with every argument at its default, its min and its max (each
// word of a word argument), under both drivers where allowed: text and bytes
// round-trip and the canonical text omits defaults.
TEST(StrategiesTest, EveryEntryAndArgumentRoundTrips) {
  int checked = 0;
  for (const StrategyInfo& i : Strategies()) {
    if (i.user_module) continue;
    for (Driver d : {Driver::kCapi, Driver::kInterpreters}) {
      std::vector<StrategySpec> specs = {DefaultSpec(i)};
      for (const StrategyArg& a : i.args) {
        for (int64_t v : {a.min, a.max}) {
          if (v == a.capi_only && d != Driver::kCapi) continue;
          StrategySpec s = DefaultSpec(i);
          SetStrategyArg(&s, a.key, v);
          EXPECT_EQ(StrategyArgValue(s, a.key), v) << i.word << " " << a.key;
          specs.push_back(s);
        }
      }
      for (const StrategySpec& spec : specs) {
        Scenario s;
        s.driver = d;
        s.strategy = spec;
        ASSERT_TRUE(CheckScenario(s).ok()) << CheckScenario(s);
        std::string text = PrintScenario(s);
        absl::StatusOr<Scenario> back = ParseScenario(text, "t.scn");
        ASSERT_TRUE(back.ok()) << back.status() << "\n" << text;
        EXPECT_EQ(*back, s) << text;
        EXPECT_EQ(DecodeScenario(EncodeScenario(s)), s) << text;
        EXPECT_EQ(StrategyWord(spec), i.word);
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 20);
}

// The byte layout of docs/scenario-language.md, as fuzz corpora hold it.
TEST(StrategiesTest, OldBytesDecodeAsBefore) {
  EXPECT_EQ(Decoded({0x08, 0x03}), "strategy cache workers=4\n");
  EXPECT_EQ(Decoded({0x0a, 0x05}), "strategy dedicated bound_ms=5\n");
  EXPECT_EQ(Decoded({0x04}), "strategy cache tstate=sticky\n");
  EXPECT_EQ(Decoded({0x05}), "driver interpreters\n");  // sticky needs capi: dropped
  EXPECT_EQ(Decoded({0x06}), "strategy dedicated\n");   // dedicated has no sticky
  EXPECT_EQ(Decoded({0x20, 0x20, 0x02}), "strategy actor\n");
  // The extended index is taken modulo the entries after cache and dedicated,
  // and `python` is the last: a strategy added to the table moves these two.
  const int n = static_cast<int>(Strategies().size()) - 2;
  EXPECT_EQ(Decoded({0x20, 0x20, n + 2}), "strategy actor\n");
  EXPECT_EQ(Decoded({0x20, 0x20, 0x03, 0x03}), "strategy interpreter_pool workers=3\n");
  EXPECT_EQ(Decoded({0x20, 0x20, n - 1, 0x03, 'm', 'o', 'd', 0x00}), "strategy python module=mod\n");
  EXPECT_EQ(Decoded({0x28, 0x02, 0x20, 0x01}), "strategy threadpool\n");  // the extended byte wins
}

TEST(StrategiesTest, TextErrorsComeFromTheTable) {
  absl::StatusOr<Scenario> s = ParseScenario("strategy threadpool tstate=sticky\n", "x.scn");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "x.scn:1:21: 'strategy threadpool' takes no argument 'tstate'");
  s = ParseScenario("strategy cache tstate=stiky\n", "x.scn");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "x.scn:1:23: unknown value 'stiky' for 'tstate' (did you mean 'sticky'?)");
  s = ParseScenario("strategy actr\n", "x.scn");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "x.scn:1:10: unknown strategy 'actr' (did you mean 'actor'?)");
}

TEST(StrategiesTest, GeneratorDrawsTheOtherBuiltinsOnlyWhenAsked) {
  GeneratorOptions o;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 200; ++i) {
    Scenario s = Generate(o, rng);
    EXPECT_NE(s.strategy.kind, StrategyKind::kPython) << PrintScenario(s);
  }
  o.other_strategy_percent = 100;
  std::set<std::string> seen;
  for (int i = 0; i < 400; ++i) {
    Scenario s = Generate(o, rng);
    ASSERT_TRUE(CheckScenario(s).ok()) << CheckScenario(s) << PrintScenario(s);
    const StrategyInfo* info = InfoOf(s.strategy);
    ASSERT_NE(info, nullptr);
    EXPECT_FALSE(info->user_module);
    EXPECT_EQ(info->kind, StrategyKind::kPython);
    seen.insert(StrategyWord(s.strategy));
    for (const StrategyArg& a : info->args) {
      if (a.unit == ArgUnit::kCount) {
        EXPECT_LE(StrategyArgValue(s.strategy, a.key), o.max_workers);
      }
      if (a.unit == ArgUnit::kMs) {
        EXPECT_LE(StrategyArgValue(s.strategy, a.key), std::max(o.max_bound_ms, a.default_value));
      }
    }
  }
  std::set<std::string> builtins;  // every Python built-in of the table
  for (const StrategyInfo& i : Strategies()) {
    if (i.kind == StrategyKind::kPython && !i.user_module) builtins.insert(std::string(i.word));
  }
  EXPECT_EQ(seen, builtins);
  EXPECT_TRUE(builtins.count("trio") && builtins.count("interpreter_pool"));
  o.other_strategies = {"actor"};
  for (int i = 0; i < 50; ++i) EXPECT_EQ(StrategyWord(Generate(o, rng).strategy), "actor");
}

}  // namespace
}  // namespace endgame::scenario
