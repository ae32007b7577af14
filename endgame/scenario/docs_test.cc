// docs/scenario-language.md documents every keyword, snippet, argument,
// default and bound. The snippet table is rendered from snippets.h and must
// appear in the docs verbatim; on a mismatch the test prints the table to paste.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "endgame/scenario/names.h"
#include "endgame/scenario/snippets.h"
#include "endgame/scenario/strategies.h"

namespace endgame::scenario {
namespace {

std::string Docs() {
  std::ifstream in(std::string(ENDGAME_DOCS_DIR) + "/scenario-language.md");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string SnippetTable() {
  std::string out = "| snippet | arguments (default, bound) | what it does |\n|---|---|---|\n";
  for (const SnippetInfo& info : AllSnippets()) {
    out += "| `" + std::string(info.name) + "` | ";
    if (info.Args().empty()) out += "none";
    bool first = true;
    for (const SnippetArg& a : info.Args()) {
      if (!first) out += "<br>";
      first = false;
      switch (a.type) {
        case ArgType::kInt:
          out += "`" + std::string(a.name) + "=" + std::to_string(a.def) + "` (" +
                 std::to_string(a.min) + ".." + std::to_string(a.max) + ")";
          break;
        case ArgType::kBool:
          out += "`" + std::string(a.name) + "=" + std::to_string(a.def) + "` (0 or 1)";
          break;
        case ArgType::kIdentOrString:
          out += "`" + std::string(a.name) + "=" + std::string(a.text_def) +
                 "` (dotted name or quoted string, at most " + std::to_string(kMaxStringLength) +
                 " bytes)";
          break;
        case ArgType::kInterp:
          out += "`" + std::string(a.name) + "=NAME` (required)";
          break;
        case ArgType::kSource:
          out += "`\"" + std::string(a.name) + "\"` (required quoted string, at most " +
                 std::to_string(kMaxStringLength) + " bytes)";
          break;
      }
      out += ": " + std::string(a.doc);
    }
    out += " | " + std::string(info.doc) + " |\n";
  }
  return out;
}

TEST(DocsTest, SnippetTableIsCurrent) {
  const std::string table = SnippetTable();
  EXPECT_NE(Docs().find(table), std::string::npos) << "paste into docs/scenario-language.md:\n"
                                                   << table;
}

std::string StrategiesDoc() {
  std::ifstream in(std::string(ENDGAME_DOCS_DIR) + "/strategies.md");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// docs/strategies.md's table of every strategy, rendered from strategies.h.
std::string StrategyTable() {
  std::string out = "| strategy | arguments (default, bound) | runs as | needs | what it does |\n|---|---|---|---|---|\n";
  for (const StrategyInfo& i : Strategies()) {
    out += "| `" + std::string(i.word) + "` | ";
    if (i.user_module) out += "`module=NAME\\|PATH` (required), any `key=value` for its `make()`";
    if (i.args.empty() && !i.user_module) out += "none";
    bool first = true;
    for (const StrategyArg& a : i.args) {
      if (!first) out += "<br>";
      first = false;
      out += "`" + std::string(a.key) + "=" + ArgText(a, a.default_value) + "` (";
      if (a.unit == ArgUnit::kWord) {
        for (size_t w = 0; w < a.words.size(); ++w) out += (w ? " or " : "") + std::string(a.words[w]);
      } else {
        out += std::to_string(a.min) + ".." + std::to_string(a.max);
      }
      out += ")";
      if (a.capi_only >= 0) out += ", " + ArgText(a, a.capi_only) + " needs driver capi";
      out += ": " + std::string(a.doc);
    }
    out += std::string(" | ") + (i.runtime == StrategyRuntime::kCpp ? "C++" : "Python") + " | ";
    std::string needs;
    if (!i.library.empty()) needs += "the `" + std::string(i.library) + "` package";
    if (i.min_minor > 0) needs += (needs.empty() ? "" : ", ") + std::string("CPython 3.") + std::to_string(i.min_minor) + "+";
    out += (needs.empty() ? "-" : needs) + " | " + std::string(i.doc) + (i.default_set ? " (default set)" : "") + " |\n";
  }
  return out;
}

TEST(DocsTest, StrategyTableIsCurrent) {
  const std::string table = StrategyTable();
  EXPECT_NE(StrategiesDoc().find(table), std::string::npos) << "paste into docs/strategies.md:\n" << table;
}

template <typename E>
void ExpectAllDocumented(const std::string& docs) {
  for (const auto& k : Words<E>::kAll) {
    EXPECT_NE(docs.find(std::string(k.word)), std::string::npos) << k.word;
  }
}

TEST(DocsTest, EveryKeywordAndBound) {
  const std::string docs = Docs();
  ASSERT_FALSE(docs.empty());
  ExpectAllDocumented<StepKind>(docs);
  ExpectAllDocumented<Driver>(docs);
  // Every strategy word of the table, each argument and each argument word.
  for (const StrategyInfo& i : Strategies()) {
    EXPECT_NE(docs.find("strategy " + std::string(i.word)), std::string::npos) << i.word;
    for (const StrategyArg& a : i.args) {
      EXPECT_NE(docs.find(std::string(a.key) + "="), std::string::npos) << i.word << " " << a.key;
      for (std::string_view w : a.words) EXPECT_NE(docs.find(std::string(w)), std::string::npos) << w;
    }
  }
  ExpectAllDocumented<ExecOn>(docs);
  ExpectAllDocumented<CancelVia>(docs);
  ExpectAllDocumented<DestroyVia>(docs);
  ExpectAllDocumented<DestroyFrom>(docs);
  ExpectAllDocumented<InterpConfig::Base>(docs);
  ExpectAllDocumented<Requirement::Op>(docs);
  for (std::string_view w : kCapabilityWords)
    EXPECT_NE(docs.find(std::string(w)), std::string::npos) << w;
  for (std::string_view w : kVerdictWords)
    EXPECT_NE(docs.find(std::string(w)), std::string::npos) << w;
  for (std::string_view w : kHeaderWords)
    EXPECT_NE(docs.find(std::string(w)), std::string::npos) << w;
  for (const char* w : {"gil=", "obmalloc=", "threads=", "daemon_threads=", "fork=", "exec=",
                        "check_extensions=", "delay_us=", "timeout_ms=", "workers=", "tstate=",
                        "bound_ms=", "on=", "via=", "from=", " as "}) {
    EXPECT_NE(docs.find(w), std::string::npos) << w;
  }
  for (long bound : {long{kMaxSpawns}, long{kMaxTasks}, long{kMaxSteps}, long{kMaxNameLength},
                     long{kMaxStringLength}, long{kMaxWorkers}, long{kMaxMs}, long{kMaxDelayUs},
                     long{kMaxRequirements}, long{kMaxVersionComponent}}) {
    EXPECT_NE(docs.find(std::to_string(bound)), std::string::npos) << bound;
  }
}

}  // namespace
}  // namespace endgame::scenario
