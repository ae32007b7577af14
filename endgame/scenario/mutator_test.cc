#include "endgame/scenario/mutator.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "endgame/scenario/check.h"
#include "endgame/scenario/codec.h"
#include "endgame/scenario/text.h"

namespace endgame::scenario {
namespace {

Scenario Parse(const std::string& text) {
  absl::StatusOr<Scenario> s = ParseScenario(text, "m.scn");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Scenario{};
}

TEST(MutatorTest, ResultsAreValidAndDifferent) {
  Scenario base = Parse(
      "spawn a\nspawn b legacy\nexec a busy ms=50 as t1\nexec b thread daemon=1 as t2\n"
      "cancel t1 via=flag\nwait t1\ndestroy a from=thread as t3\nexec a noop\nwait t3\n"
      "destroy b\n");
  std::mt19937_64 rng(1);
  int grew = 0, shrank = 0, same_size = 0, header = 0;
  for (int i = 0; i < 5000; ++i) {
    Scenario m = Mutate(base, rng);
    ASSERT_TRUE(CheckScenario(m).ok()) << CheckScenario(m) << "\n" << PrintScenario(m);
    EXPECT_NE(m, base);
    if (m.steps.size() > base.steps.size()) ++grew;
    if (m.steps.size() < base.steps.size()) ++shrank;
    if (m.steps.size() == base.steps.size()) ++same_size;
    if (m.driver != base.driver || m.strategy != base.strategy ||
        m.deadline_ms != base.deadline_ms) {
      ++header;
    }
  }
  EXPECT_GT(grew, 100);
  EXPECT_GT(shrank, 100);
  EXPECT_GT(same_size, 100);
  EXPECT_GT(header, 100);
}

TEST(MutatorTest, LongChainsStayValidAndRoundTrip) {
  std::mt19937_64 rng(2);
  Scenario s;
  for (int i = 0; i < 5000; ++i) {
    s = Mutate(s, rng);
    ASSERT_TRUE(CheckScenario(s).ok()) << CheckScenario(s);
    if (i % 100 == 0) {
      ASSERT_EQ(DecodeScenario(EncodeScenario(s)), s);
      absl::StatusOr<Scenario> back = ParseScenario(PrintScenario(s), "m.scn");
      ASSERT_TRUE(back.ok()) << back.status();
      ASSERT_EQ(*back, s);
    }
  }
}

TEST(MutatorTest, MutateBytesRespectsMaxSizeAndSeed) {
  std::mt19937_64 gen(3);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes = EncodeScenario(Generate(GeneratorOptions{}, gen));
    size_t max_size = 1 + i % 200;
    std::string buf = bytes;
    buf.resize(std::max(buf.size(), max_size));
    std::string buf2 = buf;
    size_t in = std::min(bytes.size(), max_size);
    size_t n = MutateBytes(reinterpret_cast<uint8_t*>(buf.data()), in, max_size, i);
    size_t n2 = MutateBytes(reinterpret_cast<uint8_t*>(buf2.data()), in, max_size, i);
    ASSERT_LE(n, max_size);
    ASSERT_EQ(n, n2);
    ASSERT_EQ(std::memcmp(buf.data(), buf2.data(), n), 0);
    Scenario d = DecodeScenario(reinterpret_cast<const uint8_t*>(buf.data()), n);
    ASSERT_TRUE(CheckScenario(d).ok());
  }
}

}  // namespace
}  // namespace endgame::scenario
