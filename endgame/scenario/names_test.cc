#include "endgame/scenario/names.h"

#include <gtest/gtest.h>

#include "endgame/scenario/snippets.h"

namespace endgame::scenario {
namespace {

template <typename E>
void ExpectTableRoundTrips() {
  for (const auto& k : Words<E>::kAll) {
    EXPECT_EQ(NameOf(k.value), k.word);
    EXPECT_EQ(FromName<E>(k.word), k.value);
  }
}

TEST(NamesTest, TablesRoundTrip) {
  ExpectTableRoundTrips<StepKind>();
  ExpectTableRoundTrips<Driver>();
  ExpectTableRoundTrips<ExecOn>();
  ExpectTableRoundTrips<CancelVia>();
  ExpectTableRoundTrips<DestroyVia>();
  ExpectTableRoundTrips<DestroyFrom>();
  ExpectTableRoundTrips<InterpConfig::Base>();
  ExpectTableRoundTrips<InterpConfig::Gil>();
  ExpectTableRoundTrips<InterpConfig::Obmalloc>();
  ExpectTableRoundTrips<Requirement::Op>();
  ExpectTableRoundTrips<Unbound>();
  ExpectTableRoundTrips<Value::Kind>();
  ExpectTableRoundTrips<CallFunc>();
  EXPECT_EQ(std::size(Words<StepKind>::kAll), 16u);
  // `channel` is a queue step's spelling, not a StepKind of its own.
  EXPECT_FALSE(FromName<StepKind>(kChannelWord).has_value());
  EXPECT_EQ(StepWord(Step::Channel("c")), "channel");
  EXPECT_EQ(StepWord(Step::Queue("q")), "queue");
  EXPECT_EQ(StepWord(Step::Close("c")), "close");
  EXPECT_FALSE(FromName<Driver>("CAPI").has_value());
  EXPECT_EQ(NameOf(static_cast<Driver>(7)), "?");
}

TEST(NamesTest, ValidNames) {
  EXPECT_TRUE(IsValidName("a"));
  EXPECT_TRUE(IsValidName("a_1_b"));
  EXPECT_TRUE(IsValidName(std::string(kMaxNameLength, 'x')));
  EXPECT_FALSE(IsValidName(std::string(kMaxNameLength + 1, 'x')));
  EXPECT_FALSE(IsValidName(""));
  EXPECT_FALSE(IsValidName("1a"));
  EXPECT_FALSE(IsValidName("_a"));
  EXPECT_FALSE(IsValidName("aB"));
  EXPECT_FALSE(IsValidName("a-b"));
}

TEST(NamesTest, DottedIdentifiers) {
  EXPECT_TRUE(IsDottedIdentifier("json"));
  EXPECT_TRUE(IsDottedIdentifier("os.path"));
  EXPECT_TRUE(IsDottedIdentifier("_Mod.Sub_2"));
  EXPECT_FALSE(IsDottedIdentifier(""));
  EXPECT_FALSE(IsDottedIdentifier("os."));
  EXPECT_FALSE(IsDottedIdentifier(".os"));
  EXPECT_FALSE(IsDottedIdentifier("a..b"));
  EXPECT_FALSE(IsDottedIdentifier("2to3"));
  EXPECT_FALSE(IsDottedIdentifier("a b"));
}

TEST(NamesTest, DidYouMean) {
  EXPECT_EQ(DidYouMean("bussy", SnippetNames()), " (did you mean 'busy'?)");
  EXPECT_EQ(DidYouMean("spwan", AllNames<StepKind>()), " (did you mean 'spawn'?)");  // a swap
  EXPECT_EQ(DidYouMean("dedicatd", AllNames<ExecOn>()), " (did you mean 'dedicated'?)");
  EXPECT_EQ(DidYouMean("xyz", SnippetNames()), "");
  EXPECT_EQ(DidYouMean("", SnippetNames()), "");
  EXPECT_EQ(DidYouMean(std::string(1000, 'a'), SnippetNames()), "");
  // A word is not "close" to a much shorter one it merely contains.
  EXPECT_EQ(DidYouMean("gcgcgc", AllNames<StepKind>()), "");
}

TEST(NamesTest, OrListAndQuoted) {
  EXPECT_EQ(OrList({"a"}), "a");
  EXPECT_EQ(OrList({"a", "b"}), "a or b");
  EXPECT_EQ(OrList({"a", "b", "c"}), "a, b or c");
  EXPECT_EQ(Quoted("x\ny"), "'x\\x0ay'");
}

}  // namespace
}  // namespace endgame::scenario
