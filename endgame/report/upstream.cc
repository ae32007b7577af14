#include "endgame/report/upstream.h"

#include <sys/utsname.h>

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "endgame/report/findings.h"
#include "endgame/base/stacks.h"

namespace endgame::report {
namespace {

std::string Expected(const FindingMeta& m) {
  const std::string& k = m.verdict_kind;
  if (k == "fatal") {
    return absl::StrCat("The `", m.step,
                        "` step should succeed or raise a Python exception (for example `InterpreterError`) that "
                        "the caller can handle. `Py_FatalError` aborts the whole process, which an embedder or an "
                        "actor runtime cannot recover from.");
  }
  if (k == "hang") {
    return absl::StrCat("The `", m.step, "` step should finish, or fail with an exception, in bounded time.");
  }
  if (k == "leak") {
    return "After every interpreter is destroyed and every thread joined, the process's threads, file "
           "descriptors and interpreters should be back to where they started.";
  }
  return "No crash: the call should succeed or fail with a Python exception, and the interpreter should be "
         "torn down cleanly.";
}

std::string WhatHappens(const FindingMeta& m) {
  std::string out = absl::StrCat("On CPython ", m.python, ", ");
  if (m.verdict_kind == "fatal") {
    absl::StrAppend(&out, "the `", m.step, "` step aborts the process with `Fatal Python error: ", m.detail, "`");
  } else if (m.verdict_kind == "crash") {
    absl::StrAppend(&out, "the process dies of ", m.detail, " in the `", m.step, "` step");
  } else if (m.verdict_kind == "hang") {
    absl::StrAppend(&out, "the `", m.step, "` step never returns");
  } else if (m.verdict_kind == "leak") {
    absl::StrAppend(&out, "the process keeps a ", m.detail, " after everything was torn down");
  } else {
    absl::StrAppend(&out, "the scenario ends in ", m.verdict, " in the `", m.step, "` step");
  }
  if (!m.cause_frames.empty()) absl::StrAppend(&out, ", in `", m.cause_frames.front(), "`");
  absl::StrAppend(&out, ".");
  if (m.runs > 0) absl::StrAppend(&out, " It reproduced ", m.reproduced, "/", m.runs, " times in fresh processes.");
  if (!m.limitation.empty()) absl::StrAppend(&out, " This is documented as unsupported: ", m.limitation, ".");
  absl::StrAppend(&out, " Found by endgame (a subinterpreter teardown fuzzer), ", m.count, " time(s), under ",
                  absl::StrJoin(m.strategies, ", "), "; raw signature `", m.signature, "`",
                  m.cause.empty() ? "" : absl::StrCat(", root cause `", m.cause, "`"), ".");
  return out;
}

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n + (!s.empty() && s.back() != '\n');
}

std::string Fenced(const std::string& lang, const std::string& body) {
  return absl::StrCat("```", lang, "\n", body, body.empty() || body.back() == '\n' ? "" : "\n", "```\n");
}

bool CPythonFile(const std::string& file) {
  for (const char* dir : {"Python/", "Objects/", "Modules/", "Parser/", "Include/", "Programs/"}) {
    if (absl::StartsWith(file, dir)) return true;
  }
  return absl::StrContains(file, "libpython");
}

}  // namespace

