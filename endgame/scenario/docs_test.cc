// docs/scenario-language.md documents every keyword, snippet, argument,
// default and bound. Each check renders its text from the tables in code
// (snippets.h, strategies.h, names.h, scenario.h) and looks for it in the
// heading or table row where it belongs; the snippet table must appear
// verbatim, and on a mismatch the test prints the table to paste.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "endgame/scenario/names.h"
#include "endgame/scenario/scenario.h"
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

// The docs as lines, its `###` headings and its table rows (cells split on
// unescaped `|`, trimmed). The checks below look for rendered text in a
// given heading or table row, never for a word anywhere in the prose: "gc"
// or "<" would be found in any page.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      out.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 1; i < row.size(); ++i) {  // row[0] is the leading '|'
    if (row[i] == '|' && row[i - 1] != '\\') {
      size_t b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return cells;
}

// The table rows whose first cell is `first` or starts with it.
std::vector<std::vector<std::string>> RowsStartingWith(const std::string& docs, const std::string& first) {
  std::vector<std::vector<std::string>> out;
  for (const std::string& line : Lines(docs)) {
    if (line.empty() || line[0] != '|') continue;
    std::vector<std::string> cells = Cells(line);
    if (!cells.empty() && cells[0].compare(0, first.size(), first) == 0) out.push_back(cells);
  }
  return out;
}

// The `### ` heading of step `word`: "### `word ...`" or "### `word`".
std::string StepHeading(const std::string& docs, std::string_view word) {
  for (const std::string& line : Lines(docs)) {
    const std::string head = "### `" + std::string(word);
    if (line.compare(0, head.size(), head) == 0 &&
        (line.size() == head.size() || line[head.size()] == ' ' || line[head.size()] == '`')) {
      return line;
    }
  }
  return "";
}

// "w1|w2|w3" of an enum's words, in table order, joined by `sep`.
template <typename E>
std::string Alternatives(std::string_view sep = "|", std::string_view quote = "") {
  std::string out;
  for (const auto& k : Words<E>::kAll) {
    if (!out.empty()) out += sep;
    out += std::string(quote) + std::string(k.word) + std::string(quote);
  }
  return out;
}

TEST(DocsTest, EveryStepHasItsHeadingWithItsWords) {
  const std::string docs = Docs();
  ASSERT_FALSE(docs.empty());
  for (const auto& k : Words<StepKind>::kAll) {
    EXPECT_NE(StepHeading(docs, k.word), "") << "no heading ### `" << k.word << " ...`";
  }
  // An argument that takes words lists them in its step's heading, in table order.
  const std::pair<std::string_view, std::string> synopses[] = {
      {"spawn", "[" + Alternatives<InterpConfig::Base>() + "]"},
      {"exec", "[on=" + Alternatives<ExecOn>() + "]"},
      {"cancel", "[via=" + Alternatives<CancelVia>() + "]"},
      {"destroy", "[via=" + Alternatives<DestroyVia>() + "]"},
      {"destroy", "[from=" + Alternatives<DestroyFrom>() + "]"},
      {"queue", "[unbound=" + Alternatives<Unbound>() + "]"},
      {"call", "[func=" + Alternatives<CallFunc>() + "]"},
  };
  for (const auto& [step, words] : synopses) {
    EXPECT_NE(StepHeading(docs, step).find(words), std::string::npos)
        << "the heading of " << step << " should list " << words << ": " << StepHeading(docs, step);
  }
}

TEST(DocsTest, HeaderTableHasARowPerHeaderLineAndStrategy) {
  const std::string docs = Docs();
  for (std::string_view w : kHeaderWords) {
    if (w == "expect" || w == "strategy") continue;  // its own section; the strategies below
    EXPECT_EQ(RowsStartingWith(docs, "`" + std::string(w) + " ").size(), 1u) << w;
  }
  EXPECT_EQ(RowsStartingWith(docs, "`driver " + Alternatives<Driver>("\\|") + "`").size(), 1u);
  EXPECT_NE(docs.find("## The expect line"), std::string::npos);
  // Each strategy's synopsis, rendered from the strategy table, in a row's first cell.
  for (const StrategyInfo& i : Strategies()) {
    std::string synopsis = "`strategy " + std::string(i.word);
    if (i.user_module) synopsis += " module=NAME\\|PATH [key=value...]";
    for (const StrategyArg& a : i.args) {
      synopsis += " [" + std::string(a.key) + "=";
      if (a.unit == ArgUnit::kWord) {
        for (size_t w = 0; w < a.words.size(); ++w) synopsis += (w ? "\\|" : "") + std::string(a.words[w]);
      } else {
        synopsis += "N";
      }
      synopsis += "]";
    }
    synopsis += "`";
    bool found = false;
    for (const auto& row : RowsStartingWith(docs, "`strategy ")) found |= row[0].find(synopsis) != std::string::npos;
    EXPECT_TRUE(found) << "no header-table row lists " << synopsis;
  }
}

