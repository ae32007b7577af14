#include "endgame/scenario/snippets.h"

#include <gtest/gtest.h>

#include "endgame/scenario/names.h"

namespace endgame::scenario {
namespace {

TEST(SnippetsTest, TableIsInKindOrderWithSaneBounds) {
  int i = 0;
  for (const SnippetInfo& info : AllSnippets()) {
    EXPECT_EQ(static_cast<int>(info.kind), i++) << info.name;
    EXPECT_EQ(FindSnippet(info.name), &info);
    EXPECT_EQ(&InfoOf(info.kind), &info);
    EXPECT_FALSE(info.doc.empty());
    for (const SnippetArg& a : info.Args()) {
      EXPECT_FALSE(a.name.empty());
      EXPECT_FALSE(a.doc.empty()) << info.name << " " << a.name;
      if (a.type == ArgType::kInt || a.type == ArgType::kBool) {
        EXPECT_LE(a.min, a.def) << info.name << " " << a.name;
        EXPECT_LE(a.def, a.max) << info.name << " " << a.name;
      }
      if (a.type == ArgType::kIdentOrString) {
        EXPECT_TRUE(IsDottedIdentifier(a.text_def));
      }
      if (a.field == SnippetField::kMs) {
        EXPECT_EQ(a.max, kMaxMs);
      }
    }
  }
  EXPECT_EQ(i, 19);
}

TEST(SnippetsTest, DefaultsAsDecided) {
  EXPECT_EQ(DefaultSnippet(SnippetKind::kCompute).n, 1000);
  EXPECT_EQ(DefaultSnippet(SnippetKind::kSleep).ms, 10);
  EXPECT_EQ(DefaultSnippet(SnippetKind::kBusy).ms, 100);
  EXPECT_EQ(DefaultSnippet(SnippetKind::kBusyPoll).ms, 100);
  Snippet t = DefaultSnippet(SnippetKind::kThread);
  EXPECT_FALSE(t.daemon);
  EXPECT_EQ(t.ms, 100);
  EXPECT_EQ(t.n, 1);
  EXPECT_EQ(DefaultSnippet(SnippetKind::kImport).text, "json");
  EXPECT_EQ(DefaultSnippet(SnippetKind::kAlloc).kb, 64);
  EXPECT_EQ(DefaultSnippet(SnippetKind::kFiles).n, 1);
  EXPECT_EQ(DefaultSnippet(SnippetKind::kLockWait).ms, 100);
  EXPECT_EQ(DefaultSnippet(SnippetKind::kRaise).text, "RuntimeError");
  EXPECT_EQ(DefaultSnippet(SnippetKind::kRecurse).depth, 50);
  Snippet code;
  code.kind = SnippetKind::kCode;
  EXPECT_EQ(DefaultSnippet(SnippetKind::kCode), code);
  EXPECT_EQ(DefaultSnippet(SnippetKind::kNoop), Snippet{});
  // fork: the child exits at once; ms= is its only argument.
  EXPECT_EQ(DefaultSnippet(SnippetKind::kFork).ms, 0);
  EXPECT_EQ(InfoOf(SnippetKind::kFork).Args().size(), 1u);
  EXPECT_EQ(FindSnippet("fork"), &InfoOf(SnippetKind::kFork));
}

TEST(SnippetsTest, FindArg) {
  const SnippetInfo& thread = InfoOf(SnippetKind::kThread);
  ASSERT_NE(thread.FindArg("daemon"), nullptr);
  EXPECT_EQ(thread.FindArg("daemon")->field, SnippetField::kDaemon);
  EXPECT_EQ(thread.FindArg("kb"), nullptr);
  EXPECT_EQ(InfoOf(SnippetKind::kCode).FindArg("source"), nullptr);  // positional only
}

}  // namespace
}  // namespace endgame::scenario
