// File: endgame/run/child_protocol.h
//
// Both ends of the child protocol between a supervisor (supervise.h) and the
// child it starts (`endgame run FILE --child`): the request, as the child's
// command line, and the lines the child prints on stdout (CPython's fatal
// errors and the crash stacks go to stderr), with their parser.
//   @@endgame python <version> <build>
//   @@endgame step <index> <kind> start <step text>
//   @@endgame step <index> <kind> end <status>
//   @@endgame note <RunResult::notes line>
//   @@endgame result <RunResult JSON>
//
// Example:
//   ChildRequest req{"x.scn", 5};
//   std::vector<std::string> argv = ChildArgv("/path/endgame", req);
//   ... the child: std::fputs(StepLine(step).c_str(), stdout);
//   ChildReport rep = ParseChildOutput(child_stdout);
#ifndef ENDGAME_RUN_CHILD_PROTOCOL_H_
#define ENDGAME_RUN_CHILD_PROTOCOL_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "endgame/run/result.h"

namespace endgame::run {

inline constexpr char kStepPrefix[] = "@@endgame step ";
inline constexpr char kResultPrefix[] = "@@endgame result ";
inline constexpr char kPythonPrefix[] = "@@endgame python ";
inline constexpr char kNotePrefix[] = "@@endgame note ";

// ChildRequest: what the supervisor asks the child to run.
struct ChildRequest {
  std::string file;  // the scenario file
  int repeat = 1;    // `run --repeat`
};

// ChildArgv() is the child's command line: {exe, "run", file, "--child"[, "--repeat", N]}.
std::vector<std::string> ChildArgv(const std::string& exe, const ChildRequest& request);

// The child's lines, each with its "\n".
std::string PythonLine(const std::string& version, const std::string& build);
// A step's start line (duration_us < 0: its text) or end line (its status).
std::string StepLine(const StepRecord& step);
std::string NoteLine(const std::string& note);
std::string ResultLine(const RunResult& result);

// ChildReport: what a child's stdout said, in order.
struct ChildReport {
  std::string python;                // "<version> <build>" of the last python line
  std::vector<StepRecord> steps;     // started steps; status "running" until their end line
  std::vector<std::string> notes;
  std::vector<std::string> results;  // the JSON of each result line
};

ChildReport ParseChildOutput(absl::string_view out);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_CHILD_PROTOCOL_H_