TEST(DocsTest, CapabilityAndSpawnFlagTablesHaveTheirRows) {
  const std::string docs = Docs();
  for (std::string_view w : kCapabilityWords) {
    bool found = false;
    for (const auto& row : RowsStartingWith(docs, "`")) {
      const std::string cell = row[0];
      // "`debug` / `release`": each word of the first cell, in backticks.
      found |= cell.find("`" + std::string(w) + "`") != std::string::npos && row.size() == 2;
    }
    EXPECT_TRUE(found) << "no row of the capability table for " << w;
  }
  ASSERT_EQ(RowsStartingWith(docs, "`gil=`").size(), 1u);
  EXPECT_EQ(RowsStartingWith(docs, "`gil=`")[0][1], Alternatives<InterpConfig::Gil>(" \\| ", "`"));
  ASSERT_EQ(RowsStartingWith(docs, "`obmalloc=`").size(), 1u);
  EXPECT_EQ(RowsStartingWith(docs, "`obmalloc=`")[0][1], Alternatives<InterpConfig::Obmalloc>(" \\| ", "`"));
  for (const char* flag : {"threads=", "daemon_threads=", "fork=", "exec=", "check_extensions="}) {
    bool found = false;
    for (const auto& row : RowsStartingWith(docs, "`threads=`")) {
      found |= row[0].find("`" + std::string(flag) + "`") != std::string::npos && row[1] == "`0` \\| `1`";
    }
    EXPECT_TRUE(found) << flag;
  }
}

TEST(DocsTest, ValueAndFuncTablesHaveARowPerWord) {
  const std::string docs = Docs();
  // value=: the words; an int and a str are written as themselves, bytes as bytes:HEX.
  for (const auto& k : Words<Value::Kind>::kAll) {
    std::string first = k.word == "int" ? "`N`" : k.word == "str" ? "`\"text\"`"
                        : k.word == "bytes" ? "`bytes:HEX`" : "`" + std::string(k.word) + "`";
    EXPECT_EQ(RowsStartingWith(docs, first).size(), 1u) << "value=" << k.word;
  }
  EXPECT_NE(docs.find("| `N` | the int `N` (0.." + std::to_string(kMaxIntValue) + ") |"), std::string::npos);
  for (const auto& k : Words<CallFunc>::kAll) {
    EXPECT_EQ(RowsStartingWith(docs, "`" + std::string(k.word) + "`").size(), 1u) << "func=" << k.word;
  }
}

TEST(DocsTest, TheListsInTheTextAreTheTables) {
  const std::string docs = Docs();
  std::string verdicts = "`VERDICT` is one of ";
  for (size_t i = 0; i < std::size(kVerdictWords); ++i) {
    verdicts += (i ? ", `" : "`") + std::string(kVerdictWords[i]) + "`";
  }
  // The docs wrap lines; compare with newlines as spaces.
  std::string flat = docs;
  for (char& c : flat) c = c == '\n' ? ' ' : c;
  EXPECT_NE(flat.find(verdicts + ";"), std::string::npos) << verdicts;
  const std::string ops = "with `<op>` one of " + Alternatives<Requirement::Op>(", ", "`") + " (";
  EXPECT_NE(flat.find(ops), std::string::npos) << ops;
}

// The bounds table, rendered from scenario.h's constants.
TEST(DocsTest, BoundsTableIsTheConstants) {
  const std::string docs = Docs();
  const std::string rows[] = {
      "| `spawn` steps | " + std::to_string(kMaxSpawns) + " |",
      "| `queue` and `channel` steps | " + std::to_string(kMaxQueues) + " in all (`maxsize=` 0.." + std::to_string(kMaxQueueSize) + ") |",
      "| tasks (`as` names) | " + std::to_string(kMaxTasks) + " |",
      "| steps (the expect line is not a step) | " + std::to_string(kMaxSteps) + " |",
      "| interpreter and task names | " + std::to_string(kMaxNameLength) + " characters, `[a-z][a-z0-9_]*` |",
      "| strings (`name`, `code`, `module=`, `exc=`, expect detail) | " + std::to_string(kMaxStringLength) + " bytes |",
      "| requirements | " + std::to_string(kMaxRequirements) + "; version numbers at most " +
          std::to_string(kMaxVersionComponent) + " |",
      "| `workers=` | 1.." + std::to_string(kMaxWorkers) + " |",
      "| every `*ms` argument | 0.." + std::to_string(kMaxMs) + " (`deadline_ms`: 1.." + std::to_string(kMaxMs) + ") |",
      "| `delay_us=` | 0.." + std::to_string(kMaxDelayUs) + " |",
  };
  for (const std::string& row : rows) EXPECT_NE(docs.find(row), std::string::npos) << row;
}

}  // namespace
}  // namespace endgame::scenario