std::vector<std::string> TrimmedStack(const std::string& stacks, const std::string& guilty_thread, size_t max) {
  std::vector<ThreadStack> threads = ParseGdbStacks(stacks);
  const ThreadStack* pick = nullptr;
  size_t from = 0;
  int tid = 0;
  size_t at = guilty_thread.find("tid ");
  if (at != std::string::npos) {
    std::string digits;
    for (size_t i = at + 4; i < guilty_thread.size() && absl::ascii_isdigit(guilty_thread[i]); ++i) digits += guilty_thread[i];
    (void)absl::SimpleAtoi(digits, &tid);
  }
  for (const ThreadStack& t : threads) {
    if (tid != 0 && t.lwp == tid) pick = &t;
  }
  for (const ThreadStack& t : threads) {
    if (pick != nullptr) break;
    for (size_t i = 0; i < t.frames.size(); ++i) {
      if (absl::StrContains(t.frames[i], "signal handler called")) {
        pick = &t;
        from = i + 1;
        break;
      }
    }
  }
  std::vector<std::string> out;
  if (pick == nullptr) return out;
  size_t folded = 0;
  bool seen_cpython = false;
  for (size_t i = from; i < pick->frames.size(); ++i) {
    const std::string file = i < pick->files.size() ? pick->files[i] : "";
    const bool cpython = CPythonFile(file);
    if (!cpython && !seen_cpython) {
      ++folded;  // libc frames of the signal or the wait, before CPython's
      continue;
    }
    if (!cpython) {
      // The caller of CPython: where the harness entered it. Then stop.
      if (folded) out.push_back(absl::StrCat("    ... ", folded, " libc frame(s)"));
      out.push_back(absl::StrCat("#", i, "  ", pick->frames[i], file.empty() ? "" : absl::StrCat(" (", file, ")")));
      out.push_back(absl::StrCat("    ... ", pick->frames.size() - i - 1, " more frame(s) of the harness"));
      return out;
    }
    if (!seen_cpython && folded) out.push_back(absl::StrCat("    ... ", folded, " libc frame(s)"));
    seen_cpython = true;
    folded = 0;
    if (out.size() + 1 >= max) {
      out.push_back(absl::StrCat("    ... ", pick->frames.size() - i, " more frame(s)"));
      return out;
    }
    out.push_back(absl::StrCat("#", i, "  ", pick->frames[i], " (", file, ")"));
  }
  return out;
}

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
  std::string where = m.cause_frames.empty() ? "" : m.cause_frames.front();
  size_t paren = where.find(" (");
  if (paren != std::string::npos) where.resize(paren);
  // `exit` ends the process (Py_Exit): not a subinterpreter operation.
  if (m.step == "exit") {
    const std::string in_where = where.empty() ? "" : absl::StrCat(" in ", where, "()");
    if (m.verdict_kind == "fatal") return absl::StrCat("Process exit aborts: Fatal Python error: ", m.detail);
    if (m.verdict_kind == "hang") return absl::StrCat("Process exit hangs", in_where);
    if (m.verdict_kind == "crash") return absl::StrCat(m.detail, in_where, " at process exit");
  }
  if (m.verdict_kind == "fatal") {
    return absl::StrCat("Subinterpreter ", m.step, " aborts the process: Fatal Python error: ", m.detail);
  }
  if (m.verdict_kind == "hang") {
    return absl::StrCat("Subinterpreter ", m.step, " hangs", where.empty() ? "" : absl::StrCat(" in ", where, "()"));
  }
  if (m.verdict_kind == "leak") return absl::StrCat("Subinterpreter teardown leaks a ", m.detail);
  if (m.verdict_kind == "crash") {
    // The drain is the end of the scenario: its joins, destroys and oracles
    // (a channel's get_info), not a subinterpreter operation of its own.
    if (m.step == "drain") {
      return absl::StrCat(m.detail, where.empty() ? "" : absl::StrCat(" in ", where, "()"),
                          " at the end of the scenario");
    }
    return absl::StrCat(m.detail, " in ", where.empty() ? "subinterpreter " + m.step : where + "()",
                        " during a subinterpreter ", m.step);
  }
  return absl::StrCat("Subinterpreter ", m.step, ": ", m.verdict);
}

std::string UpstreamReport(const ReportInputs& in) {
  const FindingMeta& m = in.meta;
  std::string out = absl::StrCat("# ", ReportTitle(m), "\n\n");
  absl::StrAppend(&out, "## What happens\n\n", WhatHappens(m), "\n\n");

  absl::StrAppend(&out, "## Reproducer\n\n");
  const std::string& repro = in.capi ? in.repro_c : in.repro_py;
  if (!repro.empty() && Lines(repro) <= kInlineReproLines) {
    if (in.capi) {
      absl::StrAppend(&out, "`cc repro.c $(python3-config --cflags --ldflags --embed) -lpthread -o repro && ./repro`\n\n",
                      Fenced("c", repro));
    } else {
      absl::StrAppend(&out, "`python3 repro.py` (standard library only)\n\n", Fenced("python", repro));
    }
  } else {
    absl::StrAppend(&out, repro.empty() ? "No reproducer was generated (`endgame repro`); "
                                        : absl::StrCat("`", in.capi ? kReproCFile : kReproPyFile, "` (", Lines(repro),
                                                       " lines, next to this file) runs it; "),
                    "the scenario, in endgame's `.scn` language:\n\n", Fenced("", in.scenario_text));
  }
  absl::StrAppend(&out, "\n## Expected behavior\n\n", Expected(m), "\n\n");

  absl::StrAppend(&out, "## CPython versions tested on\n\n");
  if (in.matrix_md.empty()) {
    absl::StrAppend(&out, m.python, " (found here; `endgame matrix` tries the others)\n\n");
  } else {
    // The table only: the matrix's own heading line is this section's.
    for (absl::string_view line : absl::StrSplit(in.matrix_md, '\n')) {
      if (absl::StartsWith(line, "|")) absl::StrAppend(&out, line, "\n");
    }
    absl::StrAppend(&out, "\n");
  }

  std::vector<std::string> stack = TrimmedStack(in.stacks, m.verdict_kind == "hang" ? in.guilty_thread : "");
  if (!stack.empty()) {
    absl::StrAppend(&out, "## ", m.verdict_kind == "hang" ? "The stuck thread" : "The crashing thread",
                    " (all threads, native and Python: stacks.txt)\n\n", Fenced("", absl::StrJoin(stack, "\n")), "\n");
  }
  absl::StrAppend(&out, "## Operating systems tested on\n\n", in.os, "; CPython ", m.python, "\n");
  if (!m.upstream.empty() || !in.resembles.empty()) {
    absl::StrAppend(&out, "\n## Similar upstream issues\n\n");
    if (!m.upstream.empty()) absl::StrAppend(&out, "- filed as ", m.upstream, "\n");
    for (const std::string& r : in.resembles) absl::StrAppend(&out, "- ", r, "\n");
  }
  return out;
}

}  // namespace endgame::report
