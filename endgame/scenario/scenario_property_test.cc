// Property tests at scale: generated scenarios round-trip through text and
// bytes; the decoder survives random, truncated and corrupted byte strings and
// never exceeds its bounds. Iteration counts default to the CMake cache values
// ENDGAME_SCENARIO_GENERATED / ENDGAME_SCENARIO_DECODE_INPUTS and can be
// overridden by environment variables of the same names.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "endgame/scenario/check.h"
#include "endgame/scenario/codec.h"
#include "endgame/scenario/generator.h"
#include "endgame/scenario/mutator.h"
#include "endgame/scenario/text.h"

namespace endgame::scenario {
namespace {

long Count(const char* env, long def) {
  const char* v = std::getenv(env);
  return v && *v ? std::strtol(v, nullptr, 10) : def;
}

// A mix that changes with i, so that the run covers small and large
// scenarios, every step kind (finalize included) and every strategy.
GeneratorOptions OptionsFor(long i) {
  GeneratorOptions o;
  switch (i % 4) {
    case 0:
      break;
    case 1:
      o.min_steps = 40;
      o.max_steps = kMaxSteps;
      o.step_weights[static_cast<int>(StepKind::kFinalize)] = 1;
      break;
    case 2:
      o.async_percent = 90;
      o.delay_percent = 80;
      o.max_delay_us = kMaxDelayUs;
      o.max_ms = kMaxMs;
      o.config_flag_percent = 50;
      break;
    case 3:
      o.step_weights.fill(1);
      o.max_steps = 10;
      o.code_dictionary = {std::string("\x00\xff\"\\\n", 5), "", "x = 'é'"};
      break;
  }
  return o;
}

// Checks the bounds DESIGN.md §4 promises and validity; returns a failure
// description or "".
std::string BoundsProblem(const Scenario& s, size_t input_size) {
  int spawns = 0, queues = 0;
  std::set<std::string> tasks;
  // Strings come from the input, except the defaults of module= and exc=.
  auto too_long = [&](const std::string& str) {
    return str.size() > static_cast<size_t>(kMaxStringLength) ||
           (str.size() > input_size && str != "json" && str != "RuntimeError" && str != "endgame");
  };
  if (too_long(s.name)) return "name too long";
  if (s.expect && too_long(s.expect->detail)) return "expect detail too long";
  for (const Step& st : s.steps) {
    if (st.kind == StepKind::kSpawn) ++spawns;
    if (st.kind == StepKind::kQueue) ++queues;
    if (!st.task.empty()) tasks.insert(st.task);
    if (too_long(st.snippet.text)) return "snippet text too long";
    if (too_long(st.value.text)) return "value text too long";
    if (st.maxsize < 0 || st.maxsize > kMaxQueueSize) return "maxsize out of bounds";
  }
  if (s.steps.size() > static_cast<size_t>(kMaxSteps)) return "too many steps";
  if (spawns > kMaxSpawns) return "too many spawns";
  if (queues > kMaxQueues) return "too many queues";
  if (tasks.size() > static_cast<size_t>(kMaxTasks)) return "too many tasks";
  absl::Status st = CheckScenario(s);
  if (!st.ok()) return std::string(st.message());
  return "";
}

// The big loops run in shards (separate ctest tests, each well under a
// minute even in a Debug build); shard k covers inputs [k*n/S, (k+1)*n/S).
constexpr int kShards = 10;

class PropertyTest : public testing::TestWithParam<int> {
 protected:
  // This shard's share of `total` iterations: [begin, end).
  std::pair<long, long> Range(long total) const {
    return {total * GetParam() / kShards, total * (GetParam() + 1) / kShards};
  }
};

INSTANTIATE_TEST_SUITE_P(Shard, PropertyTest, testing::Range(0, kShards));

TEST_P(PropertyTest, GeneratedScenariosRoundTrip) {
  const auto [begin, end] = Range(Count("ENDGAME_SCENARIO_GENERATED", ENDGAME_SCENARIO_GENERATED));
  std::mt19937_64 rng(20240601 + GetParam());
  for (long i = begin; i < end; ++i) {
    Scenario s = Generate(OptionsFor(i), rng);
    ASSERT_TRUE(CheckScenario(s).ok()) << i << ": " << CheckScenario(s);
    const std::string text = PrintScenario(s);
    absl::StatusOr<Scenario> parsed = ParseScenario(text, "generated");
    ASSERT_TRUE(parsed.ok()) << i << ": " << parsed.status() << "\n" << text;
    ASSERT_EQ(*parsed, s) << i << "\n" << text;
    ASSERT_EQ(PrintScenario(*parsed), text) << i;
    const std::string bytes = EncodeScenario(s);
    ASSERT_EQ(DecodeScenario(bytes), s) << i << "\n" << text;
  }
}

TEST_P(PropertyTest, DecoderIsTotalAndBounded) {
  const auto [begin, end] =
      Range(Count("ENDGAME_SCENARIO_DECODE_INPUTS", ENDGAME_SCENARIO_DECODE_INPUTS));
  std::mt19937_64 rng(42 + GetParam());
  // Encodings of generated scenarios, truncated or corrupted below.
  std::vector<std::string> pool;
  for (long i = 0; i < 1024; ++i) pool.push_back(EncodeScenario(Generate(OptionsFor(i), rng)));
  std::string bytes;
  for (long i = begin; i < end; ++i) {
    switch (i % 3) {
      case 0: {  // random bytes, mostly short, sometimes long
        size_t len = rng() % 8 == 0 ? rng() % 5000 : rng() % 300;
        bytes.resize(len);
        for (size_t k = 0; k < len; k += 8) {
          uint64_t r = rng();
          for (size_t b = k; b < k + 8 && b < len; ++b, r >>= 8) bytes[b] = static_cast<char>(r);
        }
        break;
      }
      case 1: {  // a truncated encoding
        bytes = pool[rng() % pool.size()];
        bytes.resize(rng() % (bytes.size() + 1));
        break;
      }
      case 2: {  // an encoding with a few bytes corrupted
        bytes = pool[rng() % pool.size()];
        for (int k = 1 + rng() % 4; k > 0 && !bytes.empty(); --k) {
          bytes[rng() % bytes.size()] = static_cast<char>(rng());
        }
        break;
      }
    }
    const Scenario s = DecodeScenario(bytes);
    const std::string problem = BoundsProblem(s, bytes.size());
    ASSERT_EQ(problem, "") << "input " << i;
    ASSERT_EQ(DecodeScenario(bytes), s) << "nondeterministic, input " << i;
    ASSERT_EQ(DecodeScenario(EncodeScenario(s)), s) << "input " << i;
    if (i % 8 == 0) {
      absl::StatusOr<Scenario> parsed = ParseScenario(PrintScenario(s), "decoded");
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      ASSERT_EQ(*parsed, s) << "input " << i;
    }
  }
}

TEST_P(PropertyTest, ParserSurvivesMutatedText) {
  // Byte-level damage to valid text: the parser returns a value or an error
  // with a position, never crashes; whatever it accepts is valid.
  const auto [begin, end] =
      Range(Count("ENDGAME_SCENARIO_GENERATED", ENDGAME_SCENARIO_GENERATED) / 4);
  std::mt19937_64 rng(9 + GetParam());
  for (long i = begin; i < end; ++i) {
    std::string text = PrintScenario(Generate(OptionsFor(i), rng));
    for (int k = 1 + rng() % 3; k > 0 && !text.empty(); --k) {
      size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[at] = static_cast<char>(rng());
          break;
        case 1:
          text.erase(at, 1 + rng() % 4);
          break;
        case 2:
          text.insert(at, 1, " \"=#\\\n"[rng() % 6]);
          break;
      }
    }
    absl::StatusOr<Scenario> s = ParseScenario(text, "f.scn");
    if (s.ok()) {
      ASSERT_TRUE(CheckScenario(*s).ok()) << text;
    } else {
      ASSERT_EQ(std::string(s.status().message()).rfind("f.scn:", 0), 0u) << s.status();
      ASSERT_EQ(std::string(s.status().message()).find('\n'), std::string::npos) << s.status();
    }
  }
}

}  // namespace
}  // namespace endgame::scenario
