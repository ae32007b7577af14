#include "endgame/report/upstream.h"

#include <sys/utsname.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace endgame::report {
namespace {

std::string Expected(const FindingMeta& m) {
  const std::string& k = m.verdict_kind;
  if (k == "fatal") {
    return absl::StrCat("The `", m.step,
                        "` step should either succeed or fail with a Python exception (for example "
                        "`InterpreterError`) that the caller can handle. A `Py_FatalError` aborts the whole "
                        "process, which an embedder or an actor runtime cannot recover from.");
  }
  if (k == "hang") {
    return absl::StrCat("The `", m.step,
                        "` step should finish (or fail with an exception) in bounded time. Here it blocks "
                        "forever; the stacks below show where.");
  }
  if (k == "leak") {
    return "After every interpreter is destroyed and every thread joined, the process's threads, file "
           "descriptors and interpreters should be back to where they started.";
  }
  if (k == "crash" || k == "sanitizer") {
    return "No crash and no memory error: the interpreter should be torn down cleanly or the call should "
           "fail with an exception.";
  }
  return "The scenario should complete without error.";
}

std::string Tail(const std::string& s, size_t max_lines) {
  std::vector<std::string> lines = absl::StrSplit(s, '\n');
  if (lines.size() <= max_lines) return s;
  return absl::StrCat("[... ", lines.size() - max_lines, " lines above omitted ...]\n",
                      absl::StrJoin(lines.end() - max_lines, lines.end(), "\n"));
}

}  // namespace

std::string DescribeOs() {
  struct utsname u;
  std::string out = "Linux";
  if (uname(&u) == 0) out = absl::StrCat(u.sysname, " ", u.release, " ", u.machine);
  std::ifstream in("/etc/os-release");
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view v = line;
    if (absl::ConsumePrefix(&v, "PRETTY_NAME=")) {
      absl::StrAppend(&out, ", ", absl::StripSuffix(absl::StripPrefix(v, "\""), "\""));
    }
  }
  return out;
}

std::string ReportTitle(const FindingMeta& m) {
  if (m.verdict_kind == "fatal") {
    return absl::StrCat("Subinterpreter ", m.step, " aborts the process: Fatal Python error: ", m.detail);
  }
  if (m.verdict_kind == "hang") return absl::StrCat("Subinterpreter teardown hangs in ", m.step);
  if (m.verdict_kind == "leak") return absl::StrCat("Subinterpreter teardown leaks a ", m.detail);
  return absl::StrCat("Subinterpreter teardown: ", m.verdict, " in ", m.step);
}

std::string UpstreamReport(const ReportInputs& in) {
  const FindingMeta& m = in.meta;
  std::string out = absl::StrCat("# ", ReportTitle(m), "\n\n");
  absl::StrAppend(&out, "## Bug report\n\n### What happens\n\n");
  absl::StrAppend(&out, "endgame (a subinterpreter teardown fuzzer) ran the scenario below against CPython ",
                  m.python, " and saw: **", m.verdict, "** in the `", m.step, "` step");
  if (m.runs > 0) absl::StrAppend(&out, ", reproduced ", m.reproduced, "/", m.runs, " times in fresh processes");
  absl::StrAppend(&out, ". It was seen ", m.count, " time(s) between ", m.first_seen, " and ", m.last_seen,
                  ", under the strategies: ", absl::StrJoin(m.strategies, ", "), ".\n\n");
  absl::StrAppend(&out, "Scenario (endgame's `.scn` language; signature `", m.signature, "`):\n\n```\n",
                  in.scenario_text, in.scenario_text.empty() || in.scenario_text.back() == '\n' ? "" : "\n",
                  "```\n\n");
  absl::StrAppend(&out, "### Minimal reproducer\n\n");
  if (!in.repro_py.empty()) {
    absl::StrAppend(&out, "Standard library only; run it with the affected CPython:\n\n```python\n", in.repro_py,
                    "```\n\n");
  }
  if (!in.repro_c.empty()) {
    absl::StrAppend(&out,
                    "Public C API only; build it with `cc repro.c $(python3-config --cflags --ldflags --embed) "
                    "-lpthread -o repro`:\n\n```c\n",
                    in.repro_c, "```\n\n");
  }
  if (in.repro_py.empty() && in.repro_c.empty()) {
    absl::StrAppend(&out, "(no reproducer generated yet: run `endgame repro` on this finding)\n\n");
  }
  absl::StrAppend(&out, "### Expected behavior\n\n", Expected(m), "\n\n");
  absl::StrAppend(&out, "### CPython versions tested on\n\n",
                  in.matrix_md.empty() ? absl::StrCat(m.python, " (found here; run `endgame matrix` for more)\n")
                                       : in.matrix_md,
                  "\n");
  absl::StrAppend(&out, "### Operating systems tested on\n\n", in.os, "\n\n");
  absl::StrAppend(&out, "### Stacks\n\n<details><summary>all threads, native and Python</summary>\n\n```\n",
                  Tail(in.stacks, 400), "\n```\n\n</details>\n");
  if (!m.upstream.empty()) absl::StrAppend(&out, "\nFiled upstream: ", m.upstream, "\n");
  return out;
}

}  // namespace endgame::report
