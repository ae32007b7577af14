// File: endgame/scenario/text.h
//
// The `.scn` text form (DESIGN.md §3, docs/scenario-language.md): a parser
// that reports the first error as `file:line:col: message` and runs every
// semantic check of check.h, and a printer that gives canonical text.
// For every scenario s that passes CheckScenario, ParseScenario(PrintScenario(s)) == s.
//
// Example:
//   absl::StatusOr<Scenario> s = ParseScenario("spawn a\nexec a busy ms=5 as t\n", "x.scn");
//   if (!s.ok()) { std::fprintf(stderr, "%s\n", std::string(s.status().message()).c_str()); }
//   std::string canonical = PrintScenario(*s);
#ifndef ENDGAME_SCENARIO_TEXT_H_
#define ENDGAME_SCENARIO_TEXT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "endgame/scenario/scenario.h"

namespace endgame::scenario {

// Parses `.scn` text. On error, an InvalidArgumentError whose message is one
// line, "<filename>:<line>:<column>: <what was expected>". Steps carry their
// SourcePos.
absl::StatusOr<Scenario> ParseScenario(std::string_view text, std::string_view filename);

// Canonical text: header lines that differ from the defaults (name, requires,
// driver, strategy, deadline_ms), one step per line with arguments in
// canonical order and defaults omitted, then the expect line. Ends in '\n'.
std::string PrintScenario(const Scenario& scenario);

// One step in canonical text, without the newline: "exec a busy ms=5 as t".
std::string PrintStep(const Step& step);

// `text` as a `.scn` string literal: double quotes, C escapes (\n \t \r \"
// \\ \xHH) for everything but printable ASCII and valid multi-byte UTF-8.
std::string QuoteString(std::string_view text);

// The text form of a `value=` (none, 5, "text", bytes:00ff, tuple, unshareable, queue:q1).
std::string ValueText(const Value& value);

}  // namespace endgame::scenario

#endif  // ENDGAME_SCENARIO_TEXT_H_
