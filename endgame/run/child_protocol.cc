#include "endgame/run/child_protocol.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace endgame::run {

std::vector<std::string> ChildArgv(const std::string& exe, const ChildRequest& request) {
  std::vector<std::string> argv = {exe, "run", request.file, "--child"};
  if (request.repeat > 1) argv.insert(argv.end(), {"--repeat", std::to_string(request.repeat)});
  return argv;
}

std::string PythonLine(const std::string& version, const std::string& build) {
  return absl::StrCat(kPythonPrefix, version, " ", build, "\n");
}

std::string StepLine(const StepRecord& s) {
  return absl::StrCat(kStepPrefix, s.index, " ", s.kind, " ", s.duration_us < 0 ? "start" : "end", " ",
                      s.duration_us < 0 ? s.text : s.status, "\n");
}

std::string NoteLine(const std::string& note) { return absl::StrCat(kNotePrefix, note, "\n"); }

std::string ResultLine(const RunResult& result) { return absl::StrCat(kResultPrefix, ToJson(result), "\n"); }

ChildReport ParseChildOutput(absl::string_view out) {
  ChildReport rep;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    if (absl::ConsumePrefix(&line, kResultPrefix)) {
      rep.results.emplace_back(line);
      continue;
    }
    if (absl::ConsumePrefix(&line, kPythonPrefix)) {
      rep.python = std::string(line);
      continue;
    }
    if (absl::ConsumePrefix(&line, kNotePrefix)) {
      rep.notes.emplace_back(line);
      continue;
    }
    if (!absl::ConsumePrefix(&line, kStepPrefix)) continue;
    std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits(' ', 3));
    if (f.size() < 3) continue;
    int index = 0;
    if (!absl::SimpleAtoi(f[0], &index)) continue;
    if (f[2] == "start") {
      StepRecord s;
      s.index = index;
      s.kind = f[1];
      s.status = "running";
      if (f.size() > 3) s.text = f[3];
      rep.steps.push_back(s);
    } else if (!rep.steps.empty()) {
      rep.steps.back().status = f.size() > 3 ? f[3] : "ok";
    }
  }
  return rep;
}

}  // namespace endgame::run
